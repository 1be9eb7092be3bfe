"""Closing the window mid-run with each lens in front exits cleanly, ten times in a row (a lens computing in the
background, or drawing a snapshot, as the window goes)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from close_driver import assert_closed_cleanly, close_mid_run

from app.lenses import LENSES


@pytest.mark.parametrize("paused", [False, True], ids=["training", "paused"])
@pytest.mark.parametrize("lens", [lens.key for lens in LENSES])
def test_closing_with_a_lens_in_front_mid_run_exits_cleanly_ten_times_in_a_row(lens, paused):
    args = ["--lens", lens, "--hidden", "4,4"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # before the lens's first drawing, during one, and later
        results = list(pool.map(lambda i: close_mid_run(args, (i * 37) % 400, paused), range(10)))
    assert_closed_cleanly(results, paused, "single", lens)
