"""Model G experiment: the energy cost of training a slow analog network (docs/science.md, Model G), from a
parameter point to its tables, as pure functions (DataFrames in, DataFrames out).

Stage 1 (``simulate``) runs the exact kernel: per data set the teacher, the inputs and labels, two or more
thermal replicas of the weights, the noiseless mean trajectory m = E[W | data] and (optionally) the exact n x n
thermal covariance. Stage 2 (``estimate``) turns the per-data-set tables into every quantity of one point
(E_train, Q, B_W, D_mean, ΔS, ΔF, V_th, V_stat, bias, test error, rho, E_train/(NDT), ...) with delete-one-group
jackknife errors over data sets (``dof`` = groups - 1) beside the exact theory (``theory.point_theory``).
Stage 4 (``bound_checks``) tests the exact relations B1, B3, B4 and, where its premises hold, the equality B5.
``control_checks`` gives the z-scores of the section's "not bounds" (negative controls).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from thermolearn import estimators, replicates
from thermolearn.bounds import relation
from thermolearn.experiments.training import theory

__all__ = ["point_table", "point_values", "simulate", "estimate", "bound_checks", "control_checks",
           "first_law_residual", "run", "QUANTITIES", "SUMMARY_COLUMNS", "RELATIONS", "CONTROLS"]

EXPERIMENT = "training"

REPLICA_COLUMNS = ("work", "work_switch_on", "heat", "prior_change", "error")
"""Columns of the ``replicas`` table (per data set ``trial`` and thermal ``replica``), as the kernel's."""

DATASET_COLUMNS = ("transport", "dissipation_mean", "mean_error", "overlap", "teacher_norm", "spread", "logdet",
                   "trace", "work_given_data")
"""Columns of the ``datasets`` table (per data set ``trial``), as the kernel's."""

POINT_KEYS = ("series", "s", "rho_target")
"""The keys naming a point (its random stream: ``seeds.point_key("training", {...})``)."""

POINT_VALUES = ("M", "n", "D", "g", "lam", "tau", "v0")
"""The values a point gives the simulate and estimate stages beside its keys (``point_values``)."""

MODEL = ("gamma", "sigma", "T", "kappa", "epochs", "ramp_steps", "gap", "trials", "replicas", "covariance")
"""The simulate stage's keys shared by every point."""


def series_g(scan: dict, sigma: float) -> float:
    """The teacher scale of a scan: g, or sigma/sqrt(n) (SNR_y = 1)."""
    g = scan.get("g")
    return sigma / math.sqrt(scan["n"]) if g is None else float(g)


def scan_points(section: dict, scan: dict) -> list[dict]:
    """The points of one scan of ``section["scans"]``: its name as ``series``, each s and rho target with the
    point's values (M, n, D, g, lambda, tau, v0); lambda = phi T/(rho V_inf) and tau = s gamma/(lambda n), or
    lambda given (``rho_target`` then its steady rho)."""
    n, T, sigma, gamma = scan["n"], section["T"], section["sigma"], section["gamma"]
    g = series_g(scan, sigma)
    rows = []
    for s in map(float, scan["s"]):
        if scan.get("lam") is not None:
            pairs = [(float(theory.thermal_variance_limit(s, n, lam=lam, T=T)
                            / theory.stat_variance_limit(s, n, sigma=sigma)), lam, s * gamma / (lam * n))
                     for lam in map(float, scan["lam"])]
        else:
            pairs = [(float(rho), *theory.clamp(s, float(rho), n, T=T, sigma=sigma, gamma=gamma))
                     for rho in scan["rho"]]
        for rho, lam, tau in pairs:
            v0 = T / lam if section.get("v0") is None else float(section["v0"])
            rows.append({"series": scan["name"], "s": s, "rho_target": rho, "M": scan["M"], "n": n, "D": scan["D"],
                         "g": g, "lam": lam, "tau": tau, "v0": v0})
    return rows


