"""The live view's machinery: the GUI thread and the training worker take turns running Python, and share a CPU.

The application makes one ``LiveView`` (``for_this_platform()``), installs it before the QApplication exists
(``make_application(live=...)``), hands it to the TrainingController (which gives it to its worker) and to the
SurfaceView, and calls ``restore()`` when it ends.  ``NoLiveView`` has the same methods and does nothing: off
Linux, and in unit tests that build a controller or a view without one.

Turn taking.  numpy on the engine's 4-row arrays never releases the GIL.  A GUI thread
that gives the GIL up for each OpenGL or Qt call (PyOpenGL and PySide do)
must then wait a whole switch interval to get it back while the worker
trains: a frame took about a second.  And each time the GUI takes the GIL in
the middle of a step, that step waits for it: with the GUI only marking its
drawing, steps drawn ran 5-18% slower than steps not drawn.

So they take turns.  The worker trains in chunks of about a millisecond, each
``with live.chunk(...)``.  The GUI is busy while its event loop is
awake (handling posted events: slots, pyqtgraph's Python), inside
``with live.busy():`` (the GL paint; Qt runs timers and window-system
events outside "awake"), and from the worker's ``posted()`` until its event
loop next goes idle (the snapshot it was just sent would wake it in the
middle of the next chunk).  A chunk starts only when the GUI is not busy;
busy work waits for the running chunk to end if it will end within
BUSY_WAIT_SECONDS (a slow method's single step may take 20 ms: the GUI does
not wait for that).  So steps are rarely interrupted (what the live view
still costs: README, Performance).

A CPU core for training (Linux; elsewhere nothing changes).  With the live view on, the GUI thread, the
software GL renderer's threads and the trainer shared the two cores here, and the trainer's steps ran 20-27%
slower than headless; its own CPU time per step rose too, so this was cache
and migration, not waiting.  With the trainer on one core and the GUI, with
every thread it starts, on the others, the difference fell to about 7%.

The GUI thread itself joins the trainer's core while a run trains.  The two
take turns (above), so they never run at once; on cores of their own, the
trainer's core went idle through each of the GUI's ~40 turns a second, and on
this VM its steps then ran slower for milliseconds after (90th percentile 67
against 45 µs headless; a spinning idle-priority process on that core gave the
headless figures back).  Sharing the core keeps it busy: drawn/headless
µs/step in one run went from 1.05-1.15 to 1.01-1.08 (README, Performance).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from contextlib import contextmanager, nullcontext

log = logging.getLogger(__name__)

# A slow method's step (central on 64 hidden units: ~20 ms) cannot wait for the GUI at a chunk boundary, so
# inside it every Qt or GL call of the GUI thread waits for the GIL for up to the switch interval (5 ms by
# default): a click took up to ~100 ms to be handled.  At 1 ms the worst click measured ~30 ms.
SWITCH_INTERVAL = 0.001
BUSY_WAIT_SECONDS = 0.002  # the GUI waits for a chunk that ends within this; it does not wait for longer ones
POSTED_GRACE_SECONDS = 0.01  # after posted(), a chunk waits at most this long for the GUI's loop to wake
# Qt's own event loop rather than GLib's: GLib's announces waking and blocking out of step with the events it
# handles (slots ran between "about to block" and "awake"), so the GUI's work could not be told apart from its
# idle time.  Read when the QApplication is made.
PLAIN_EVENT_LOOP = ("QT_NO_GLIB", "1")
_UNSET = object()


class LiveView:
    """Turn taking between the GUI thread and the training worker, and the training CPU.

    ``install()`` (in the GUI thread, before the QApplication exists) and ``restore()`` are the only methods
    that change process-wide settings; every other method is safe to call whether or not it was installed."""

    def __init__(self):
        self._turn = threading.Condition()
        self._busy_depth = 0  # busy() sections open (they nest)
        self._awake = False  # the GUI thread's event loop is handling events
        self._chunk_ends_at: float | None = None  # when the worker's running chunk should end
        self._posted_until = 0.0  # posted(): the GUI counts as busy until its loop goes idle, or until this
        self._followed: list = []  # the event dispatchers followed
        self._training_cpu: int | None = None
        self._gui_cpus: set[int] | None = None  # the GUI thread's CPUs when it is not sharing the training CPU
        self._saved: dict | None = None  # what install() changed, as it was: None when not installed

    @classmethod
    def for_this_platform(cls) -> LiveView | NoLiveView:
        """A LiveView on Linux (where threads can be placed on CPUs), a NoLiveView elsewhere."""
        if sys.platform.startswith("linux") and hasattr(os, "sched_setaffinity"):
            return cls()
        return NoLiveView()

    # --- process-wide settings ----------------------------------------------------------

    @property
    def installed(self) -> bool:
        return self._saved is not None

    def install(self) -> None:
        """In the GUI thread, before Qt or GL start threads (they inherit its CPUs) and before the QApplication
        exists (it reads the event loop's choice): a thread that wants the GIL waits at most SWITCH_INTERVAL
        for it; the GUI thread keeps off one CPU, kept for training (with two or more); Qt's plain event loop.
        A second call does nothing."""
        if self._saved is not None:
            return
        name, value = PLAIN_EVENT_LOOP
        self._saved = {"switch_interval": sys.getswitchinterval(), "environ": os.environ.get(name, _UNSET),
                       "affinity": None}
        sys.setswitchinterval(min(SWITCH_INTERVAL, self._saved["switch_interval"]))
        os.environ[name] = value
        if not hasattr(os, "sched_setaffinity"):
            return
        cpus = os.sched_getaffinity(0)
        self._saved["affinity"] = cpus
        if len(cpus) < 2:
            return
        self._training_cpu, self._gui_cpus = max(cpus), cpus - {max(cpus)}
        os.sched_setaffinity(0, self._gui_cpus)  # 0: the calling thread
        log.debug("CPU %d kept for training, GUI on %s", self._training_cpu, sorted(self._gui_cpus))

    def restore(self) -> None:
        """In the GUI thread, at the end: the switch interval, the environment and this thread's CPUs as they
        were before install(); the event loop no longer followed.  Does nothing if not installed."""
        for dispatcher in self._followed:
            try:
                dispatcher.awake.disconnect(self._wake)
                dispatcher.aboutToBlock.disconnect(self._sleep)
            except (RuntimeError, TypeError):  # the dispatcher is gone already
                pass
        self._followed.clear()
        saved, self._saved = self._saved, None
        if saved is None:
            return
        sys.setswitchinterval(saved["switch_interval"])
        name, _value = PLAIN_EVENT_LOOP
        if saved["environ"] is _UNSET:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved["environ"]
        if saved["affinity"] is not None:
            os.sched_setaffinity(0, saved["affinity"])
        self._training_cpu = self._gui_cpus = None

    # --- CPU placement ------------------------------------------------------------------

    def share_training_core(self, shared: bool) -> None:
        """In the GUI thread: run on the training CPU (while a run trains), or off it again.  A thread the GUI
        thread starts meanwhile would inherit the training CPU; GateLab starts none while training."""
        if shared:
            self.enter_training_core()
        elif self._gui_cpus is not None:
            os.sched_setaffinity(0, self._gui_cpus)

    def enter_training_core(self) -> None:
        """Move the calling thread (the worker's; the GUI's while a run trains) to the training CPU, if one was
        reserved."""
        if self._training_cpu is not None:
            os.sched_setaffinity(0, {self._training_cpu})

    # --- the GUI thread -----------------------------------------------------------------

    def follow_event_loop(self) -> None:
        """Count all the GUI thread's event handling as busy (needs the QApplication)."""
        from PySide6.QtCore import QAbstractEventDispatcher

        dispatcher = QAbstractEventDispatcher.instance()
        if dispatcher is None or any(d is dispatcher for d in self._followed):
            return
        self._followed.append(dispatcher)
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

    # --- the worker thread --------------------------------------------------------------

    @contextmanager
    def chunk(self, expected_seconds: float, max_wait: float, stop: threading.Event):
        """Around a chunk of training (``expected_seconds`` long): wait until the GUI is not busy (at most
        ``max_wait`` s, so training never stalls, or until ``stop`` is set and wake_worker() called)."""
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


class NoLiveView:
    """LiveView's methods, doing nothing: no turn taking, no CPU placement, no process-wide setting changed."""

    installed = False

    def install(self) -> None:
        pass

    def restore(self) -> None:
        pass

    def share_training_core(self, shared: bool) -> None:
        pass

    def enter_training_core(self) -> None:
        pass

    def follow_event_loop(self) -> None:
        pass

    def busy(self):
        return nullcontext()

    def chunk(self, expected_seconds: float, max_wait: float, stop: threading.Event):
        return nullcontext()

    def chunk_paused(self) -> None:
        pass

    def posted(self) -> None:
        pass

    def wake_worker(self) -> None:
        pass
