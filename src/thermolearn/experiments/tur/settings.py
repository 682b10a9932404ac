"""Model E's settings: its parameter space (one simulate job per nu), the rows of its summary, its
config checks and its simulate jobs' resources (``thermolearn.config.job_mem_mb``,
``simulate_runtime_min``)."""

import pandas as pd

from thermolearn.config import ConfigError, in_grid, require_increasing
from thermolearn.experiments import Figure, Stage, Summary
from thermolearn.experiments.tur import CURRENTS

MODEL = ("N", "alpha", "k", "T", "times", "trajectories")
"""The parameters shared by every nu."""

STAGES = {
    "simulate": Stage(outputs={"force": "_force.csv", "currents": ".csv"}, keys=MODEL),
    "estimate": Stage(outputs={"table": ".csv"}, inputs={"force": "simulate", "currents": "simulate"},
                      keys=("N", "k", "T", "times", "trajectories")),
}
"""The per-point jobs (jobs.simulate, jobs.estimate: the moments and the TUR ratio)."""

SUMMARY = Summary(points="estimate", keys=("times",))


FIGURES = [
    Figure("tur", {"ratio": "tur_ratio", "tradeoff": "tur_tradeoff"},
           params=lambda tur: {"tur": {key: tur[key] for key in ("N", "alpha", "k", "T", "tradeoff_time")}}),
]
"""E1 and E2, from one script."""


def space(config):
    """The nu points."""
    return pd.DataFrame({"nu": [float(nu) for nu in config["tur"]["nu"]]})


def summary_rows(config):
    """The rows of results/tables/tur_summary.csv."""
    return {"current": CURRENTS, "nu": config["tur"]["nu"], "t": config["tur"]["times"]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary: none."""
    return {}


def check_config(tur):
    """Model E: a data set of at least one sample, increasing times that include the trade-off time."""
    if round(tur["alpha"] * tur["N"]) < 1:
        raise ConfigError(
            f"tur.alpha: alpha N must round to at least one sample, got {tur['alpha']} with N = {tur['N']}"
        )
    times = tur["times"]
    require_increasing(times, "tur.times")
    if not in_grid(tur["tradeoff_time"], times):
        raise ConfigError(f"tur.tradeoff_time = {tur['tradeoff_time']} is not in tur.times = {times}")


MEMORY = "8 B * (tur.alpha tur.N * tur.N + 8 * tur.trajectories * len(tur.times))"
"""What one simulate job holds (the formula of ``job_bytes``): the data set and the currents table."""

WORK = "tur.trajectories * tur.N * len(tur.times) weight-updates"
"""The work of one simulate job (the formula of ``simulate_work``)."""

RATE = 4.9e+07
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 1.85 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""


def job_bytes(tur):
    """The data set and the currents table."""
    data = round(tur["alpha"] * tur["N"]) * tur["N"]
    return 8 * (data + 8 * tur["trajectories"] * len(tur["times"]))


def simulate_work(tur, duration=None):
    """Weight-updates."""
    return tur["trajectories"] * tur["N"] * len(tur["times"])
