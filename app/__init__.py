"""GateLab's desktop application (Qt). The engine is ``nn_core``."""

import os

# One BLAS thread, set before numpy loads OpenBLAS: its worker threads (one per core) fight the live view's CPU
# placement (app/liveview.py) and the training thread, so a 64,64,64 network's loss landscape took 2.3 s instead
# of 74 ms in the window (docs/performance.md).  A value set outside is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
