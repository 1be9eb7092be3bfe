"""The training thread gets a CPU the GUI's threads keep off, and the GUI thread joins it while a run trains
(app/cores.py)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

CHECK = textwrap.dedent("""
    import json, os, threading
    from app import cores
    {restrict}
    before = os.sched_getaffinity(0)
    cores.reserve_core_for_training()
    gui = os.sched_getaffinity(0)
    seen = {{}}
    def gui_child():
        seen["gui child"] = os.sched_getaffinity(0)
    def trainer():
        cores.enter_training_core()
        seen["trainer"] = os.sched_getaffinity(0)
    for target in (gui_child, trainer):
        t = threading.Thread(target=target); t.start(); t.join()
    cores.share_training_core(True)
    sharing = os.sched_getaffinity(0)
    cores.share_training_core(False)
    print(json.dumps([sorted(before), sorted(gui), sorted(seen["gui child"]), sorted(seen["trainer"]),
                      sorted(sharing), sorted(os.sched_getaffinity(0))]))
""")


def affinities(restrict: str = "") -> list[list[int]]:
    out = subprocess.run([sys.executable, "-c", CHECK.format(restrict=restrict)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs to reserve one")
def test_the_trainer_has_a_cpu_the_gui_threads_keep_off_but_while_training_the_gui_thread_shares():
    before, gui, gui_child, trainer, sharing, after_sharing = affinities()
    assert len(trainer) == 1 and trainer[0] in before
    assert set(gui) == set(before) - set(trainer) == set(gui_child)
    assert sharing == trainer and after_sharing == gui


def test_with_one_cpu_nothing_is_pinned():
    cpu = min(os.sched_getaffinity(0))
    before, gui, gui_child, trainer, sharing, after_sharing = affinities(f"os.sched_setaffinity(0, {{{cpu}}})")
    assert before == gui == gui_child == trainer == sharing == after_sharing == [cpu]
