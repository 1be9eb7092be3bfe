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


IN_THE_APP = textwrap.dedent("""
    import json, os
    from app import cores
    from app.qt import make_application
    from app.controller import TrainingController
    from nn_core.config import TrainConfig
    app = make_application()
    controller = TrainingController(TrainConfig(iterations=2000))
    seen = {"before": sorted(os.sched_getaffinity(0))}
    controller.state_changed.connect(lambda state: seen.setdefault(state, sorted(os.sched_getaffinity(0))))
    controller.run_finished.connect(lambda summary: app.quit())
    controller.start()
    app.exec()
    controller.shutdown()
    print(json.dumps(seen))
""")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs 2 CPUs to reserve one")
def test_in_the_app_the_gui_thread_is_on_the_training_cpu_exactly_while_a_run_trains():
    out = subprocess.run([sys.executable, "-c", IN_THE_APP], capture_output=True, text=True, check=True).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    training_cpu = max(os.sched_getaffinity(0))
    assert training_cpu not in seen["before"]
    assert seen["training"] == [training_cpu]
    assert seen["finished"] == seen["before"]
