"""Model A experiment: Landauer erasure of one bit, from a (protocol, tau) point to the tables.

Stage 1 simulates trajectories; stage 2 estimates <W>/T, the success probability and the
Jarzynski averages per point; stage 3 collects the points, adds the generalized Landauer bound
ln 2 - h(P_s) and fits <W>/T = W_inf + B/tau (over the successful erasures); stage 4 checks the
relations of docs/science.md and the fit's premise P_s ~ 1.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from thermolearn import estimators, information
from thermolearn.bounds import relation
from thermolearn.experiments.landauer.theory import LEAK_TOLERANCE, potential
from thermolearn.progress import in_chunks
from thermolearn.seeds import trial_generators
from thermolearn.statistics import combined_dof

PROTOCOLS = {"erasure": 0, "control": 1}
"""The protocols and their codes in the kernel (``kernel.ERASURE``, ``kernel.CONTROL``)."""


def simulate(*, protocol: str, tau: float, dt: float, E0: float, T: float, b_min: float, a_max: float,
             trajectories: int, seed: int, key: str) -> pd.DataFrame:
    """Stage 1: x(0), x(tau), work W and heat Q of every trajectory (energies in the units of T)."""
    from thermolearn.experiments.landauer.kernel import equilibrium_grid, simulate_erasure  # numba: simulate jobs

    grid, cdf = equilibrium_grid(E0, T)
    x_start, x_end, work, heat = in_chunks(
        lambda rngs: simulate_erasure(PROTOCOLS[protocol], tau, dt, E0, T, b_min, a_max, grid, cdf, rngs),
        trial_generators(seed, key, trajectories),
    )
    return pd.DataFrame(
        {"trajectory": np.arange(trajectories), "x_start": x_start, "x_end": x_end, "work": work, "heat": heat}
    )


def first_law_residual(trajectories: pd.DataFrame, *, E0: float) -> float:
    """max |W - Delta V - Q| over trajectories; start and end potential are V(x; 1, 0)."""
    delta_v = potential(trajectories["x_end"].to_numpy(), 1.0, 0.0, E0) - potential(
        trajectories["x_start"].to_numpy(), 1.0, 0.0, E0
    )
    return np.abs(trajectories["work"] - delta_v - trajectories["heat"]).max()


def estimate(trajectories: pd.DataFrame, *, T: float, E0: float) -> pd.DataFrame:
    """Stage 2: <W>/T over all and over successful trajectories, P_s = P(x(tau) > 0), <e^{-W/T}>
    over all and over successful trajectories, each with its standard error, the errors' degrees
    of freedom (``dof`` = trajectories - 1, ``jarzynski_success_dof`` = successful trajectories - 1,
    also that of ``work_success_err``), the first-law residual, and the bath temperature T and barrier E0
    (so that a reader of the table, Model D's digital series, names its own)."""
    work = trajectories["work"].to_numpy() / T
    success = (trajectories["x_end"] > 0).to_numpy()
    row = {}
    succeeded = work[success] if success.sum() > 1 else np.full(2, np.nan)
    for name, values in [
        ("work", work),
        ("work_success", succeeded),
        ("success", success),
        ("jarzynski", np.exp(-work)),
        ("jarzynski_success", np.exp(-succeeded)),
    ]:
        row[name], row[f"{name}_err"] = estimators.mean_and_error(values)
    row["dof"] = len(work) - 1
    row["jarzynski_success_dof"] = success.sum() - 1
    row["first_law_residual"] = first_law_residual(trajectories, E0=E0)
    row["trajectories"] = len(work)
    row["T"], row["E0"] = T, E0
    return pd.DataFrame([row])


def landauer_bound(success: ArrayLike, success_err: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Generalized Landauer bound ln 2 - h(P_s) and its error |h'(P_s)| SE(P_s)."""
    p = np.clip(success, 1e-300, 1.0 - 1e-16)
    return information.information_from_error(success), np.abs(np.log((1.0 - p) / p)) * success_err


FITTED_WORK = {"erasure": ("work_success", "jarzynski_success_dof"), "control": ("work", "dof")}
"""The work that the fit W_inf + B/tau uses, and its errors' degrees of freedom: for erasure, the
successful trajectories' alone (docs/science.md, Model A, premise of (ii)); a bit that leaked back
(W/T ~ -1) is no erasure."""


def summary(points: pd.DataFrame, *, fit_min_tau: float) -> pd.DataFrame:
    """Stage 3: one row per (protocol, tau) with the bound ln 2 - h(P_s) and, per protocol, the
    fit W_inf + B/tau (+ C/tau^2 where the first order does not fit) of FITTED_WORK over tau >= fit_min_tau,
    with its chi^2 and p-value (estimators.FIT_COLUMNS)."""
    table = points.sort_values(["protocol", "tau"], ignore_index=True)
    table = table[["protocol", "tau", *table.columns.drop(["protocol", "tau"])]]
    table["bound"], table["bound_err"] = landauer_bound(table["success"], table["success_err"])
    for protocol, rows in table.groupby("protocol"):
        for name, value in estimators.fit_slow_protocols(rows, FITTED_WORK[protocol][0], fit_min_tau).items():
            table.loc[rows.index, name] = value
    return table


ESTIMATE_COLUMNS = [
    "protocol", "tau", "dof", "work", "work_err", "work_success", "work_success_err", "success", "success_err",
    "jarzynski", "jarzynski_err", "jarzynski_success", "jarzynski_success_err", "jarzynski_success_dof", "T", "E0",
]
"""Columns of one (protocol, tau) point's estimate that the summary needs. ``dof`` holds for every
error on the row but ``jarzynski_success_err`` (``jarzynski_success_dof``); the fit's errors
combine points with ``dof`` each, so ``dof`` bounds their degrees of freedom from below."""
SUMMARY_COLUMNS = [*ESTIMATE_COLUMNS, "bound", "bound_err", *estimators.FIT_COLUMNS]

def success_jarzynski(success: ArrayLike, success_err: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Detailed Jarzynski for an erasure on the log scale, ln <e^{-W/T}>_success = -ln(2 P_s), and its error
    SE(P_s)/P_s."""
    return -np.log(2.0 * success), success_err / success


def log_average(average: ArrayLike, average_err: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """ln <e^{-W/T}> and its error SE/<e^{-W/T}>. The logarithm takes out most of the sampled mean's skewness
    (a sample that missed the rare large e^{-W/T} has a low mean and a low error): the t test of the
    detailed Jarzynski row is calibrated on this scale (docs/statistics.md)."""
    return np.log(average), np.asarray(average_err) / np.asarray(average)


LIMIT_OF_WORK = {"erasure": np.log(2.0), "control": 0.0}
"""<W>/T as tau -> infinity: Landauer's ln 2 for erasure, 0 for the control protocol."""


JARZYNSKI_SKEWNESS_LIMIT = 0.1
"""Largest skewness of the sampled mean of e^{-W/T} at which <e^{-W/T}> = 1 is t-tested
(:func:`jarzynski_testable`; docs/statistics.md gives the measured false-violation rates)."""


def jarzynski_skewness(work_err: ArrayLike, dof: ArrayLike) -> np.ndarray:
    """Skewness of the mean of M = dof + 1 samples of e^{-W/T} if W/T were Gaussian with the sampled
    variance s^2 = M SE(<W>/T)^2: that of a log-normal, (e^{s^2} + 2) sqrt(e^{s^2} - 1), over sqrt(M).
    The variance of W/T is well sampled even where e^{-W/T} is not (its rare large values come from
    the tail W < 0 that a sample may miss), so this guard does not depend on whether a sample caught them."""
    samples = np.asarray(dof, dtype=float) + 1.0
    excess = np.expm1(np.clip(samples * np.asarray(work_err, dtype=float) ** 2, 0.0, 700.0))
    return (excess + 3.0) * np.sqrt(excess) / np.sqrt(samples)


def jarzynski_testable(work_err: ArrayLike, dof: ArrayLike) -> np.ndarray:
    """Where the t test of <e^{-W/T}> = 1 is valid: the skewness of the sampled mean
    (:func:`jarzynski_skewness`) is at most JARZYNSKI_SKEWNESS_LIMIT. Beyond, the t statistic's lower tail
    is far heavier than t's (a sample that missed the rare large e^{-W/T} has both a low mean and a low
    error), and the average is reported, not tested."""
    return jarzynski_skewness(work_err, dof) <= JARZYNSKI_SKEWNESS_LIMIT


DETAILED_JARZYNSKI = "ln<exp(-W/T)>_success = -ln(2 P_s)"
"""The detailed Jarzynski equality <e^{-W/T}>_success = 1/(2 P_s), tested on the log scale (:func:`log_average`)."""

RELATIONS = [
    "ln2 - h(P_s) <= <W>/T", "<exp(-W/T)> = 1", DETAILED_JARZYNSKI,
    f"P_s >= {1 - LEAK_TOLERANCE:g} (premise of W_inf = ln 2)", "W_inf = ln 2", "W_inf = 0",
]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def fit_form_fails(fits: pd.DataFrame) -> np.ndarray:
    """Per row (FIT_COLUMNS), the reason W_inf is no test where neither W_inf + B/tau nor W_inf + B/tau +
    C/tau^2 fits (chi^2 p-value below estimators.FIT_MIN_P): its error would be that of the fit form, not
    of the data, and more trajectories would make it "violated" for that reason; else ""."""
    return np.array([f"W_inf + B/tau + C/tau^2 does not fit: chi2 = {chi2:.3g} on {dof:g} dof, p = {p:.2g}"
                     if p < estimators.FIT_MIN_P else "" for chi2, dof, p in
                     zip(fits["fit_chi2"], fits["fit_chi2_dof"], fits["fit_p"])], dtype=object)


def detailed_jarzynski(erasure: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows of ln <e^{-W/T}>_success = -ln(2 P_s) at every erasure point of ``erasure`` (a summary's rows),
    named by its ``keys`` columns."""
    average, average_err = log_average(erasure["jarzynski_success"], erasure["jarzynski_success_err"])
    theory, theory_err = success_jarzynski(erasure["success"], erasure["success_err"])
    dof = combined_dof((average_err, erasure["jarzynski_success_dof"]), (theory_err, erasure["dof"]))
    return relation(erasure[keys], DETAILED_JARZYNSKI, average, average_err, theory, theory_err, dof, equality=True)


def bound_checks(table: pd.DataFrame, *, detailed_min_tau: float, fit_min_tau: float) -> pd.DataFrame:
    """Stage 4 rows: ln 2 - h(P_s) <= <W>/T (erasure, every tau); <e^{-W/T}> = 1 (control, every
    tau where the t test is valid, :func:`jarzynski_testable`); ln <e^{-W/T}>_success = -ln(2 P_s)
    (erasure, tau >= detailed_min_tau, :func:`detailed_jarzynski`); the fit's premise 1 - P_s <= LEAK_TOLERANCE
    (erasure, tau >= fit_min_tau); W_inf = ln 2 (erasure) and W_inf = 0 (control), untested where the fit's form
    does not fit (:func:`fit_form_fails`)."""
    erasure = table[table["protocol"] == "erasure"]
    control = table[table["protocol"] == "control"]
    control_tested = control[jarzynski_testable(control["work_err"], control["dof"])]
    slow = erasure[erasure["tau"] >= detailed_min_tau]
    fitted = erasure[erasure["tau"] >= fit_min_tau]
    keys = ["protocol", "tau"]
    rows = [
        relation(erasure[keys], "ln2 - h(P_s) <= <W>/T", erasure["bound"], erasure["bound_err"], erasure["work"],
                 erasure["work_err"], erasure["dof"]),
        relation(control_tested[keys], "<exp(-W/T)> = 1", control_tested["jarzynski"],
                 control_tested["jarzynski_err"], 1.0, 0.0, control_tested["dof"], equality=True),
        detailed_jarzynski(slow, keys),
        relation(fitted[keys], f"P_s >= {1 - LEAK_TOLERANCE:g} (premise of W_inf = ln 2)", 1.0 - LEAK_TOLERANCE,
                 0.0, fitted["success"], fitted["success_err"], fitted["dof"]),
    ]
    for protocol, limit in LIMIT_OF_WORK.items():
        last = table[table["protocol"] == protocol].tail(1)
        rows.append(relation(last[keys].assign(tau=np.inf), f"W_inf = {'ln 2' if limit else '0'}", last["w_inf"],
                             last["w_inf_err"], limit, 0.0, last[FITTED_WORK[protocol][1]], equality=True,
                             untested=fit_form_fails(last)))
    return pd.concat(rows, ignore_index=True)
