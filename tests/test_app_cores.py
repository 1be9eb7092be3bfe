"""The training thread gets a CPU the GUI's threads keep off, and the GUI thread joins it while a run trains;
what LiveView.install() changes in the process, restore() puts back (app/liveview.py)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

CHECK = textwrap.dedent("""
    import json, os, sys, threading
    from app.liveview import LiveView
    {restrict}
    before = os.sched_getaffinity(0)
    live = LiveView()
    live.install()
    gui = os.sched_getaffinity(0)
    seen = {{}}
    def gui_child():
        seen["gui child"] = os.sched_getaffinity(0)
    def trainer():
        live.enter_training_core()
        seen["trainer"] = os.sched_getaffinity(0)
    for target in (gui_child, trainer):
        t = threading.Thread(target=target); t.start(); t.join()
    live.share_training_core(True)
    sharing = os.sched_getaffinity(0)
    live.share_training_core(False)
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


ROUND_TRIP = textwrap.dedent("""
    import json, os, sys
    from app.liveview import LiveView
    sys.setswitchinterval(0.004)
    os.environ.pop("QT_NO_GLIB", None)
    def state():
        return [sys.getswitchinterval(), sorted(os.sched_getaffinity(0)), os.environ.get("QT_NO_GLIB")]
    live = LiveView()
    seen = [state()]
    live.install()
    live.install()  # a second install changes nothing more, and restore still puts back the first state
    seen.append(state())
    live.share_training_core(True)  # as while a run trains: the GUI thread on the training CPU
    live.restore()
    seen.append(state())
    live.restore()  # twice: nothing more
    seen.append(state())
    print(json.dumps(seen))
""")


def test_install_changes_the_switch_interval_the_cpus_and_the_event_loop_and_restore_puts_them_back():
    out = subprocess.run([sys.executable, "-c", ROUND_TRIP], capture_output=True, text=True, check=True).stdout
    before, installed, restored, again = json.loads(out)
    assert before[0] == pytest.approx(0.004) and before[2] is None
    assert installed[0] == pytest.approx(0.001) and installed[2] == "1"
    if len(before[1]) >= 2:
        assert installed[1] == before[1][:-1]  # the highest CPU kept for training
    assert restored == before == again


IN_THE_APP = textwrap.dedent("""
    import json, os, sys
    from app.liveview import LiveView
    from app.qt import make_application
    from app.controller import TrainingController
    from nn_core.config import TrainConfig
    live = LiveView()
    first = sorted(os.sched_getaffinity(0)), sys.getswitchinterval()
    app = make_application(live=live)
    controller = TrainingController(TrainConfig(iterations=2000), live=live)
    seen = {"before": sorted(os.sched_getaffinity(0))}
    controller.state_changed.connect(lambda state: seen.setdefault(state, sorted(os.sched_getaffinity(0))))
    controller.run_finished.connect(lambda summary: app.quit())
    controller.start()
    app.exec()
    controller.shutdown()
    live.restore()
    seen["restored"] = [sorted(os.sched_getaffinity(0)), sys.getswitchinterval()] == [*first]
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
    assert seen["restored"]


def test_the_app_asks_openblas_for_one_thread_before_numpy_loads_it_and_keeps_a_value_set_outside():
    import os
    import subprocess
    import sys

    check = "import app, numpy, os; print(os.environ['OPENBLAS_NUM_THREADS'])"
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_NUM_THREADS"}
    assert subprocess.run([sys.executable, "-c", check], env=env, capture_output=True, text=True,
                          timeout=60).stdout.strip() == "1"
    assert subprocess.run([sys.executable, "-c", check], env={**env, "OPENBLAS_NUM_THREADS": "2"},
                          capture_output=True, text=True, timeout=60).stdout.strip() == "2"
