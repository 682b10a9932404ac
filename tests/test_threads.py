"""Every registered experiment's simulate job gives bit-identical tables on 1 thread and on all
threads: each trial draws from its own seeded stream, whichever thread runs it."""

import logging
from pathlib import Path
from types import SimpleNamespace

import numba
import pytest

from thermolearn import config as configuration
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import run_at

QUICK = configuration.validate(
    configuration.merge(configuration.load(configuration.DEFAULT),
                        configuration.load(Path(__file__).resolve().parents[1] / "config" / "quick.yaml"))
)
ODD_TRIALS = 33
"""Trials (or trajectories) per job: odd, so the threads' shares differ."""


def simulate_job(name):
    """The tables of the simulate job at the first point of config/quick.yaml's grid."""
    spec = REGISTRY[name]
    point = spec.points(QUICK)[0]
    model = {key: ODD_TRIALS if key in ("trials", "trajectories") else QUICK[name][key] for key in spec.simulate.keys}
    if spec.simulate.point_keys:
        model |= spec.simulate.point_keys(QUICK[name], point)
    job = SimpleNamespace(params=SimpleNamespace(point=point, config=model, seed=1))
    return run_at(spec, "simulate", job, logging.getLogger(name))


@pytest.mark.parametrize("experiment", REGISTRY)
def test_results_do_not_depend_on_the_thread_count(experiment):
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs at least 2 numba threads")
    threads = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate_job(experiment)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = simulate_job(experiment)
    finally:
        numba.set_num_threads(threads)
    assert one.keys() == many.keys()
    assert all(one[name].equals(many[name]) for name in one)
