"""Model F's settings: its parameter space (one simulate job per (gamma, c)), the rows of its summary,
its config checks and its simulate jobs' resources (``thermolearn.config.job_mem_mb``,
``simulate_runtime_min``)."""

import itertools

import pandas as pd

from thermolearn.config import ConfigError, in_grid, require_increasing
from thermolearn.experiments import Figure, Stage, Summary
from thermolearn.experiments.steady import record_steps

MODEL = ("k", "T", "times", "dt", "trajectories", "N", "test_samples")
"""The parameters shared by every (gamma, c) point."""

STAGES = {
    "simulate": Stage(outputs={"trajectories": ".csv", "tests": "_tests.csv"}, keys=MODEL),
    "estimate": Stage(outputs={"table": ".csv"}, inputs={"trajectories": "simulate", "tests": "simulate"},
                      keys=("k", "T", "times", "trajectories", "N", "jackknife_groups")),
}
"""The per-point jobs (jobs.simulate, jobs.estimate: every quantity and its theory)."""

SUMMARY = Summary(points="estimate", keys=("times",))

MIDPOINT_STEP = 0.05
"""Largest (k + max gamma) dt: the midpoint sums fall short by about (k+gamma) dt/2 (2.5%), and the
Richardson extrapolation leaves about ((k+gamma) dt)^2/4 (0.06%) of the rates."""


FIGURES = [
    Figure("steady",
           {"efficiency": "steady_efficiency", "tur": "steady_tur", "generalisation": "steady_generalisation"},
           params=lambda steady: {"steady": {key: steady[key] for key in ("k", "T", "N", "ratio_point")}}),
]
"""F1-F3, from one script."""


def space(config):
    """The (gamma, c) points."""
    steady = config["steady"]
    return pd.DataFrame(list(itertools.product(map(float, steady["gamma"]), map(float, steady["c"]))),
                        columns=["gamma", "c"])


def summary_rows(config):
    """The rows of results/tables/steady_summary.csv."""
    steady = config["steady"]
    return {"gamma": steady["gamma"], "c": steady["c"], "t": steady["times"]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary: none."""
    return {}


def check_config(steady):
    """Model F: increasing grids and times, a step short against the fastest relaxation and times on the
    grid 2 dt, enough networks for the held-out test's jackknife, the figure's point on the grids."""
    for key in ("gamma", "c", "times"):
        require_increasing(steady[key], f"steady.{key}")
    dt_max = MIDPOINT_STEP / (steady["k"] + max(steady["gamma"]))
    if steady["dt"] > dt_max:
        raise ConfigError(
            f"steady.dt must be <= {MIDPOINT_STEP} / (k + max gamma) = {dt_max:.3g} (midpoint bias of the currents), "
            f"got {steady['dt']}"
        )
    try:
        record_steps(steady["times"], steady["dt"])
    except ValueError as error:
        raise ConfigError(f"steady.times: {error}") from None
    if steady["jackknife_groups"] > steady["trajectories"]:
        raise ConfigError(f"steady.jackknife_groups must be <= steady.trajectories ({steady['trajectories']}), "
                          f"got {steady['jackknife_groups']}")
    networks = steady["trajectories"] // steady["N"]
    if networks < steady["jackknife_groups"]:
        raise ConfigError(
            f"steady.N = {steady['N']}: trajectories // N = {networks} networks for the held-out test, fewer than "
            f"jackknife_groups = {steady['jackknife_groups']}"
        )
    for name in ("gamma", "c"):
        if not in_grid(steady["ratio_point"][name], steady[name]):
            raise ConfigError(f"steady.ratio_point.{name} = {steady['ratio_point'][name]} is not in the grid "
                              f"steady.{name} = {steady[name]}")


MEMORY = "steady.trajectories * (400 B * (len(steady.times) + 1) + 1 kB)"
"""What one simulate or estimate job holds (the formula of ``job_bytes``): per trajectory and record the
table (6 columns), the kernel's output and the estimate's per-trajectory currents on both grids, and per
trajectory its Generator (measured peak: 169 MB above the interpreter for the estimate of 40000
trajectories at 13 records, 248 MB by this formula)."""

WORK = "steady.trajectories * (max(steady.times) / steady.dt + len(steady.times) * steady.test_samples) steps"
"""The work of one simulate job (the formula of ``simulate_work``): exact steps, and one Gaussian per
weight of each held-out input."""

RATE = 1.1e+08
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 11.6 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""


def job_bytes(steady):
    """The tables, the per-trajectory currents and the trajectories' Generators."""
    return steady["trajectories"] * (400 * (len(steady["times"]) + 1) + 1000)


def simulate_work(steady, duration=None):
    """Steps of the trajectories and components of the held-out inputs."""
    steps = max(steady["times"]) / steady["dt"]
    return steady["trajectories"] * (steps + len(steady["times"]) * steady["test_samples"])
