"""A CPU core of the training thread's own (Linux; elsewhere nothing changes).

With the live view on, the GUI thread, the software GL renderer's threads and
the trainer shared the two cores here, and the trainer's steps ran 20-27%
slower than headless; its own CPU time per step rose too, so this was cache
and migration, not waiting.  With the trainer on one core and the GUI, with
every thread it starts, on the others, the difference fell to about 7%.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager

log = logging.getLogger(__name__)

_training_cpu: int | None = None


def reserve_core_for_training() -> None:
    """In the GUI thread, before Qt or GL start threads (they inherit its CPUs): keep them off one CPU."""
    global _training_cpu
    if _training_cpu is not None or not hasattr(os, "sched_setaffinity"):
        return
    cpus = os.sched_getaffinity(0)
    if len(cpus) < 2:
        return
    _training_cpu = max(cpus)
    os.sched_setaffinity(0, cpus - {_training_cpu})  # 0: the calling thread
    log.debug("CPU %d kept for training, GUI on %s", _training_cpu, sorted(cpus - {_training_cpu}))


@contextmanager
def on_training_core():
    """Run the calling thread on the training CPU for a while (app.bench: headless steps where the worker trains)."""
    if _training_cpu is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {_training_cpu})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def enter_training_core() -> None:
    """In the training thread: move to the CPU the GUI keeps free, if one was reserved."""
    if _training_cpu is not None:
        os.sched_setaffinity(0, {_training_cpu})
