"""Every kernel gives bit-identical stage-1 tables on 1 thread and on all threads: each trial
draws from its own seeded stream, whichever thread runs it."""

import numba
import pandas as pd
import pytest

from thermolearn.experiments import REGISTRY, batch, inference, landauer, online, steady, tur

STAGE_ONE = {
    "batch": lambda: batch.simulate(60, 2.0, 1.0, 1.0, 1.0, [0.5, 5.0], 41, seed=1, key="threads"),
    "online": lambda: online.simulate("perceptron", 1.0, 1.0, 60, 1.0, 1.0, [0.5, 2.0], trials=9, test_samples=50,
                                      seed=1, key="threads"),
    "landauer": lambda: landauer.simulate("erasure", 2.0, 1e-3, 10.0, 1.0, 0.05, 0.5, 33, seed=1, key="threads"),
    "tur": lambda: tur.simulate(30, 1.0, 1.0, 1.0, 1.0, [0.1, 1.0], 33, seed=1, key="threads"),
    "inference": lambda: inference.simulate(1.0, [3, 4, 2], 1.2, 10.0, 1.0, 0.01, [0.2, -0.3, 0.4],
                                            [-0.2, 0.3, 0.1], 33, seed=1),
    "steady": lambda: steady.simulate(1.0, 1.0, 1.0, 1.0, [0.1, 1.0], 0.01, 33, 10, 20, seed=1, key="threads"),
}


def tables(result):
    """The stage's tables as a list of DataFrames."""
    items = result if isinstance(result, tuple) else (result,)
    return [pd.DataFrame(item) for item in items]


@pytest.mark.parametrize("experiment", REGISTRY)
def test_results_do_not_depend_on_the_thread_count(experiment):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs at least 2 numba threads")
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = tables(STAGE_ONE[experiment]())
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = tables(STAGE_ONE[experiment]())
    finally:
        numba.set_num_threads(threads)
    assert all(a.equals(b) for a, b in zip(one, many, strict=True))
