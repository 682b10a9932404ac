"""Model D's settings: its parameter space (one simulate job per analog tau), the rows of its
summary, its config checks and its simulate jobs' resources (``thermolearn.config.job_mem_mb``,
``simulate_runtime_min``)."""

import pandas as pd

from thermolearn.config import ConfigError, require_increasing
from thermolearn.experiments import Figure, Stage, Summary
from thermolearn.experiments.inference import n_neurons

MODEL = ("widths", "g", "K", "T", "dt", "u_start", "u_end", "trajectories")
"""The parameters shared by every tau."""

STAGES = {
    "simulate": Stage(outputs={"trajectories": ".csv"}, keys=MODEL),
    "estimate": Stage(outputs={"table": ".csv"}, inputs={"trajectories": "simulate"}, keys=("T", "trajectories")),
}
"""The per-point jobs (jobs.simulate, jobs.estimate)."""

SUMMARY = Summary(points="estimate", keys=("widths", "fit_min_tau"), needs=("landauer",))
"""The digital rows are Model A's erasure work: a DAG edge to its summary."""


FIGURES = [
    Figure("inference_energy", {"figures": "inference_energy"},
           params=lambda inference: {
               "inference": {key: inference[key] for key in ("widths", "g", "K", "T", "fit_min_tau")}
           }),
]
"""D1."""


def space(config):
    """The analog tau points."""
    return pd.DataFrame({"tau": [float(tau) for tau in config["inference"]["tau"]]})


def summary_rows(config):
    """The rows of results/tables/inference_summary.csv: analog rows at inference.tau, digital
    rows (Model A's erasure) at landauer.tau."""
    return {("kind", "tau"): [("analog", tau) for tau in config["inference"]["tau"]]
            + [("digital", tau) for tau in config["landauer"]["tau"]]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary."""
    inference = config["inference"]
    return {"n_neurons": n_neurons(inference["widths"]), "trajectories": inference["trajectories"]}


def check_config(inference):
    """Model D: inputs as wide as the input layer, increasing tau, a stable step, enough tau to fit."""
    for key in ("u_start", "u_end"):
        if len(inference[key]) != inference["widths"][0]:
            raise ConfigError(
                f"inference.{key} must have n_0 = {inference['widths'][0]} entries, got {len(inference[key])}"
            )
    tau = inference["tau"]
    require_increasing(tau, "inference.tau")
    if tau[0] < 4 * inference["dt"]:
        raise ConfigError(
            f"inference.tau: the shortest tau must span four steps dt = {inference['dt']}, got {tau[0]}"
        )
    if inference["dt"] * inference["K"] > 0.1:
        raise ConfigError(
            f"inference.dt must be <= 0.1/K = {0.1 / inference['K']:.3g} (ten steps per relaxation time), "
            f"got {inference['dt']}"
        )
    if sum(t >= inference["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(f"inference.fit_min_tau = {inference['fit_min_tau']} leaves fewer than two tau in {tau}")


MEMORY = ("8 B * (3 inference.trajectories + sum n_l n_(l-1) over inference.widths"
          " + n_1 max(inference.tau) / inference.dt)")
"""What one simulate job holds (the formula of ``job_bytes``)."""

WORK = ("inference.trajectories * max(inference.tau) / inference.dt"
        " * sum n_l (1 + n_(l-1)) over inference.widths / (130/18)")
"""The work of one simulate job (the formula of ``simulate_work``)."""

RATE = 5.7e+07
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 165 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""

DURATION = "tau"
"""The key of the protocol time: the longest job is the one at its largest value."""


def job_bytes(inference):
    """The weights, the input ramp and the per-trajectory table."""
    widths = inference["widths"]
    steps = max(inference["tau"]) / inference["dt"]
    return 8 * (3 * inference["trajectories"] + sum(a * b for a, b in zip(widths, widths[1:])) + widths[1] * steps)


def simulate_work(inference, duration):
    """Neuron-steps of the benchmarked 4-8-8-2 network over the protocol time ``duration``: a
    neuron-step costs its fan-in + 1 multiply-adds, 130/18 on average in that network (measured:
    1.8e8 multiply-adds/s there, 9e7-5e8 /s for wider layers)."""
    widths = inference["widths"]
    multiply_adds = sum(n * (1 + m) for m, n in zip(widths, widths[1:]))
    return inference["trajectories"] * multiply_adds / (130 / 18) * duration / inference["dt"]
