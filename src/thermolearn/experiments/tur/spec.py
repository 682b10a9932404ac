"""Model E's spec: one simulate job per nu (one data set each), the moments and TUR ratios of every nu
in one job, the summary of every current, nu and time."""

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing, select_on_grids
from thermolearn.experiments import tur
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary, collect

MODEL = ("N", "alpha", "k", "T", "times", "trajectories")
"""The parameters shared by every nu."""


def space(config):
    """The nu points."""
    return pd.DataFrame({"nu": [float(nu) for nu in config["tur"]["nu"]]})


def estimate(job, log):
    """Moments of each current and the TUR ratio (t d<J>/dt)^2 / (Var J <Sigma>/2) at every time."""
    c = job.params.config
    force = tables.read_csv(job.input.force, ["f"], {}, per=c["N"])
    currents = tables.read_csv(job.input.currents, tur.CURRENTS, {"trajectory": range(c["trajectories"]),
                                                                  "t": c["times"]})
    table = tur.estimate(force, currents, k=c["k"], T=c["T"])
    table.insert(1, "nu", job.params.point["nu"])
    return {"table": table}


def summary_rows(config):
    """The rows of results/<run>/tables/tur_summary.csv."""
    return {"current": tur.CURRENTS, "nu": config["tur"]["nu"], "t": config["tur"]["times"]}


def check_config(section):
    """A data set of at least one sample, increasing times that include the trade-off time."""
    if round(section["alpha"] * section["N"]) < 1:
        raise ConfigError(f"tur.alpha: alpha N must round to at least one sample, got {section['alpha']} "
                          f"with N = {section['N']}")
    times = section["times"]
    require_increasing(times, "tur.times")
    select_on_grids(section, "tur", {"times": ["tradeoff_time"]})


def job_bytes(section, point):
    """The data set and the currents table."""
    data = round(section["alpha"] * section["N"]) * section["N"]
    return 8 * (data + 8 * section["trajectories"] * len(section["times"]))


def simulate_work(section, point):
    """Weight-updates: trajectories N n_times."""
    return section["trajectories"] * section["N"] * len(section["times"])


SPEC = ExperimentSpec(
    name="tur",
    category="Model E: TUR",
    space=space,
    simulate=Stage(tur.simulate, outputs={"force": "_force.csv", "currents": ".csv"}, keys=MODEL, per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"force": "simulate", "currents": "simulate"},
                   keys=("N", "k", "T", "times", "trajectories")),
    summary=Summary(collect(tur.SUMMARY_COLUMNS, ["current", "nu", "t"],
                            within=lambda c: {"current": tur.CURRENTS, "t": c["times"]}),
                    tur.SUMMARY_COLUMNS, summary_rows, keys=("times",)),
    relations=tuple(tur.RELATIONS),
    bound_checks=tur.bound_checks,
    figures=(
        Figure("tur", "ratio_and_tradeoff", {"ratio": "tur_ratio", "tradeoff": "tur_tradeoff"},
               params=lambda section: {key: section[key] for key in ("N", "alpha", "k", "T", "tradeoff_time")}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="8 B * (tur.alpha tur.N * tur.N + 8 * tur.trajectories * len(tur.times))",
        work=simulate_work,
        work_formula="tur.trajectories * tur.N * len(tur.times)",
        unit="weight-updates",
    ),
)
