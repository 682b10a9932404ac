"""Model A's settings: its parameter space (one simulate job per (protocol, tau)), the rows of its
summary, its config checks and its simulate jobs' resources (``thermolearn.config.job_mem_mb``,
``simulate_runtime_min``)."""

import pandas as pd

from thermolearn.config import ConfigError, require_increasing
from thermolearn.experiments import Figure, Stage, Summary
from thermolearn.experiments.landauer import PROTOCOLS
from thermolearn.experiments.landauer.theory import (
    LEAK_TOLERANCE,
    kramers_time,
    leak_probability,
    wrong_well_probability,
)

MODEL = ("dt", "E0", "T", "b_min", "a_max", "trajectories")
"""The parameters shared by every (protocol, tau) point."""

STAGES = {
    "simulate": Stage(outputs={"trajectories": ".csv"}, keys=MODEL),
    "estimate": Stage(outputs={"table": ".csv"}, inputs={"trajectories": "simulate"}, keys=("E0", "T", "trajectories")),
}
"""The per-point jobs (jobs.simulate, jobs.estimate)."""

SUMMARY = Summary(points="estimate", keys=("fit_min_tau",))


FIGURES = [
    Figure(
        "landauer_work",
        {"figures": "landauer_work"},
        params=lambda landauer: {
            key: landauer[key] for key in ("E0", "T", "b_min", "a_max", "fit_min_tau", "trajectories")
        } | {"bins": landauer["histogram_bins"]},
        inputs=lambda landauer: {
            speed: ("simulate", "trajectories", {"protocol": "erasure", "tau": float(landauer["tau"][end])})
            for speed, end in (("fast", 0), ("slow", -1))
        },
    ),
]
"""A1: the work of the erasure and control protocols, and the work histograms at the fastest and slowest tau."""


def space(config):
    """The (protocol, tau) points."""
    return pd.DataFrame([(p, float(tau)) for p in PROTOCOLS for tau in config["landauer"]["tau"]],
                        columns=["protocol", "tau"])


def summary_rows(config):
    """The rows of results/tables/landauer_summary.csv."""
    return {"protocol": list(PROTOCOLS), "tau": config["landauer"]["tau"]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary."""
    return {key: config["landauer"][key] for key in ("detailed_min_tau", "fit_min_tau")}


def check_config(landauer):
    """Model A: increasing tau, a stable and accurate time step, enough tau for the fit, and a
    barrier that keeps the erased bit through the slowest protocol (theory.leak_probability)."""
    tau = landauer["tau"]
    require_increasing(tau, "landauer.tau")
    dt_max = 1.0 / (80.0 * landauer["E0"])
    if landauer["dt"] > dt_max:
        raise ConfigError(
            f"landauer.dt must be <= 1/(80 E0) = {dt_max:.3g} (ten steps per relaxation time of a well), "
            f"got {landauer['dt']}"
        )
    if tau[0] < 4 * landauer["dt"]:
        raise ConfigError(f"landauer.tau: the shortest tau must span four steps dt, got {tau[0]}")
    if sum(t >= landauer["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(
            f"landauer.fit_min_tau = {landauer['fit_min_tau']} leaves fewer than two tau in {tau} for the fit"
        )
    wrong = wrong_well_probability(landauer["E0"], landauer["T"], landauer["a_max"])
    if wrong > LEAK_TOLERANCE:
        raise ConfigError(
            f"landauer.a_max = {landauer['a_max']}: the tilt leaves the bit in the wrong well with probability "
            f"{wrong:.2g} (1/(1 + e^(2 E0 a_max/T)), allowed <= {LEAK_TOLERANCE}), so the protocol does not erase; "
            f"raise a_max or E0"
        )
    crossing = kramers_time(landauer["E0"] * landauer["b_min"], landauer["T"])
    if crossing > landauer["fit_min_tau"]:
        raise ConfigError(
            f"landauer.b_min = {landauer['b_min']}: crossing the lowered barrier E0 b_min takes about {crossing:.3g} "
            f"(Kramers), longer than the fitted protocols (fit_min_tau = {landauer['fit_min_tau']}), so they do not "
            f"erase; lower b_min or raise fit_min_tau"
        )
    leak = leak_probability(tau[-1], landauer["E0"], landauer["T"], landauer["a_max"])
    if leak > LEAK_TOLERANCE:
        tau_max = tau[-1] * LEAK_TOLERANCE / leak
        raise ConfigError(
            f"landauer.E0 = {landauer['E0']}: the erased bit leaks back over the barrier during the slowest "
            f"protocol (Kramers escape time {kramers_time(landauer['E0'], landauer['T']):.3g}, expected 1 - P_s = "
            f"{leak:.2g} at tau = {tau[-1]}; allowed <= {LEAK_TOLERANCE}): raise E0 or keep tau <= {tau_max:.3g}"
        )


MEMORY = "100 B * landauer.trajectories"
"""What one simulate job holds (the formula of ``job_bytes``): the per-trajectory table."""

WORK = "landauer.trajectories * max(landauer.tau) / landauer.dt trajectory-steps"
"""The work of one simulate job (the formula of ``simulate_work``)."""

RATE = 1.2e+08
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 21.6 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""

DURATION = "tau"
"""The key of the protocol time: the longest job is the one at its largest value."""


def job_bytes(landauer):
    """The per-trajectory table."""
    return 100 * landauer["trajectories"]


def simulate_work(landauer, duration):
    """Trajectory-steps over the protocol time ``duration``."""
    return landauer["trajectories"] * duration / landauer["dt"]
