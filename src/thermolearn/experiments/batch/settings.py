"""Model B's settings: its parameter space (one simulate job per (alpha, nu): adding a grid value
runs only the new points), the rows of its summary, its config checks and its simulate jobs'
resources (``thermolearn.config.job_mem_mb``, ``simulate_runtime_min``)."""

import math

import pandas as pd

from thermolearn.config import THREADS, ConfigError, in_grid, require_increasing
from thermolearn.experiments import Figure, Stage, Summary

MODEL = ("N", "k", "T", "times", "trials")
"""The parameters shared by every point: only these enter a job's params, so a change of the
grids does not rerun existing points."""

STAGES = {
    "simulate": Stage(outputs={"trials": ".csv", "weights": ".parquet"}, keys=MODEL),
    "estimate": Stage(outputs={"replicates": ".csv", "histogram": "_fluctuation.csv"}, inputs={"weights": "simulate"},
                      keys=("N", "k", "T", "times", "trials", "jackknife_groups", "histogram_bins")),
    "information": Stage(outputs={"table": ".csv"}, inputs={"trials": "simulate", "replicates": "estimate"},
                         keys=("N", "k", "T", "times", "trials", "jackknife_groups")),
}
"""The per-point jobs (jobs.simulate, jobs.estimate, jobs.information)."""

SUMMARY = Summary(points="information", keys=("times",))


def model_keys(batch):
    """The parameters every Model B figure reads for its theory lines and title."""
    return {key: batch[key] for key in ("k", "T", "N")}


FIGURES = [
    Figure("batch_eta", {"figures": "batch_eta"}, params=model_keys),
    Figure("batch_bound", {"figures": "batch_bound"},
           params=lambda batch: model_keys(batch) | {"bound": batch["bound"]}),
    Figure(
        "batch_fluctuation",
        {"figures": "batch_fluctuation"},
        params=lambda batch: model_keys(batch) | {
            "point": batch["fluctuation"],
            "histogram_rows": {"t": [batch["times"][-1]]},
            "bins": batch["histogram_bins"],
        },
        inputs=lambda batch: {
            "histogram": ("estimate", "histogram", {key: float(batch["fluctuation"][key]) for key in ("alpha", "nu")})
        },
    ),
]
"""B1-B3 (figure rules, scripts/figure_<name>.py)."""


def space(config):
    """The (alpha, nu) points."""
    batch = config["batch"]
    return pd.DataFrame([(float(a), float(n)) for a in batch["alpha"] for n in batch["nu"]], columns=["alpha", "nu"])


def summary_rows(config):
    """The rows of results/tables/batch_summary.csv (``tables.read_csv``'s ``expect``)."""
    batch = config["batch"]
    return {"alpha": batch["alpha"], "nu": batch["nu"], "t": batch["times"]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary: none."""
    return {}


def check_config(batch):
    """Model B: increasing times with t_f k >= 10, grid members for the figures' points."""
    times = batch["times"]
    require_increasing(times, "batch.times")
    if times[-1] * batch["k"] < 10:
        raise ConfigError(
            f"batch.times: the last time times k must be >= 10 (t -> infinity), "
            f"got {times[-1]} * {batch['k']}"
        )
    if batch["jackknife_groups"] > batch["trials"]:
        raise ConfigError(
            f"batch.jackknife_groups must be <= batch.trials ({batch['trials']}), "
            f"got {batch['jackknife_groups']}"
        )
    if round(min(batch["alpha"]) * batch["N"]) < 1:
        raise ConfigError(
            f"batch.alpha: alpha N must round to at least one sample, got min alpha "
            f"{min(batch['alpha'])} with N = {batch['N']}"
        )
    fractional = [a for a in batch["alpha"] if not math.isclose(a * batch["N"], round(a * batch["N"]), abs_tol=1e-9)]
    if fractional:
        raise ConfigError(
            f"batch.alpha: alpha N must be a whole number of samples P (the theory is at alpha = P/N), "
            f"got alpha = {fractional[0]} with N = {batch['N']}"
        )
    for key in ("bound", "fluctuation"):
        for name in ("alpha", "nu"):
            values = batch[key][name]
            for value in values if isinstance(values, list) else [values]:
                if not in_grid(value, batch[name]):
                    raise ConfigError(
                        f"batch.{key}.{name} = {value} is not in the grid batch.{name} = {batch[name]}"
                    )


MEMORY = "24 B * batch.trials * batch.N * (len(batch.times) + 2) + 8 B * 2 threads * batch.N * max(batch.alpha) batch.N"
"""What one simulate job holds (the formula of ``job_bytes``)."""

WORK = "batch.trials * batch.N * len(batch.times) * (1 + max(batch.alpha)) weight-updates"
"""The work of one simulate job (the formula of ``simulate_work``)."""

RATE = 6.3e+06
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 15.9 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""


def job_bytes(batch):
    """The pooled weights w(0), f, w(t) (float64 and their float32 table) and one data set xi per
    thread."""
    samples = round(max(batch["alpha"]) * batch["N"])
    weights = batch["trials"] * batch["N"] * (len(batch["times"]) + 2)
    return 24 * weights + 8 * THREADS * batch["N"] * samples


def simulate_work(batch, duration=None):
    """Weight-updates (trials N n_times), each also paying for ~alpha field multiply-adds."""
    return batch["trials"] * batch["N"] * len(batch["times"]) * (1 + max(batch["alpha"]))
