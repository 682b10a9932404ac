"""Model D's spec: one simulate job per analog tau, the estimates of every tau in one job, then the
summary of the analog energy next to n erasures of Model A (a DAG edge to its summary)."""

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing
from thermolearn.experiments import inference, landauer
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary

MODEL = ("widths", "g", "K", "T", "dt", "u_start", "u_end", "trajectories")
"""The parameters shared by every tau."""


def space(config):
    """The analog tau points."""
    return pd.DataFrame({"tau": [float(tau) for tau in config["inference"]["tau"]]})


def estimate(job, log):
    """Energy per inference, Jarzynski average and output relaxation at one tau."""
    c = job.params.config
    trajectories = tables.read_csv(job.input.trajectories, ["work", "msd_output", "msd_equilibrium"],
                                   {"trajectory": range(c["trajectories"])})
    table = inference.estimate(trajectories, T=c["T"])
    table.insert(0, "tau", job.params.point["tau"])
    return {"table": table}


def summary(job, log):
    """Analog energy with its fit W_inf + B/tau next to n <W_erase(tau)>/T of Model A's summary."""
    c = job.params.config
    analog = tables.read_tables(job.input.tables, ["tau", "dof", "energy", "energy_err", "jarzynski", "jarzynski_err"],
                                tables.point_rows(job.params.points))
    erasure = tables.read_csv(job.input.landauer, landauer.SUMMARY_COLUMNS, job.params.needs_rows["landauer"])
    table = inference.summary(analog, erasure, n_neurons=inference.n_neurons(c["widths"]), fit_min_tau=c["fit_min_tau"])
    log.info("analog fit: W_inf = %.3g +- %.2g, B = %.3g +- %.2g, C = %.3g +- %.2g, chi2 = %.3g on %d dof (p = %.2g)",
             *table[["w_inf", "w_inf_err", "b", "b_err", "c", "c_err", "fit_chi2", "fit_chi2_dof", "fit_p"]].iloc[0])
    return table


def summary_rows(config):
    """The rows of results/<run>/tables/inference_summary.csv: analog rows at inference.tau, digital
    rows (Model A's erasure) at landauer.tau."""
    return {("kind", "tau"): [("analog", tau) for tau in config["inference"]["tau"]]
            + [("digital", tau) for tau in config["landauer"]["tau"]]}


def bound_options(config):
    """The digital network's n and the trajectories that decide where <e^{-W/T}> is testable."""
    section = config["inference"]
    return {"n_neurons": inference.n_neurons(section["widths"]), "trajectories": section["trajectories"]}


def check_config(section):
    """Inputs as wide as the input layer, increasing tau, a stable step, enough tau to fit."""
    for key in ("u_start", "u_end"):
        if len(section[key]) != section["widths"][0]:
            raise ConfigError(f"inference.{key} must have n_0 = {section['widths'][0]} entries, "
                              f"got {len(section[key])}")
    tau = section["tau"]
    require_increasing(tau, "inference.tau")
    if tau[0] < 4 * section["dt"]:
        raise ConfigError(f"inference.tau: the shortest tau must span four steps dt = {section['dt']}, got {tau[0]}")
    if section["dt"] * section["K"] > 0.1:
        raise ConfigError(f"inference.dt must be <= 0.1/K = {0.1 / section['K']:.3g} (ten steps per relaxation "
                          f"time), got {section['dt']}")
    if sum(t >= section["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(f"inference.fit_min_tau = {section['fit_min_tau']} leaves fewer than two tau in {tau}")


def job_bytes(section, point):
    """The weights, the input ramp and the per-trajectory table."""
    widths = section["widths"]
    steps = point["tau"] / section["dt"]
    return 8 * (3 * section["trajectories"] + sum(a * b for a, b in zip(widths, widths[1:])) + widths[1] * steps)


def simulate_work(section, point):
    """Neuron-steps of the benchmarked 4-8-8-2 network over the point's protocol time tau and the
    relaxation of its equilibrium reference: a neuron-step costs its fan-in + 1 multiply-adds, 130/18 on
    average in that network (measured: 1.8e8 multiply-adds/s there, 9e7-5e8 /s for wider layers)."""
    widths = section["widths"]
    multiply_adds = sum(n * (1 + m) for m, n in zip(widths, widths[1:]))
    relax = inference.relaxation_steps(widths[-1], section["trajectories"])
    return section["trajectories"] * multiply_adds / (130 / 18) * (point["tau"] / section["dt"] + relax)


SPEC = ExperimentSpec(
    name="inference",
    category="Model D: inference",
    space=space,
    simulate=Stage(inference.simulate, outputs={"trajectories": ".csv"}, keys=MODEL, per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"trajectories": "simulate"},
                   keys=("T", "trajectories")),
    summary=Summary(summary, inference.SUMMARY_COLUMNS, summary_rows, keys=("widths", "fit_min_tau"),
                    needs=("landauer",)),
    relations=tuple(inference.RELATIONS),
    bound_checks=inference.bound_checks,
    bound_options=bound_options,
    figures=(
        Figure("inference_energy", "energy", {"figures": "inference_energy"},
               params=lambda section: {key: section[key] for key in ("widths", "g", "K", "T", "fit_min_tau")}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="8 B * (3 inference.trajectories + sum n_l n_(l-1) over inference.widths"
               " + n_1 tau / inference.dt)",
        work=simulate_work,
        work_formula="inference.trajectories * (tau / inference.dt + n_relax)"
                     " * sum n_l (1 + n_(l-1)) over inference.widths / (130/18),"
                     " n_relax = sqrt(n_out inference.trajectories / 2) / (4 e 0.01)",
        unit="neuron-steps",
    ),
)
