"""Model F's spec: one simulate job per (gamma, c), the estimate (every quantity and its theory; cheap)
of every point in one job, and the summary."""

import itertools

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing, select_on_grids
from thermolearn.experiments import steady
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary, collect
from thermolearn.experiments.steady import record_steps

MODEL = ("k", "T", "times", "dt", "trajectories", "N", "test_samples")
"""The parameters shared by every (gamma, c) point."""

MIDPOINT_STEP = 0.05
"""Largest (k + max gamma) dt: the midpoint sums fall short by about (k+gamma) dt/2 (2.5%), and the
Richardson extrapolation leaves about ((k+gamma) dt)^2/4 (0.06%) of the rates."""


def space(config):
    """The (gamma, c) points."""
    section = config["steady"]
    return pd.DataFrame(list(itertools.product(map(float, section["gamma"]), map(float, section["c"]))),
                        columns=["gamma", "c"])


def estimate(job, log):
    """Rates, variances, TUR ratios, eta_ss and eps_g per recorded time, with the theory."""
    c, point = job.params.config, job.params.point
    trajectories = tables.read_csv(job.input.trajectories, ["x", "y", "J", "J_coarse"],
                                   {"trajectory": range(c["trajectories"]), "t": [0.0, *c["times"]]})
    tests = tables.read_csv(job.input.tests, ["errors", "samples"],
                            {"network": range(c["trajectories"] // c["N"]), "t": c["times"]})
    table = steady.estimate(trajectories, tests, gamma=point["gamma"], c=point["c"], k=c["k"], T=c["T"],
                            groups=c["jackknife_groups"])
    log.info("eta_ss = %.4g +- %.2g (theory %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary_rows(config):
    """The rows of results/<run>/tables/steady_summary.csv."""
    section = config["steady"]
    return {"gamma": section["gamma"], "c": section["c"], "t": section["times"]}


def check_config(section):
    """Increasing grids and times, a step short against the fastest relaxation and times on the grid
    2 dt, enough networks for the held-out test's jackknife, the figure's point on the grids."""
    for key in ("gamma", "c", "times"):
        require_increasing(section[key], f"steady.{key}")
    dt_max = MIDPOINT_STEP / (section["k"] + max(section["gamma"]))
    if section["dt"] > dt_max:
        raise ConfigError(f"steady.dt must be <= {MIDPOINT_STEP} / (k + max gamma) = {dt_max:.3g} (midpoint bias "
                          f"of the currents), got {section['dt']}")
    try:
        record_steps(section["times"], section["dt"])
    except ValueError as error:
        raise ConfigError(f"steady.times: {error}") from None
    if section["jackknife_groups"] > section["trajectories"]:
        raise ConfigError(f"steady.jackknife_groups must be <= steady.trajectories ({section['trajectories']}), "
                          f"got {section['jackknife_groups']}")
    networks = section["trajectories"] // section["N"]
    if networks < section["jackknife_groups"]:
        raise ConfigError(f"steady.N = {section['N']}: trajectories // N = {networks} networks for the held-out "
                          f"test, fewer than jackknife_groups = {section['jackknife_groups']}")
    select_on_grids(section, "steady", {name: [f"ratio_point.{name}"] for name in ("gamma", "c")})


def job_bytes(section, point):
    """The tables, the per-trajectory currents and the trajectories' Generators: per trajectory and
    record the table (6 columns), the kernel's output and the estimate's per-trajectory currents on both
    grids, and per trajectory its Generator (measured peak: 169 MB above the interpreter for the
    estimate of 40000 trajectories at 13 records, 248 MB by this formula)."""
    return section["trajectories"] * (400 * (len(section["times"]) + 1) + 1000)


def simulate_work(section, point):
    """Steps of the trajectories and components of the held-out inputs (one Gaussian per weight of
    each)."""
    steps = max(section["times"]) / section["dt"]
    return section["trajectories"] * (steps + len(section["times"]) * section["test_samples"])


SPEC = ExperimentSpec(
    name="steady",
    category="Model F: steady-state learning",
    space=space,
    simulate=Stage(steady.simulate, outputs={"trajectories": ".csv", "tests": "_tests.csv"}, keys=MODEL,
                   per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"trajectories": "simulate", "tests": "simulate"},
                   keys=("k", "T", "times", "trajectories", "N", "jackknife_groups")),
    summary=Summary(collect(steady.REQUIRED_COLUMNS, ["gamma", "c", "t"], within=lambda c: {"t": c["times"]}),
                    steady.REQUIRED_COLUMNS, summary_rows, keys=("times",)),
    relations=tuple(steady.RELATIONS),
    bound_checks=steady.bound_checks,
    figures=(
        Figure("steady", "steady",
               {"efficiency": "steady_efficiency", "tur": "steady_tur", "generalisation": "steady_generalisation"},
               params=lambda section: {key: section[key] for key in ("k", "T", "N", "ratio_point")}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="steady.trajectories * (400 B * (len(steady.times) + 1) + 1 kB)",
        work=simulate_work,
        work_formula="steady.trajectories * (max(steady.times) / steady.dt + len(steady.times) * steady.test_samples)",
        unit="trajectory-steps",
    ),
)
