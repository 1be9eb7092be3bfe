"""A CPU core for training (Linux; elsewhere nothing changes).

With the live view on, the GUI thread, the software GL renderer's threads and
the trainer shared the two cores here, and the trainer's steps ran 20-27%
slower than headless; its own CPU time per step rose too, so this was cache
and migration, not waiting.  With the trainer on one core and the GUI, with
every thread it starts, on the others, the difference fell to about 7%.

The GUI thread itself joins the trainer's core while a run trains.  The two
take turns (gil.py), so they never run at once; on cores of their own, the
trainer's core went idle through each of the GUI's ~40 turns a second, and on
this VM its steps then ran slower for milliseconds after (90th percentile 67
against 45 µs headless; a spinning idle-priority process on that core gave the
headless figures back).  Sharing the core keeps it busy: drawn/headless
µs/step in one run went from 1.05-1.15 to 1.01-1.08 (README, Performance).
"""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)

_training_cpu: int | None = None
_gui_cpus: set[int] | None = None  # the GUI thread's CPUs when it is not sharing the training CPU


def reserve_core_for_training() -> None:
    """In the GUI thread, before Qt or GL start threads (they inherit its CPUs): keep them off one CPU."""
    global _training_cpu, _gui_cpus
    if _training_cpu is not None or not hasattr(os, "sched_setaffinity"):
        return
    cpus = os.sched_getaffinity(0)
    if len(cpus) < 2:
        return
    _training_cpu, _gui_cpus = max(cpus), cpus - {max(cpus)}
    os.sched_setaffinity(0, _gui_cpus)  # 0: the calling thread
    log.debug("CPU %d kept for training, GUI on %s", _training_cpu, sorted(_gui_cpus))


def share_training_core(shared: bool) -> None:
    """In the GUI thread: run on the training CPU (while a run trains), or off it again.  A thread the GUI
    thread starts meanwhile would inherit the training CPU; GateLab starts none while training."""
    if shared:
        enter_training_core()
    elif _gui_cpus is not None:
        os.sched_setaffinity(0, _gui_cpus)


def enter_training_core() -> None:
    """Move the calling thread (the worker's; the GUI's while a run trains) to the training CPU, if one was
    reserved."""
    if _training_cpu is not None:
        os.sched_setaffinity(0, {_training_cpu})
