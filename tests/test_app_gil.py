"""The turn-taking of app/liveview.py, as ordering between threads: a training chunk never starts while the GUI is busy,
and busy GUI work lets a chunk about to end finish first.

Each test drives a LiveView directly and lets threads tell each other where they are (events, a shared log of
what happened in which order).  Time limits are seconds long and only a hang reaches them; nothing is timed,
so a busy machine cannot change a verdict.  (What the turn-taking buys, steps as fast as headless, is measured
by app.bench.)"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer

from app import liveview
from app.liveview import LiveView, NoLiveView

PATIENCE = 30.0  # seconds: only a hang waits this long; every wait ends as soon as its condition holds
NEVER = 3600.0  # a time limit (max_wait, expected chunk length, grace) that no test reaches


class WatchedTurn(threading.Condition):
    """A LiveView's condition that tells the test which threads have begun waiting on it, so the test knows a
    thread is held back, not merely slow to get going."""

    def __init__(self):
        super().__init__()
        self._seen_lock = threading.Lock()
        self._waited: set[str] = set()

    def wait(self, timeout=None):  # Condition.wait_for waits through this too
        with self._seen_lock:
            self._waited.add(threading.current_thread().name)
        return super().wait(timeout)

    def has_waited(self, name: str) -> bool:
        with self._seen_lock:
            return name in self._waited


def watched(turns: LiveView) -> WatchedTurn:
    turns._turn = WatchedTurn()  # before any thread uses it
    return turns._turn


def until(condition, timeout: float = PATIENCE) -> bool:
    """Poll ``condition`` until it holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    return True


def run_chunk(turns: LiveView, log: list, *, expected: float = 0.0, max_wait: float = NEVER,
              stop: threading.Event | None = None, release: threading.Event | None = None) -> threading.Thread:
    """A thread named "worker" that runs one chunk, logging "chunk entered" and (after ``release``, if given)
    "chunk ending" inside it.  ``log`` also gets ("entered at", perf_counter)."""

    def work():
        with turns.chunk(expected, max_wait, stop or threading.Event()):
            log.append(("entered at", time.perf_counter()))
            log.append("chunk entered")
            if release is not None:
                release.wait(PATIENCE)
            log.append("chunk ending")

    thread = threading.Thread(target=work, name="worker", daemon=True)
    thread.start()
    return thread


def run_busy(turns: LiveView, log: list) -> threading.Thread:
    """A thread named "gui" that opens a busy() section, logging "busy entered" inside it."""

    def work():
        with turns.busy():
            log.append("busy entered")

    thread = threading.Thread(target=work, name="gui", daemon=True)
    thread.start()
    return thread


def events(log: list) -> list[str]:
    return [entry for entry in log if isinstance(entry, str)]


def entered_at(log: list) -> float:
    return next(entry[1] for entry in log if isinstance(entry, tuple))


def test_a_chunk_waits_until_the_busy_gui_work_ends():
    turns, log = LiveView(), []
    turn = watched(turns)
    with turns.busy():
        worker = run_chunk(turns, log)
        assert until(lambda: turn.has_waited("worker") or "chunk entered" in log)
        assert "chunk entered" not in log  # held back while the GUI is busy
        log.append("busy ends")
    worker.join(PATIENCE)
    assert not worker.is_alive()
    assert events(log) == ["busy ends", "chunk entered", "chunk ending"]


def test_a_chunk_waits_at_most_max_wait_so_training_never_stalls():
    turns, log = LiveView(), []
    max_wait = 0.05
    with turns.busy():  # and the GUI stays busy until the end of the test
        started = time.perf_counter()
        worker = run_chunk(turns, log, max_wait=max_wait)
        worker.join(PATIENCE)
        assert not worker.is_alive() and events(log) == ["chunk entered", "chunk ending"]  # the GUI still busy
        assert entered_at(log) >= started + max_wait  # it waited for the GUI that long first (load only adds)


def test_a_stopped_worker_stops_waiting_at_once():
    turns, log, stop = LiveView(), [], threading.Event()
    turn = watched(turns)
    with turns.busy():
        worker = run_chunk(turns, log, stop=stop)  # would wait NEVER seconds for the GUI
        assert until(lambda: turn.has_waited("worker") or "chunk entered" in log)
        assert "chunk entered" not in log
        stop.set()
        turns.wake_worker()
        worker.join(PATIENCE)  # long before its max_wait, and the GUI still busy
        assert not worker.is_alive() and events(log) == ["chunk entered", "chunk ending"]


