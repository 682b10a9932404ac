"""Model H's spec: one simulate job per nu (adding a learning rate runs only its point), the estimate
(jackknife of every quantity and its ODE theory; well under a second a point) of every point in one job,
and the summary, whose matrix columns depend on K and M."""

import math

import numpy as np
import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing
from thermolearn.experiments import committee
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary

MODEL = ("K", "M", "N", "k", "T", "r", "epsilon", "sigma_y", "alpha", "trials", "test_samples")
"""The parameters shared by every nu: only these enter a simulate job's params."""

LEAD = 7.5
"""|O_i| eps sqrt(kN/T) >= 7.5 for every unit i: the finite-N symmetry breaking of the start, of size
sqrt(T/(kN)) per weight, is then a small fraction of the initial force's lean |O_i| eps, so simulation and
ODEs leave the plateau together (docs/science.md, Model H)."""


def space(config):
    """One point per learning rate nu."""
    return pd.DataFrame({"nu": sorted(float(nu) for nu in config["committee"]["nu"])})


def estimate(job, log):
    """Every quantity per alpha, jackknifed from the trials' averages, with the ODE theory."""
    c, nu = job.params.config, job.params.point["nu"]
    columns = [*committee.order_columns(c["K"], c["M"]), "t", "heat", "eps_g_test"]
    trials = tables.read_csv(job.input.trials, columns, {"trial": range(c["trials"]), "alpha": c["alpha"]})
    table = committee.estimate(trials, nu=nu, K=c["K"], M=c["M"], k=c["k"], T=c["T"], r=c["r"],
                               epsilon=c["epsilon"], sigma_y=c["sigma_y"], groups=c["jackknife_groups"])
    log.info("nu = %g: eta at alpha_f = %.4g +- %.2g (ODE %.4g)", nu,
             *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary_columns(config):
    """The summary's columns for the configured K students and M teachers."""
    return committee.summary_columns(config["committee"]["K"], config["committee"]["M"])


def summary(job, log):
    """Every point's table, checked against its point and the alpha grid, joined."""
    c = job.params.config
    return tables.collect(job.input.tables, job.params.points, committee.summary_columns(c["K"], c["M"]),
                          ["nu", "alpha"], alpha=c["alpha"])


def summary_rows(config):
    """The rows of results/<run>/tables/committee_summary.csv."""
    section = config["committee"]
    return {"nu": section["nu"], "alpha": section["alpha"]}


def check_config(section):
    """What the schema cannot express: increasing alpha, each a distinct whole number of samples, groups
    <= trials, and a start that simulation and theory share (|O_i| eps sqrt(kN/T) >= LEAD)."""
    alpha = section["alpha"]
    require_increasing(alpha, "committee.alpha")
    if round(alpha[0] * section["N"]) < 1 or len({round(a * section["N"]) for a in alpha}) < len(alpha):
        raise ConfigError(f"committee.alpha = {alpha}: each alpha N must round to a distinct number >= 1 of samples "
                          f"at N = {section['N']}")
    if section["jackknife_groups"] > section["trials"]:
        raise ConfigError(f"committee.jackknife_groups = {section['jackknife_groups']}: allowed 2..trials "
                          f"({section['trials']})")
    smallest = float(np.min(np.linalg.norm(committee.lean(section["K"], section["M"]), axis=1)))  # 1/ceil(K/M)
    lead = smallest * section["epsilon"] * math.sqrt(section["k"] * section["N"] / section["T"])
    if lead < LEAD:
        need = LEAD / smallest * math.sqrt(section["T"] / (section["k"] * section["N"]))
        raise ConfigError(f"committee.epsilon = {section['epsilon']}: |O_i| eps sqrt(kN/T) = {lead:.3g} < {LEAD} "
                          f"(smallest lean |O_i| = {smallest:g}); allowed eps >= {need:.3g} at N = {section['N']}, "
                          f"k = {section['k']}, T = {section['T']}: below, the finite-N start breaks the symmetry "
                          "differently from the ODEs")


def job_bytes(section, point):
    """The kernel's output, the trial table and its copy (24 B per number of 2KM + 3K^2 + 5 per trial and
    record); the per-trial arrays (B, f, w, w_old) of the two threads' running trials."""
    K, M, N = section["K"], section["M"], section["N"]
    return 24 * section["trials"] * len(section["alpha"]) * (2 * K * M + 3 * K * K + 5) + 8 * 4 * (K + M) * N * 2


def simulate_work(section, point):
    """Gaussian draws: K + 1 per weight and arrival (the K units' OU noise and the input), and the held-out
    inputs."""
    arrivals = round(section["alpha"][-1] * section["N"])
    return section["trials"] * section["N"] * (section["K"] + 1) * (
        arrivals + len(section["alpha"]) * section["test_samples"])


def model_keys(section):
    """The parameters of the ODE lines and titles of every Model H figure."""
    return {key: section[key] for key in ("K", "M", "k", "T", "r", "epsilon", "sigma_y")}


SPEC = ExperimentSpec(
    name="committee",
    category="Model H: two-layer network",
    space=space,
    simulate=Stage(committee.simulate, outputs={"trials": ".csv"}, keys=MODEL, per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"trials": "simulate"},
                   keys=("K", "M", "k", "T", "r", "epsilon", "sigma_y", "alpha", "trials", "jackknife_groups")),
    summary=Summary(summary, summary_columns, summary_rows, keys=("K", "M", "alpha")),
    relations=tuple(committee.RELATIONS),
    bound_checks=committee.bound_checks,
    figures=(
        Figure("committee_generalisation", "generalisation", {"figures": "committee_generalisation"},
               params=model_keys),
        Figure("committee_heat", "heat_and_efficiency", {"figures": "committee_heat"}, params=model_keys),
        Figure("committee_information", "information_cost", {"figures": "committee_information"},
               params=lambda section: model_keys(section) | {key: section[key]
                                                             for key in ("plateau_epsilon", "plateau_nu")}),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="24 B * committee.trials * len(committee.alpha) * (2 K M + 3 K^2 + 5) + 8 B * 4 (K + M) N * 2 threads",
        work=simulate_work,
        work_formula="committee.trials * committee.N * (K + 1) * (round(max(committee.alpha) N) + len(committee.alpha) "
                     "test_samples)",
        unit="Gaussian draws",
    ),
)
