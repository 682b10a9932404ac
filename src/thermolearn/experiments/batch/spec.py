"""Model B's spec: one simulate job per (alpha, nu) (adding a grid value runs only the new points), one
estimate job per point (its nonparametric entropies take seconds at paper scale), the information
and summary of every point in one job."""

import math

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_distinct, require_increasing, select_on_grids
from thermolearn.experiments import batch
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary, collect

MODEL = ("N", "k", "T", "times", "trials")
"""The parameters shared by every point: only these enter a simulate job's params, so a change of the
grids does not rerun existing points."""


def space(config):
    """The (alpha, nu) points."""
    section = config["batch"]
    return pd.DataFrame([(float(a), float(n)) for a in section["alpha"] for n in section["nu"]],
                        columns=["alpha", "nu"])


def estimate(job, log):
    """Heat, entropy change and entropy production per jackknife replicate and time; the Delta s_tot
    histogram at the last time."""
    c = job.params.config
    columns = ["trial", "f", "w0", *map(tables.weight_column, c["times"])]
    weights = tables.read_parquet(job.input.weights, columns, {"trial": range(c["trials"])}, per=c["N"])
    log.info("read %d weights x %d times", len(weights), len(c["times"]))
    return {
        "replicates": batch.estimate(weights, times=c["times"], k=c["k"], T=c["T"], groups=c["jackknife_groups"]),
        "histogram": batch.entropy_production_histogram(weights, t=c["times"][-1], k=c["k"], T=c["T"],
                                                        bins=c["histogram_bins"]),
    }


def information(job, log):
    """Training error, information and efficiency of one point, with the theory."""
    c, point = job.params.config, job.params.point
    trials = tables.read_csv(job.input.trials, ["errors", "P"], {"trial": range(c["trials"]), "t": c["times"]})
    replicates = tables.read_csv(
        job.input.replicates, batch.ESTIMATES, {"t": c["times"], "replicate": range(-1, c["jackknife_groups"])}
    )
    table = batch.point_summary(trials, replicates, alpha=point["alpha"], nu=point["nu"], k=c["k"], T=c["T"],
                                N=c["N"], groups=c["jackknife_groups"])
    log.info("eta at t_f = %.4g +- %.2g (theory %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary_rows(config):
    """The rows of results/<run>/tables/batch_summary.csv."""
    section = config["batch"]
    return {"alpha": section["alpha"], "nu": section["nu"], "t": section["times"]}


def check_config(section):
    """Increasing times with t_f k >= 10, whole sample counts alpha N, grid members for the figures."""
    times = section["times"]
    require_increasing(times, "batch.times")
    if times[-1] * section["k"] < 10:
        raise ConfigError(f"batch.times: the last time times k must be >= 10 (t -> infinity), "
                          f"got {times[-1]} * {section['k']}")
    if section["jackknife_groups"] > section["trials"]:
        raise ConfigError(f"batch.jackknife_groups must be <= batch.trials ({section['trials']}), "
                          f"got {section['jackknife_groups']}")
    if round(min(section["alpha"]) * section["N"]) < 1:
        raise ConfigError(f"batch.alpha: alpha N must round to at least one sample, got min alpha "
                          f"{min(section['alpha'])} with N = {section['N']}")
    fractional = [a for a in section["alpha"]
                  if not math.isclose(a * section["N"], round(a * section["N"]), abs_tol=1e-9)]
    if fractional:
        raise ConfigError(f"batch.alpha: alpha N must be a whole number of samples P (the theory is at alpha = "
                          f"P/N), got alpha = {fractional[0]} with N = {section['N']}")
    for name in ("alpha", "nu"):
        require_distinct(section[name], f"batch.{name}")
    select_on_grids(section, "batch", {name: [f"bound.{name}", f"fluctuation.{name}"] for name in ("alpha", "nu")})


def job_bytes(section, point):
    """The pooled weights w(0), f, w(t) (float64 and their float32 table) and one data set xi per thread."""
    from thermolearn.resources import THREADS

    samples = round(point["alpha"] * section["N"])
    weights = section["trials"] * section["N"] * (len(section["times"]) + 2)
    return 24 * weights + 8 * THREADS * section["N"] * samples


def simulate_work(section, point):
    """Weight-updates (trials N n_times), each also paying for ~alpha field multiply-adds."""
    return section["trials"] * section["N"] * len(section["times"]) * (1 + point["alpha"])


def model_keys(section):
    """The parameters every Model B figure reads for its theory lines and title."""
    return {key: section[key] for key in ("k", "T", "N")}


SPEC = ExperimentSpec(
    name="batch",
    category="Model B: batch learning",
    space=space,
    simulate=Stage(batch.simulate, outputs={"trials": ".csv", "weights": ".parquet"}, keys=MODEL, per_point=True),
    estimate=Stage(estimate, outputs={"replicates": ".csv", "histogram": "_fluctuation.csv"},
                   inputs={"weights": "simulate"},
                   keys=("N", "k", "T", "times", "trials", "jackknife_groups", "histogram_bins"), per_point=True),
    information=Stage(information, outputs={"table": ".csv"}, inputs={"trials": "simulate", "replicates": "estimate"},
                      keys=("N", "k", "T", "times", "trials", "jackknife_groups")),
    summary=Summary(collect(batch.SUMMARY_COLUMNS, ["alpha", "nu", "t"], within=lambda c: {"t": c["times"]}),
                    batch.SUMMARY_COLUMNS, summary_rows, keys=("times",)),
    relations=tuple(batch.RELATIONS),
    bound_checks=batch.bound_checks,
    figures=(
        Figure("batch_eta", "eta", {"figures": "batch_eta"}, params=model_keys),
        Figure("batch_bound", "bound", {"figures": "batch_bound"},
               params=lambda section: model_keys(section) | {"bound": section["bound"]}),
        Figure("batch_fluctuation", "fluctuation", {"figures": "batch_fluctuation"},
               params=lambda section: model_keys(section) | {"point": section["fluctuation"]},
               inputs=lambda section: {"histogram": ("estimate", "histogram",
                                                     {key: float(section["fluctuation"][key])
                                                      for key in ("alpha", "nu")})},
               read="read_histogram",
               reading=lambda section: {"t": section["times"][-1], "bins": section["histogram_bins"]}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="24 B * batch.trials * batch.N * (len(batch.times) + 2) + 8 B * 2 threads * batch.N * alpha "
               "batch.N",
        work=simulate_work,
        work_formula="batch.trials * batch.N * len(batch.times) * (1 + alpha)",
        unit="weight-updates",
    ),
)