def test_after_the_worker_posts_to_the_gui_a_chunk_waits_until_the_gui_loop_goes_idle(monkeypatch):
    monkeypatch.setattr(liveview, "POSTED_GRACE_SECONDS", NEVER)  # so only the GUI's loop can end the wait here
    turns, log = LiveView(), []
    turn = watched(turns)
    turns.posted()
    worker = run_chunk(turns, log)
    assert until(lambda: turn.has_waited("worker") or "chunk entered" in log)
    assert "chunk entered" not in log  # the GUI's loop has not even woken yet
    turns._wake()  # the loop wakes to handle the post (the dispatcher's awake signal)
    log.append("GUI loop idle")
    turns._sleep()  # and goes idle (aboutToBlock)
    worker.join(PATIENCE)
    assert not worker.is_alive()
    assert events(log) == ["GUI loop idle", "chunk entered", "chunk ending"]


def test_a_post_the_gui_loop_does_not_wake_for_holds_a_chunk_back_only_for_the_grace():
    turns, log = LiveView(), []
    posted = time.perf_counter()
    turns.posted()
    worker = run_chunk(turns, log)  # the loop never wakes here, and max_wait is NEVER
    worker.join(PATIENCE)
    assert not worker.is_alive() and events(log) == ["chunk entered", "chunk ending"]
    assert entered_at(log) >= posted + liveview.POSTED_GRACE_SECONDS  # held back for the grace (a lower bound)


def test_busy_work_waits_for_a_chunk_about_to_end_but_not_for_a_long_one(monkeypatch):
    # A chunk that ends within a minute counts as about to end; busy work waits up to a minute for it.
    monkeypatch.setattr(liveview, "BUSY_WAIT_SECONDS", 2 * PATIENCE)
    turns = LiveView()
    turn = watched(turns)

    # About to end (expected to take no time): busy work waits until the chunk has ended.
    log, release = [], threading.Event()
    worker = run_chunk(turns, log, expected=0.0, release=release)
    assert until(lambda: "chunk entered" in log)
    gui = run_busy(turns, log)
    assert until(lambda: turn.has_waited("gui") or "busy entered" in log)
    assert "busy entered" not in log  # waiting for the chunk
    release.set()
    worker.join(PATIENCE)
    gui.join(PATIENCE)
    assert events(log) == ["chunk entered", "chunk ending", "busy entered"]

    # Expected to run NEVER seconds: busy work goes ahead while the chunk runs on.
    log, release = [], threading.Event()
    worker = run_chunk(turns, log, expected=NEVER, release=release)
    assert until(lambda: "chunk entered" in log)
    gui = run_busy(turns, log)
    gui.join(PATIENCE)
    assert not gui.is_alive() and events(log) == ["chunk entered", "busy entered"]
    release.set()
    worker.join(PATIENCE)
    assert events(log) == ["chunk entered", "busy entered", "chunk ending"]


def test_busy_work_waits_for_a_chunk_about_to_end_at_most_busy_wait_seconds():
    """A chunk expected to end that runs on (a slow step): the GUI stops waiting for it after BUSY_WAIT_SECONDS."""
    turns, log, release = LiveView(), [], threading.Event()
    turn = watched(turns)
    worker = run_chunk(turns, log, expected=0.0, release=release)  # ends only when released
    assert until(lambda: "chunk entered" in log)
    gui = run_busy(turns, log)
    gui.join(PATIENCE)
    assert not gui.is_alive() and turn.has_waited("gui")  # it waited, then went ahead
    release.set()
    worker.join(PATIENCE)
    assert events(log) == ["chunk entered", "busy entered", "chunk ending"]


def test_the_gui_event_loop_counts_as_busy_while_it_handles_events(gui):
    """A slot that is running keeps a chunk from starting until it returns: the GUI is busy while its event
    loop is awake, not only inside busy() sections."""
    turns, log = LiveView(), []
    turn = watched(turns)
    turns.follow_event_loop()
    try:
        def slot():
            run_chunk(turns, log, max_wait=2 * PATIENCE)
            assert until(lambda: turn.has_waited("worker") or "chunk entered" in log)
            log.append("slot ends")

        QTimer.singleShot(0, slot)
        gui.waitUntil(lambda: "chunk ending" in log, timeout=int(1000 * PATIENCE))  # less than max_wait
        assert events(log) == ["slot ends", "chunk entered", "chunk ending"]
    finally:
        turns.restore()  # no longer follows the event loop


def test_no_live_view_has_every_method_of_a_live_view_and_never_holds_a_chunk_back():
    public = {name for name in dir(LiveView) if not name.startswith("_") and name != "for_this_platform"}
    assert public <= set(dir(NoLiveView))
    turns, log = NoLiveView(), []
    with turns.busy():  # a LiveView would hold the chunk back for max_wait (NEVER)
        worker = run_chunk(turns, log)
        worker.join(PATIENCE)
        assert not worker.is_alive() and events(log) == ["chunk entered", "chunk ending"]
    turns.install()  # changes nothing
    assert not turns.installed


def test_a_controller_and_its_worker_without_a_live_view_get_a_do_nothing_one(gui):
    from app.controller import TrainingController

    controller = TrainingController()
    try:
        assert isinstance(controller.live, NoLiveView) and controller.worker.live is controller.live
    finally:
        controller.shutdown()
