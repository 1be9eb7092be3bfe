"""Chapter 6 leaves the first round's network as it was: the defaults (sigmoid, xavier, sgd,
lr 2.0, no decay, 4 hidden units) still solve every classic gate for at least 98 of seeds
0..99 within 20,000 steps."""

import pytest

from nn_core.config import DEFAULT_ITERATIONS, TrainConfig
from nn_core.gates import GATES
from nn_core.sweep import sweep


def test_the_defaults_are_the_claims_setting():
    config = TrainConfig().validated()
    assert (config.activation, config.init, config.optimizer, config.lr, config.weight_decay, config.hidden) == \
        ("sigmoid", "xavier", "sgd", 2.0, 0.0, (4,))
    assert config.iterations == DEFAULT_ITERATIONS == 20_000


@pytest.mark.parametrize("gate", list(GATES))
def test_the_defaults_solve_each_classic_gate_for_98_of_100_seeds(gate):
    result = sweep(TrainConfig(gate=gate), 100)
    assert not result.diverged.any()
    assert result.solved.sum() >= 98, result.failed_seeds
