"""Who runs Python now: the GUI thread goes first.

numpy on the engine's 4-row arrays never releases the GIL.  A GUI thread
that gives the GIL up for each OpenGL or Qt call (PyOpenGL and PySide do)
must then wait a whole switch interval to get it back while the worker
trains: a frame took about a second.  So the GUI marks its Python-heavy work
(drawing, painting) ``with GUI_FIRST.busy():`` and the worker, between short
chunks of training, waits while it is busy.  Steps are never interrupted, so
µs/step stays the engine's figure.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager

# A slow method's step (central on 64 hidden units: ~20 ms) cannot wait for the GUI at a chunk boundary, so
# inside it every Qt or GL call of the GUI thread waits for the GIL for up to the switch interval (5 ms by
# default): a click took up to ~100 ms to be handled.  At 1 ms the worst click measured ~30 ms.
SWITCH_INTERVAL = 0.001


def share_gil_quickly() -> None:
    """Make a thread that wants the GIL wait at most SWITCH_INTERVAL for it (a process-wide setting)."""
    if sys.getswitchinterval() > SWITCH_INTERVAL:
        sys.setswitchinterval(SWITCH_INTERVAL)


class GuiFirst:
    def __init__(self):
        self._lock = threading.Lock()
        self._depth = 0
        self._quiet = threading.Event()
        self._quiet.set()

    @contextmanager
    def busy(self):
        """The GUI thread is about to run Python-heavy code: the worker waits at its next chunk boundary."""
        with self._lock:
            self._depth += 1
            self._quiet.clear()
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    self._quiet.set()

    def wait_quiet(self, timeout: float) -> bool:
        """In the worker: wait (at most ``timeout`` s, so training never stalls) until the GUI is not busy."""
        return self._quiet.wait(timeout)


GUI_FIRST = GuiFirst()
