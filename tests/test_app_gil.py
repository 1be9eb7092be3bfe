"""The turn-taking of gil.py: a training chunk never starts while the GUI is busy, and busy GUI work lets
a chunk about to end finish first.  (What it buys, steps as fast as headless, is measured by app.bench.)"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QTimer

from app import gil
from app.gil import BUSY_WAIT_SECONDS, POSTED_GRACE_SECONDS, GuiFirst


def start_chunk_in_thread(turns: GuiFirst, max_wait: float, stop=None) -> dict:
    """A worker thread that enters one chunk; the dict gets when it entered, and is 'done' at the end."""
    record: dict = {"entered": None, "done": threading.Event()}

    def worker():
        with turns.chunk(0.001, max_wait, stop or threading.Event()):
            record["entered"] = time.perf_counter()
        record["done"].set()

    threading.Thread(target=worker, daemon=True).start()
    return record


def test_a_chunk_waits_until_the_busy_gui_work_ends():
    turns = GuiFirst()
    with turns.busy():
        record = start_chunk_in_thread(turns, max_wait=10.0)
        time.sleep(0.1)
        assert record["entered"] is None  # still waiting for the GUI
        left_busy = time.perf_counter()
    assert record["done"].wait(5.0)
    assert record["entered"] >= left_busy


def test_a_chunk_waits_at_most_max_wait_so_training_never_stalls():
    turns = GuiFirst()
    with turns.busy():
        started = time.perf_counter()
        record = start_chunk_in_thread(turns, max_wait=0.05)
        assert record["done"].wait(5.0)  # entered although the GUI is still busy
        assert record["entered"] - started >= 0.04


def test_a_stopped_worker_stops_waiting_at_once():
    turns, stop = GuiFirst(), threading.Event()
    with turns.busy():
        record = start_chunk_in_thread(turns, max_wait=30.0, stop=stop)
        time.sleep(0.05)
        stop.set()
        turns.wake_worker()
        assert record["done"].wait(1.0)


def test_after_the_worker_posts_to_the_gui_a_chunk_waits_until_the_gui_loop_goes_idle(monkeypatch):
    monkeypatch.setattr(gil, "POSTED_GRACE_SECONDS", 5.0)  # so only the GUI's loop can end the wait here
    turns = GuiFirst()
    turns.posted()
    record = start_chunk_in_thread(turns, max_wait=10.0)
    time.sleep(0.1)
    assert record["entered"] is None  # the GUI's loop has not even woken yet
    turns._wake()
    time.sleep(0.05)
    went_idle = time.perf_counter()
    turns._sleep()
    assert record["done"].wait(2.0)
    assert went_idle <= record["entered"] < went_idle + 1.0


def test_a_post_the_gui_loop_does_not_wake_for_holds_a_chunk_back_only_briefly():
    turns = GuiFirst()
    posted = time.perf_counter()
    turns.posted()
    record = start_chunk_in_thread(turns, max_wait=10.0)
    assert record["done"].wait(5.0)
    assert POSTED_GRACE_SECONDS * 0.9 <= record["entered"] - posted < 1.0


def test_busy_work_waits_for_a_chunk_about_to_end_but_not_for_a_long_one():
    turns = GuiFirst()
    for expected, waits in ((BUSY_WAIT_SECONDS / 4, True), (10.0, False)):
        in_chunk, release, ended = threading.Event(), threading.Event(), {}

        def worker(expected=expected, in_chunk=in_chunk, release=release, ended=ended):
            with turns.chunk(expected, 1.0, threading.Event()):
                in_chunk.set()
                release.wait(5.0)
                ended["at"] = time.perf_counter()

        thread = threading.Thread(target=worker, daemon=True)
        thread.start()
        assert in_chunk.wait(5.0)
        threading.Timer(BUSY_WAIT_SECONDS / 4, release.set).start()
        with turns.busy():
            entered = time.perf_counter()
        thread.join(5.0)
        assert (entered >= ended["at"]) == waits, (expected, entered, ended)


def test_the_gui_event_loop_counts_as_busy_while_it_handles_events(gui):
    """A slot that runs 0.2 s keeps a chunk from starting until it returns: the GUI is busy while its
    event loop is awake, not only inside busy() sections."""
    from app.gil import GUI_FIRST

    GUI_FIRST.follow_event_loop()
    times: dict = {}

    def slot():
        times["record"] = start_chunk_in_thread(GUI_FIRST, max_wait=10.0)
        time.sleep(0.2)
        times["slot_ended"] = time.perf_counter()

    QTimer.singleShot(0, slot)
    gui.waitUntil(lambda: "slot_ended" in times and times["record"]["done"].is_set(), timeout=5000)
    assert times["record"]["entered"] >= times["slot_ended"]
