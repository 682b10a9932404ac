"""Long simulate jobs log their progress; running in chunks changes no number."""

import logging

import numpy as np

from thermolearn.experiments import landauer
from thermolearn.progress import in_chunks


def test_chunks_join_to_one_call_and_log_fraction_elapsed_and_rate(caplog):
    seeds = np.arange(23, dtype=np.uint32)
    with caplog.at_level(logging.INFO, logger="thermolearn.progress"):
        joined = in_chunks(lambda s: (s * 2, s[:, None] + np.zeros((1, 3))), seeds, chunks=4)
    assert np.array_equal(joined[0], seeds * 2) and joined[1].shape == (23, 3)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 4 and lines[-1].startswith("100.0% of 23 trials")
    assert all("s elapsed" in line and "trials/s" in line for line in lines)
    elapsed = [float(line.split(", ")[1].split(" s elapsed")[0]) for line in lines]
    assert 0.0 <= elapsed[-1] < 60.0, lines  # seconds since the start, not since the epoch


def test_a_simulate_job_logs_progress(caplog):
    with caplog.at_level(logging.INFO, logger="thermolearn.progress"):
        landauer.simulate(protocol="control", tau=0.5, dt=1e-3, E0=10.0, T=1.0, b_min=0.05, a_max=0.5, trajectories=40,
                          seed=1, key="progress")
    assert sum("% of 40 trials" in r.getMessage() for r in caplog.records) == 10
