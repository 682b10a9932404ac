"""Model E experiment: the thermodynamic uncertainty relation of learning at fixed data.

For a current J_t of Model B's weights, started from the equilibrium without force,
    (t d<J_t>/dt)^2 / Var(J_t) <= <Sigma_t> / 2,   <Sigma_t> = sum_n f_n^2 (a - a^2/2)/(kT),
(Liu, Gong, Ueda 2020). Means and their time derivatives are exact; variances are sampled over
trajectories at one fixed data set per nu.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from thermolearn.bounds import relation
from thermolearn.experiments.batch.theory import learning_fraction
from thermolearn.progress import in_chunks
from thermolearn.seeds import job_seed_sequence, trial_generators

CURRENTS = ("displacement", "work", "heat")
"""sum_n sgn(f_n) Delta w_n, sum_n f_n Delta w_n, and the heat Q: the rows of ``kernel.simulate_currents``'s
result, in order."""


def force_of_one_data_set(*, N: int, alpha: float, nu: float, seed: int, key: str) -> np.ndarray:
    """One data set of Model B (P = round(alpha N) inputs, random labels) and its force f."""
    rng = np.random.default_rng(job_seed_sequence(seed, key + "/data"))
    from thermolearn.experiments.batch.kernel import draw_force

    return draw_force(rng, int(round(alpha * N)), N, nu)


def simulate(*, N: int, alpha: float, nu: float, k: float, T: float, times: list[float], trajectories: int, seed: int,
             key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage 1: the force of one data set and the currents of every trajectory at every time."""
    from thermolearn.experiments.tur.kernel import simulate_currents  # numba: only the simulate jobs import it

    f = force_of_one_data_set(N=N, alpha=alpha, nu=nu, seed=seed, key=key)
    times = np.asarray(times, dtype=float)
    currents = in_chunks(  # one array (trajectories, times) per current
        lambda rngs: tuple(simulate_currents(f, k, T, times, rngs)),
        trial_generators(seed, key, trajectories),
    )
    table = pd.DataFrame(
        {"trajectory": np.repeat(np.arange(trajectories), len(times)), "t": np.tile(times, trajectories)}
    )
    for c, name in enumerate(CURRENTS):
        table[name] = currents[c].reshape(-1)
    return pd.DataFrame({"f": f}), table


def exact_moments(f: np.ndarray, *, k: float, T: float, t: float) -> tuple[dict, dict, float]:
    """Per current: <J_t>, t d<J_t>/dt, and <Sigma_t> = sum f^2 (a - a^2/2)/(kT).
    <sum sgn(f) Delta w> = sum |f| a/k; <sum f Delta w> = sum f^2 a/k; <Q> = sum f^2 (a - a^2/2)/k."""
    a, decay = learning_fraction(k, t), np.exp(-k * np.asarray(t, dtype=float))
    f1, f2 = np.abs(f).sum(), (f * f).sum()
    mean = {"displacement": f1 * a / k, "work": f2 * a / k, "heat": f2 * (a - a * a / 2) / k}
    speed = {"displacement": t * f1 * decay, "work": t * f2 * decay, "heat": t * f2 * decay**2}
    return mean, speed, f2 * (a - a * a / 2) / (k * T)


def ratio_theory(f: np.ndarray, current: str, *, k: float, T: float, t: ArrayLike) -> np.ndarray:
    """Closed form of the TUR ratio for the Gaussian currents, with Var(Delta w_n) = 2(T/k)(1 - e^{-kt}):
    r_1(t) = (k t e^{-kt})^2 / (a (a - a^2/2)) for sum f Delta w, times (sum|f|)^2/(N' sum f^2) for
    sum sgn(f) Delta w, N' the number of weights with f_n != 0 (f_n = 0 when the P labels
    cancel, possible for even P); -> r_1 -> 1 as t -> 0. For the heat, with Var Q = (1 - e^{-2kt}) T
    (sum f^2 + N k T)/k over all N weights (docs/science.md, Model E):
    4 (k t)^2 e^{-4kt} / (1 - e^{-2kt})^2 * sum f^2 / (sum f^2 + N k T)."""
    a, decay = learning_fraction(k, t), np.exp(-k * np.asarray(t, dtype=float))
    single = (k * t * decay) ** 2 / (a * (a - a * a / 2))
    if current == "work":
        return single
    if current == "displacement":
        return single * np.abs(f).sum() ** 2 / (np.count_nonzero(f) * (f * f).sum())
    f2 = (f * f).sum()
    return 4.0 * (k * t) ** 2 * decay**4 / (-np.expm1(-2.0 * k * np.asarray(t, dtype=float))) ** 2 * f2 / (
        f2 + f.size * k * T)


def estimate(force: pd.DataFrame, table: pd.DataFrame, *, k: float, T: float) -> pd.DataFrame:
    """Stages 2-3: per time and current, the mean (sampled and exact), Var J with its standard
    error sqrt((m4 - Var^2)/M), <Sigma_t>, and the ratio (t d<J>/dt)^2 / (Var J <Sigma_t>/2);
    ``dof`` = M - 1 for the M trajectories."""
    f = force["f"].to_numpy()
    rows = []
    for t, at_t in table.groupby("t", sort=True):
        mean, speed, sigma = exact_moments(f, k=k, T=T, t=t)
        for current in CURRENTS:
            values = at_t[current].to_numpy()
            m = len(values)
            centred = values - values.mean()
            var = centred.var(ddof=1)
            var_err = np.sqrt(max((centred**4).mean() - var**2, 0.0) / m)
            ratio = speed[current] ** 2 / (var * sigma / 2)
            rows.append(
                {"current": current, "t": t, "dof": m - 1, "mean": values.mean(),
                 "mean_err": values.std(ddof=1) / np.sqrt(m), "mean_theory": mean[current],
                 "variance": var, "variance_err": var_err,
                 "speed": speed[current], "entropy_production": sigma, "precision": speed[current] ** 2 / var,
                 "ratio": ratio, "ratio_err": ratio * var_err / var,
                 "ratio_theory": ratio_theory(f, current, k=k, T=T, t=t)}
            )
    return pd.DataFrame(rows)


RELATIONS = ["(t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1"]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows: TUR ratio <= 1 per current, nu and t."""
    return relation(summary[["current", "nu", "t"]], "(t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1", summary["ratio"],
                    summary["ratio_err"], 1.0, 0.0, summary["dof"])


SUMMARY_COLUMNS = ["current", "nu", "t", "dof", "mean", "mean_err", "mean_theory", "variance", "variance_err",
                   "entropy_production", "precision", "ratio", "ratio_err"]
