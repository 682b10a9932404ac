"""Model A's spec: one simulate job per (protocol, tau), the estimates of every point in one job, then
the summary with the generalized Landauer bound and the fit W_inf + B/tau."""

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing
from thermolearn.experiments import landauer
from thermolearn.experiments.landauer import DETAILED_JARZYNSKI, PROTOCOLS
from thermolearn.experiments.landauer.theory import (
    LEAK_TOLERANCE,
    kramers_time,
    leak_probability,
    wrong_well_probability,
)
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary

MODEL = ("dt", "E0", "T", "b_min", "a_max", "trajectories")
"""The parameters shared by every (protocol, tau) point."""


def space(config):
    """The (protocol, tau) points."""
    return pd.DataFrame([(p, float(tau)) for p in PROTOCOLS for tau in config["landauer"]["tau"]],
                        columns=["protocol", "tau"])


def estimate(job, log):
    """Work, success probability and Jarzynski averages of one point."""
    c, point = job.params.config, job.params.point
    trajectories = tables.read_csv(job.input.trajectories, ["x_start", "x_end", "work", "heat"],
                                   {"trajectory": range(c["trajectories"])})
    table = landauer.estimate(trajectories, T=c["T"], E0=c["E0"]).assign(**point)
    log.info("<W>/T = %.4g +- %.2g, P_s = %.4g", *table[["work", "work_err", "success"]].iloc[0])
    return {"table": table}


def summary(job, log):
    """Every point, the generalized Landauer bound ln 2 - h(P_s) and the fit W_inf + B/tau."""
    fit_min_tau = job.params.config["fit_min_tau"]
    points = tables.read_tables(job.input.tables, landauer.ESTIMATE_COLUMNS, tables.point_rows(job.params.points))
    table = landauer.summary(points, fit_min_tau=fit_min_tau)
    for protocol, rows in table.groupby("protocol"):
        fit = rows[["w_inf", "w_inf_err", "b", "b_err", "c", "c_err", "fit_chi2", "fit_chi2_dof", "fit_p"]].iloc[0]
        fitted = rows[rows["tau"] >= fit_min_tau]
        log.info("%s: W_inf = %.4g +- %.2g, B = %.4g +- %.2g, C = %.4g +- %.2g, chi2 = %.3g on %d dof (p = %.2g) "
                 "(fit of %s over tau >= %g, where P_s >= %.4g)",
                 protocol, *fit, landauer.FITTED_WORK[protocol][0], fit_min_tau, fitted["success"].min())
    return table


def summary_rows(config):
    """The rows of results/<run>/tables/landauer_summary.csv."""
    return {"protocol": list(PROTOCOLS), "tau": config["landauer"]["tau"]}


def bound_options(config):
    """The tau from which the detailed Jarzynski relation and the fit's premise are checked."""
    return {key: config["landauer"][key] for key in ("detailed_min_tau", "fit_min_tau")}


def check_config(section):
    """Increasing tau, a stable and accurate time step, enough tau for the fit, and a barrier that
    keeps the erased bit through the slowest protocol (theory.leak_probability)."""
    tau = section["tau"]
    require_increasing(tau, "landauer.tau")
    dt_max = 1.0 / (80.0 * section["E0"])
    if section["dt"] > dt_max:
        raise ConfigError(f"landauer.dt must be <= 1/(80 E0) = {dt_max:.3g} at landauer.E0 = {section['E0']} (ten "
                          f"steps per relaxation time of a well), got {section['dt']}: lower dt or E0")
    if tau[0] < 4 * section["dt"]:
        raise ConfigError(f"landauer.tau: the shortest tau must span four steps dt, got {tau[0]}")
    if section["detailed_min_tau"] > tau[-1]:
        raise ConfigError(f"landauer.detailed_min_tau = {section['detailed_min_tau']} is above every tau (max "
                          f"{tau[-1]}): the relation {DETAILED_JARZYNSKI} would be untested; keep it "
                          f"<= {tau[-1]}")
    if sum(t >= section["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(f"landauer.fit_min_tau = {section['fit_min_tau']} leaves fewer than two tau in {tau} "
                          f"for the fit")
    wrong = wrong_well_probability(E0=section["E0"], T=section["T"], a_max=section["a_max"])
    if wrong > LEAK_TOLERANCE:
        raise ConfigError(
            f"landauer.a_max = {section['a_max']}: the tilt leaves the bit in the wrong well with probability "
            f"{wrong:.2g} (1/(1 + e^(2 E0 a_max/T)), allowed <= {LEAK_TOLERANCE}), so the protocol does not erase; "
            f"raise a_max or E0"
        )
    crossing = kramers_time(section["E0"] * section["b_min"], section["T"])
    if crossing > section["fit_min_tau"]:
        raise ConfigError(
            f"landauer.b_min = {section['b_min']}: crossing the lowered barrier E0 b_min takes about {crossing:.3g} "
            f"(Kramers), longer than the fitted protocols (fit_min_tau = {section['fit_min_tau']}), so they do not "
            f"erase; lower b_min or raise fit_min_tau"
        )
    leak = leak_probability(tau[-1], E0=section["E0"], T=section["T"], a_max=section["a_max"])
    if leak > LEAK_TOLERANCE:
        tau_max = tau[-1] * LEAK_TOLERANCE / leak
        raise ConfigError(
            f"landauer.E0 = {section['E0']}: the erased bit leaks back over the barrier during the slowest "
            f"protocol (Kramers escape time {kramers_time(section['E0'], section['T']):.3g}, expected 1 - P_s = "
            f"{leak:.2g} at tau = {tau[-1]}; allowed <= {LEAK_TOLERANCE}): raise E0 or keep tau <= {tau_max:.3g}"
        )


def job_bytes(section, point):
    """The per-trajectory table."""
    return 100 * section["trajectories"]


def simulate_work(section, point):
    """Trajectory-steps over the point's protocol time tau."""
    return section["trajectories"] * point["tau"] / section["dt"]


SPEC = ExperimentSpec(
    name="landauer",
    category="Model A: Landauer erasure",
    space=space,
    simulate=Stage(landauer.simulate, outputs={"trajectories": ".csv"}, keys=MODEL, per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"trajectories": "simulate"},
                   keys=("E0", "T", "trajectories")),
    summary=Summary(summary, landauer.SUMMARY_COLUMNS, summary_rows, keys=("fit_min_tau",)),
    relations=tuple(landauer.RELATIONS),
    bound_checks=landauer.bound_checks,
    bound_options=bound_options,
    figures=(
        Figure("landauer_work", "work", {"figures": "landauer_work"},
               params=lambda section: {key: section[key] for key in ("E0", "T", "b_min", "a_max", "fit_min_tau")}
               | {"bins": section["histogram_bins"]},
               inputs=lambda section: {speed: ("simulate", "trajectories",
                                               {"protocol": "erasure", "tau": float(section["tau"][end])})
                                       for speed, end in (("fast", 0), ("slow", -1))},
               read="read_works",
               reading=lambda section: {"trajectories": section["trajectories"]}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="100 B * landauer.trajectories",
        work=simulate_work,
        work_formula="landauer.trajectories * tau / landauer.dt",
        unit="trajectory-steps",
    ),
)
