"""What the views that look inside one network are shown: the network at one step.

The single run's page has a tab per way of looking (the output surface, the hidden units and the diagram, the
gradient check, the loss landscape).  The window gives the tab in front a ``NetworkAt`` with each snapshot it
shows (live, at most every ``PANEL_INTERVAL`` while training) and with each replayed step; a view shows that
network and nothing else, so live and replay are the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nn_core.config import TrainConfig


@dataclass(frozen=True)
class NetworkAt:
    """One network at one step of its run.

    ``params``: ``(P,)`` flat, in ``nn_core.network.param_layout(config.hidden)`` order.  ``loss``: the
    cross-entropy at ``params`` (``Trainer.loss``).  ``path_steps`` ``(T,)`` and ``path_params`` ``(T, P)``: the
    run's kept steps up to ``step``, oldest first (the replay log's; T may be 0).  ``live``: True while training.
    """

    config: TrainConfig
    params: np.ndarray
    step: int
    loss: float
    path_steps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    path_params: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    live: bool = False
