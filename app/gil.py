"""Who runs Python now: the GUI thread and the training worker take turns.

numpy on the engine's 4-row arrays never releases the GIL.  A GUI thread
that gives the GIL up for each OpenGL or Qt call (PyOpenGL and PySide do)
must then wait a whole switch interval to get it back while the worker
trains: a frame took about a second.  And each time the GUI takes the GIL in
the middle of a step, that step waits for it: with the GUI only marking its
drawing, steps drawn ran 5-18% slower than steps not drawn.

So they take turns.  The worker trains in chunks of about a millisecond, each
``with GUI_FIRST.chunk(...)``.  The GUI is busy while its event loop is
awake (handling posted events: slots, pyqtgraph's Python), inside
``with GUI_FIRST.busy():`` (the GL paint; Qt runs timers and window-system
events outside "awake"), and from the worker's ``posted()`` until its event
loop next goes idle (the snapshot it was just sent would wake it in the
middle of the next chunk).  A chunk starts only when the GUI is not busy;
busy work waits for the running chunk to end if it will end within
BUSY_WAIT_SECONDS (a slow method's single step may take 20 ms: the GUI does
not wait for that).  So steps are rarely interrupted (what the live view
still costs: README, Performance).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager

# A slow method's step (central on 64 hidden units: ~20 ms) cannot wait for the GUI at a chunk boundary, so
# inside it every Qt or GL call of the GUI thread waits for the GIL for up to the switch interval (5 ms by
# default): a click took up to ~100 ms to be handled.  At 1 ms the worst click measured ~30 ms.
SWITCH_INTERVAL = 0.001
BUSY_WAIT_SECONDS = 0.002  # the GUI waits for a chunk that ends within this; it does not wait for longer ones
POSTED_GRACE_SECONDS = 0.01  # after posted(), a chunk waits at most this long for the GUI's loop to wake


def share_gil_quickly() -> None:
    """Make a thread that wants the GIL wait at most SWITCH_INTERVAL for it (a process-wide setting)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)


def use_plain_event_loop() -> None:
    """Before the QApplication exists: Qt's own event loop rather than GLib's.  GLib's announces waking
    and blocking out of step with the events it handles (slots ran between "about to block" and
    "awake"), so the GUI's work could not be told apart from its idle time."""
    os.environ["QT_NO_GLIB"] = "1"


class GuiFirst:
    def __init__(self):
        self._turn = threading.Condition()
        self._busy_depth = 0  # busy() sections open (they nest)
        self._awake = False  # the GUI thread's event loop is handling events
        self._chunk_ends_at: float | None = None  # when the worker's running chunk should end
        self._posted_until = 0.0  # posted(): the GUI counts as busy until its loop goes idle, or until this
        self._followed: set[int] = set()

    # --- the GUI thread ---------------------------------------------------------------

    def follow_event_loop(self) -> None:
        """Count all the GUI thread's event handling as busy."""
        from PySide6.QtCore import QAbstractEventDispatcher

        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is None or id(dispatcher) in self._followed:
            return
        self._followed.add(id(dispatcher))
        dispatcher.awake.connect(self._wake)
        dispatcher.aboutToBlock.connect(self._sleep)

    def _wake(self) -> None:
        with self._turn:
            if not self._awake:
                self._awake = True
                self._wait_for_chunk()

    def _sleep(self) -> None:
        with self._turn:
            self._awake = False
            self._posted_until = 0.0
            self._turn.notify_all()

    @contextmanager
    def busy(self):
        """Around Python-heavy GUI code run outside event handling: no chunk starts until it ends."""
        with self._turn:
            self._busy_depth += 1
            self._wait_for_chunk()
        try:
            yield
        finally:
            with self._turn:
                self._busy_depth -= 1
                self._turn.notify_all()

    def _wait_for_chunk(self) -> None:
        """(Holding the lock.)  Let a chunk that is about to end finish, so no step is interrupted."""
        ends_at = self._chunk_ends_at
        if ends_at is not None and ends_at - time.perf_counter() < BUSY_WAIT_SECONDS:
            self._turn.wait_for(lambda: self._chunk_ends_at is None, BUSY_WAIT_SECONDS)

    # --- the worker thread ------------------------------------------------------------

    @contextmanager
    def chunk(self, expected_seconds: float, max_wait: float, stop: threading.Event):
        """Around a chunk of training: wait until the GUI is not busy (at most ``max_wait`` s, so
        training never stalls, or until ``stop`` is set and wake_worker() called)."""
        with self._turn:
            give_up = time.perf_counter() + max_wait
            while not stop.is_set():
                now = time.perf_counter()
                busy_until = give_up if self._awake or self._busy_depth else min(give_up, self._posted_until)
                if now >= busy_until:
                    break
                self._turn.wait(busy_until - now)
            self._chunk_ends_at = time.perf_counter() + expected_seconds
        try:
            yield
        finally:
            self.chunk_paused()

    def chunk_paused(self) -> None:
        """The worker is not training (the chunk ended, or waits paused inside it): the GUI need not wait."""
        with self._turn:
            self._chunk_ends_at = None
            self._turn.notify_all()

    def posted(self) -> None:
        """The worker has just posted the GUI thread an event: the next chunk waits until the GUI has handled
        it (its event loop goes idle), or POSTED_GRACE_SECONDS if the loop does not wake."""
        with self._turn:
            self._posted_until = time.perf_counter() + POSTED_GRACE_SECONDS

    def wake_worker(self) -> None:
        """After setting a waiting chunk's ``stop``: it stops waiting at once."""
        with self._turn:
            self._turn.notify_all()


GUI_FIRST = GuiFirst()