def point_table(section: dict) -> pd.DataFrame:
    """One row per simulated point of the section: its keys (series, s, rho_target) and values (M, n, D, g,
    lambda, tau, v0)."""
    rows = [row for scan in section["scans"] for row in scan_points(section, scan)]
    return pd.DataFrame(rows, columns=[*POINT_KEYS, *POINT_VALUES])


def point_values(section: dict, point: dict) -> dict:
    """The values (M, n, D, g, lambda, tau, v0) of the point with keys ``point`` (series, s, rho_target)."""
    scan = next(scan for scan in section["scans"] if scan["name"] == point["series"])
    row = next(row for row in scan_points(section, scan)
               if math.isclose(row["s"], point["s"], rel_tol=1e-12)
               and math.isclose(row["rho_target"], point["rho_target"], rel_tol=1e-12))
    return {key: row[key] for key in POINT_VALUES}


def simulate(*, M: int, n: int, D: int, g: float, lam: float, tau: float, v0: float | None, gamma: float,
             sigma: float, T: float, kappa: float, epochs: int, ramp_steps: int, gap: float, trials: int,
             replicas: int, covariance: bool, seed: int, key: str, series: str = "", s: float = math.nan,
             rho_target: float = math.nan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage 1: the tables ``replicas`` (per data set and thermal replica: work, work at switch-on, heat,
    prior-energy change, |W - W*|^2) and ``datasets`` (per data set: B_W, D_mean, |m - W*|^2, (m - W*).W*, |W*|^2,
    the replicas' spread, ln det Sigma/v0^n, Tr Sigma, the work expected given the data). ``key`` names the point
    and fixes its stream (the point's keys ``series``, ``s``, ``rho_target`` only name it: its values are M ... v0);
    ``v0`` None is T/lambda."""
    from thermolearn.experiments.training.kernel import simulate_training  # numba: only the simulate jobs import it
    from thermolearn.progress import in_chunks
    from thermolearn.seeds import trial_generators

    v0 = T / lam if v0 is None else v0
    levels, durations = theory.schedule(lam, tau, ramp_steps=ramp_steps, gap=gap)
    f = theory.interval_factors(levels, durations, n, kappa=kappa, gamma=gamma, T=T)
    per_replica, per_dataset = in_chunks(
        lambda rngs: simulate_training(M, n, D, epochs, levels, durations, f["e_par"], f["e_perp"],
                                       np.sqrt(f["var_par"]), np.sqrt(f["var_perp"]), f["target"], f["f_par"],
                                       f["f_perp"], gamma, kappa, sigma, g, v0, replicas, bool(covariance), rngs),
        trial_generators(seed, key, trials),
    )
    replica_table = pd.DataFrame({"trial": np.repeat(np.arange(trials), replicas),
                                  "replica": np.tile(np.arange(replicas), trials)})
    for column, name in enumerate(REPLICA_COLUMNS):
        replica_table[name] = per_replica[:, :, column].reshape(-1)
    dataset_table = pd.DataFrame({"trial": np.arange(trials)})
    for column, name in enumerate(DATASET_COLUMNS):
        dataset_table[name] = per_dataset[:, column]
    return replica_table, dataset_table


def first_law_residual(replicas: pd.DataFrame) -> float:
    """Largest |W - Q - ΔU_prior| / W over data sets and replicas (round-off: the work at the jumps and the heat as
    the potential's drop in each interval telescope)."""
    residual = replicas["work"] - replicas["heat"] - replicas["prior_change"]
    return float((residual.abs() / replicas["work"].abs()).max())


QUANTITIES = [
    "E_train", "heat", "transport", "dissipation_mean", "entropy_change", "free_energy_change", "entropy_production",
    "eps", "bias", "bias2", "V_stat", "V_th", "V_th_covariance", "test_error", "total_error", "rho", "energy_ratio",
    "slow_estimate",
    "bound_ratio", "error_ratio", "bound_excess", "dissipation_excess", "mean_dissipation_residual",
    "E_train_given_data", "work_excess_given_data", "work_switch_on", "thermal_variance_ddof0",
]
"""Every estimated quantity (totals over the N = M n weights unless per weight): E_train = <work>, heat Q, B_W
(``transport``), D_mean, ΔS, ΔF = <ΔU_prior> - TΔS, T Sigma_tot = E_train - ΔF; per weight eps = |m - W*|^2/N,
the bias coefficient b of E[m - W* | W*] = b W* (b = chi/g^2, chi = (m - W*).W*/N; exact by the
inputs' symmetry under signed permutations), bias2 = B^2 = |E[m|W*] - W*|^2/N = b^2 g^2 (its jackknife errors are
unreliable where B^2 is below its noise: the delta method fails at b = 0), V_stat = eps - B^2, V_th (pairs of
replicas, ddof 1) and from Sigma, the test error per output sigma^2 + |W - W*|^2/M, the total error |W - W*|^2/N,
rho = V_th/V_stat, E_train/(N D T), the slow estimate A1 2/rho (E_train ≈ 2NDT V_stat/V_th: an estimate to
compare with, never a bound), (E_train - ΔF)/B_W (G2), (V_th + eps)/V_stat (G3); the differences tested
by the relations (B4: E_train - ΔF - B_W, B3: D_mean - B_W, B5: E_train - D_mean); the work expected given the
data and E_train minus it; and two quantities of the negative controls (work at switch-on, ddof-0 variance)."""


def point_quantities(means: dict[str, np.ndarray], *, M: int, n: int, D: int, T: float, sigma: float,
                     replicas: int) -> dict[str, np.ndarray]:
    """Every quantity of QUANTITIES from the means over data sets of the kernel's columns (each an array over
    jackknife replicates)."""
    N = M * n
    q = {"E_train": means["work"], "heat": means["heat"], "transport": means["transport"],
         "dissipation_mean": means["dissipation_mean"], "entropy_change": 0.5 * M * means["logdet"]}
    q["free_energy_change"] = means["prior_change"] - T * q["entropy_change"]
    q["entropy_production"] = q["E_train"] - q["free_energy_change"]
    q["eps"] = means["mean_error"] / N
    q["bias"] = means["overlap"] / means["teacher_norm"]
    q["bias2"] = q["bias"] ** 2 * means["teacher_norm"] / N
    q["V_stat"] = q["eps"] - q["bias2"]
    q["V_th"] = means["spread"] / (N * (replicas - 1))
    q["V_th_covariance"] = means["trace"] / n
    q["test_error"] = sigma**2 + means["error"] / M
    q["total_error"] = means["error"] / N
    q["rho"] = q["V_th"] / q["V_stat"]
    q["energy_ratio"] = q["E_train"] / (N * D * T)
    q["slow_estimate"] = 2.0 / q["rho"]
    q["bound_ratio"] = q["entropy_production"] / q["transport"]
    q["error_ratio"] = (q["V_th"] + q["eps"]) / q["V_stat"]
    q["bound_excess"] = q["entropy_production"] - q["transport"]
    q["dissipation_excess"] = q["dissipation_mean"] - q["transport"]
    q["mean_dissipation_residual"] = q["E_train"] - q["dissipation_mean"]
    q["E_train_given_data"] = means["work_given_data"]
    q["work_excess_given_data"] = q["E_train"] - q["E_train_given_data"]
    q["work_switch_on"] = means["work_switch_on"]
    q["thermal_variance_ddof0"] = means["spread"] / (N * replicas)
    return q


def point_theory(*, M: int, n: int, D: int, g: float, lam: float, tau: float, v0: float, gamma: float, sigma: float,
                 T: float, kappa: float, epochs: int, ramp_steps: int, gap: float) -> dict[str, float]:
    """The ``_theory`` value of every quantity (NaN where there is none: ΔS, ΔF for n > 1; all data averages for
    epochs > 1): theory.point_theory and the differences it implies."""
    t = theory.point_theory(M=M, n=n, D=D, lam=lam, tau=tau, g=g, sigma=sigma, T=T, kappa=kappa, gamma=gamma, v0=v0,
                            epochs=epochs, ramp_steps=ramp_steps, gap=gap)
    t["V_th_covariance"] = t["V_th"]
    t["slow_estimate"] = 2.0 / t["rho"]
    t["bound_excess"] = t["entropy_production"] - t["transport"]
    t["dissipation_excess"] = t["dissipation_mean"] - t["transport"]
    t["mean_dissipation_residual"] = t["E_train"] - t["dissipation_mean"]
    t["work_excess_given_data"] = 0.0
    t["thermal_variance_ddof0"] = np.nan
    return {name: t[name] for name in QUANTITIES}


def estimate(replicas: pd.DataFrame, datasets: pd.DataFrame, *, M: int, n: int, D: int, g: float, lam: float,
             tau: float, v0: float | None, gamma: float, sigma: float, T: float, kappa: float, epochs: int,
             ramp_steps: int, gap: float, jackknife_groups: int, series: str = "", s: float = math.nan,
             rho_target: float = math.nan) -> pd.DataFrame:
    """Stage 2 for one point: one row with the point's keys and values, ``dof`` (jackknife_groups - 1), and every
    quantity of QUANTITIES with ``_err`` (delete-one-group jackknife over data sets, bias-corrected) and
    ``_theory``."""
    v0 = T / lam if v0 is None else v0
    datasets = datasets.sort_values("trial")
    trials = len(datasets)
    per_trial = replicas.groupby("trial", sort=True)[list(REPLICA_COLUMNS)].mean()
    n_replicas = replicas["replica"].nunique()
    columns = {name: per_trial[name].to_numpy(np.float64) for name in REPLICA_COLUMNS}
    columns |= {name: datasets[name].to_numpy(np.float64) for name in DATASET_COLUMNS}
    group = replicates.groups_of(np.arange(trials), jackknife_groups)
    means = {name: replicates.means(values, group, jackknife_groups) for name, values in columns.items()}
    quantities = point_quantities(means, M=M, n=n, D=D, T=T, sigma=sigma, replicas=n_replicas)
    full = np.array([quantities[name][0] for name in QUANTITIES])
    leave_one_out = np.array([quantities[name][1:] for name in QUANTITIES]).T
    with np.errstate(invalid="ignore"):
        value, error = estimators.jackknife(full, leave_one_out, True)
    row = {"series": series, "s": s, "rho_target": rho_target, "M": M, "n": n, "D": D, "g": g, "lam": lam,
           "tau": tau, "v0": v0, "dof": jackknife_groups - 1}
    for name, v, e in zip(QUANTITIES, value, error):
        row[name], row[f"{name}_err"] = v, e
    expected = point_theory(M=M, n=n, D=D, g=g, lam=lam, tau=tau, v0=v0, gamma=gamma, sigma=sigma, T=T,
                            kappa=kappa, epochs=epochs, ramp_steps=ramp_steps, gap=gap)
    for name in QUANTITIES:
        row[f"{name}_theory"] = expected[name]
    # B5's premises, and the in-trap spread of the negative control (abrupt clamps only).
    row["equality_premises"] = bool(ramp_steps == 1 and gap == 0 and kappa == 0 and n == 1
                                    and math.isclose(v0, T / lam, rel_tol=1e-12))
    row["abrupt"] = bool(ramp_steps == 1)
    return pd.DataFrame([row])[SUMMARY_COLUMNS]


KEY_COLUMNS = ["series", "s", "rho_target", "M", "n", "D", "g", "lam", "tau", "v0", "dof"]

SUMMARY_COLUMNS = [*KEY_COLUMNS, *(f"{q}{suffix}" for q in QUANTITIES for suffix in ("", "_err", "_theory")),
                   "equality_premises", "abrupt"]
"""The columns of the summary (one row per point)."""

RELATIONS = [
    "B1: 0 <= E_train - dF (= Q + T dS)",
    "B3: B_W <= D_mean",
    "B4: dF + B_W <= E_train",
    "B5: E_train = D_mean",
]
"""Every relation bound_checks can test, in its order (B5 only at points where its premises hold: abrupt clamps,
kappa = 0, n = 1, v0 = T/lambda, no gap)."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows: B1 T Sigma_tot = E_train - ΔF >= 0 where ΔS is known (Sigma tracked), B3 D_mean >= B_W,
    B4 E_train >= ΔF + 2NT sum r_mu = ΔF + B_W (each difference one jackknifed quantity, so the noise its two sides
    share cancels), and the equality B5 E_train = D_mean where its premises hold."""
    keys, dof = summary[list(POINT_KEYS)], summary["dof"]
    known = summary["entropy_production"].notna()
    equal = summary["equality_premises"].astype(bool)
    return pd.concat(
        [
            relation(keys[known], RELATIONS[0], 0.0, 0.0, summary.loc[known, "entropy_production"],
                     summary.loc[known, "entropy_production_err"], dof[known]),
            relation(keys, RELATIONS[1], 0.0, 0.0, summary["dissipation_excess"], summary["dissipation_excess_err"],
                     dof),
            relation(keys[known], RELATIONS[2], 0.0, 0.0, summary.loc[known, "bound_excess"],
                     summary.loc[known, "bound_excess_err"], dof[known]),
            relation(keys[equal], RELATIONS[3], summary.loc[equal, "mean_dissipation_residual"],
                     summary.loc[equal, "mean_dissipation_residual_err"], 0.0, 0.0, dof[equal], equality=True),
        ],
        ignore_index=True,
    )




CONTROLS = {
    "heat alone: B_W <= Q": "inequality",
    "in-trap spread: 2NT sum r'_mu <= E_train - dF": "inequality",
    "variance form: V_th <= V_stat => 2NDT <= E_train": "inequality",
    "wrong heat sign: 0 <= -Q + T dS": "inequality",
    "work at switch-on only: E_train = W_on": "equality",
    "ddof = 0 replicas: V_th = V_th(ddof 0)": "equality",
    "dense inputs: V_th = T/lambda": "equality",
    "total error as V_th: V_th = |W - W*|^2/N": "equality",
    "no factor 2: E_train = D_mean/2 (B5 premises)": "equality",
}
"""The section's "not bounds", each a claim that a correct simulation contradicts (``control_checks``)."""

CONTROL_THRESHOLD = 4.0
"""A control is flagged when its claim misses by more than this many standard errors (z > 4)."""


def control_checks(summary: pd.DataFrame, *, T: float, gamma: float, threshold: float = CONTROL_THRESHOLD
                   ) -> pd.DataFrame:
    """One row per negative control and point where it applies: the claim's two sides, z (standard errors by which
    the claim fails: lhs - rhs for "lhs <= rhs", |lhs - rhs| for equalities; errors of differences of jackknifed
    quantities as one quantity where the summary has it, else combined in quadrature, which only lowers z) and
    whether it is flagged (z > threshold). Where the theory exists the claim is compared with the exact value.

    heat alone: Q - B_W = (E_train - dF - B_W) - T dS (kappa = 0); in-trap spread: r'_mu over the in-trap spread
    along x_hat, T(1 - e^{-2 k_par tau/gamma})/k_par, instead of the free one 2 T tau/gamma (abrupt clamps);
    variance form: at the points with V_th <= V_stat (theory rho <= 1)."""
    rows = []

    def add(name, at, lhs, rhs, err):
        sign = 1.0 if CONTROLS[name] == "inequality" else np.sign(lhs - rhs)
        z = sign * (lhs - rhs) / err
        rows.append(summary.loc[at, list(POINT_KEYS)].assign(control=name, lhs=lhs, rhs=rhs, err=err, z=z))

    every = summary.index
    known = summary.index[summary["entropy_production"].notna()]
    at = summary.loc[known]
    add("heat alone: B_W <= Q", known, at["transport"], at["heat"],
        np.hypot(at["bound_excess_err"], T * at["entropy_change_err"]))
    abrupt = summary.index[summary["abrupt"].astype(bool)].intersection(known)
    at = summary.loc[abrupt]
    k_par = at["n"] * at["lam"]
    in_trap = -T * np.expm1(-2.0 * k_par * at["tau"] / gamma) / k_par
    factor = (2.0 * T * at["tau"] / gamma) / in_trap
    add("in-trap spread: 2NT sum r'_mu <= E_train - dF", abrupt, factor * at["transport"],
        at["entropy_production"], np.hypot(at["bound_excess_err"], (factor - 1.0) * at["transport_err"]))
    slow = summary.index[summary["rho_theory"] <= 1.0]
    at = summary.loc[slow]
    add("variance form: V_th <= V_stat => 2NDT <= E_train", slow, pd.Series(2.0, index=slow), at["energy_ratio"],
        at["energy_ratio_err"])
    at = summary.loc[known]
    add("wrong heat sign: 0 <= -Q + T dS", known, pd.Series(0.0, index=known),
        -at["heat"] + T * at["entropy_change"], np.hypot(at["heat_err"], T * at["entropy_change_err"]))
    at = summary.loc[every]
    reference = at["E_train_theory"].where(at["E_train_theory"].notna(), at["E_train"])
    add("work at switch-on only: E_train = W_on", every, at["work_switch_on"], reference,
        np.hypot(at["work_switch_on_err"], np.where(at["E_train_theory"].notna(), 0.0, at["E_train_err"])))
    reference = at["V_th_theory"].where(at["V_th_theory"].notna(), at["V_th"])
    add("ddof = 0 replicas: V_th = V_th(ddof 0)", every, at["thermal_variance_ddof0"], reference,
        np.hypot(at["thermal_variance_ddof0_err"], np.where(at["V_th_theory"].notna(), 0.0, at["V_th_err"])))
    dense = summary.index[summary["n"] > 1]
    at = summary.loc[dense]
    add("dense inputs: V_th = T/lambda", dense, T / at["lam"], at["V_th"], at["V_th_err"])
    at = summary.loc[every]
    reference = at["V_th_theory"].where(at["V_th_theory"].notna(), at["V_th"])
    add("total error as V_th: V_th = |W - W*|^2/N", every, at["total_error"], reference,
        np.hypot(at["total_error_err"], np.where(at["V_th_theory"].notna(), 0.0, at["V_th_err"])))
    equal = summary.index[summary["equality_premises"].astype(bool)]
    at = summary.loc[equal]
    add("no factor 2: E_train = D_mean/2 (B5 premises)", equal, at["E_train"], 0.5 * at["dissipation_mean"],
        np.hypot(at["E_train_err"], 0.5 * at["dissipation_mean_err"]))
    table = pd.concat(rows, ignore_index=True)
    table["flagged"] = table["z"] > threshold
    return table[["control", *POINT_KEYS, "lhs", "rhs", "err", "z", "flagged"]]


def run(section: dict, *, seed: int, log=None) -> pd.DataFrame:
    """Every point of ``section`` through simulate and estimate, in one process (tests, notebooks; the pipeline runs
    one job per point): the summary, one row per point, and the kernel seconds per point in ``kernel_seconds``."""
    import time

    from thermolearn.seeds import point_key

    model = {key: section[key] for key in MODEL}
    rows = []
    for point in point_table(section).to_dict("records"):
        keys = {key: point[key] for key in POINT_KEYS}
        values = {key: point[key] for key in POINT_VALUES}
        start = time.perf_counter()
        replicas, datasets = simulate(**values, **model, seed=seed, key=point_key(EXPERIMENT, keys))
        elapsed = time.perf_counter() - start
        estimates = {key: model[key] for key in MODEL if key not in ("trials", "replicas", "covariance")}
        row = estimate(replicas, datasets, **values, **estimates, **keys,
                       jackknife_groups=section["jackknife_groups"])
        rows.append(row.assign(kernel_seconds=elapsed))
        if log is not None:
            log(f"{keys}: {elapsed:.2f} s")
    return pd.concat(rows, ignore_index=True)
