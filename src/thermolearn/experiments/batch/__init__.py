"""Model B experiment: from a parameter point to the tables of the five stages.

Stage 1 (simulate) runs the kernel; stage 2 (estimate) turns the pooled weights into heat,
entropy change and entropy production; stage 3 (information) adds the training error, the
information and the efficiency. Errors come from a delete-one-group jackknife over trials:
stages 2 and 3 compute every quantity on all trials and on each of the leave-one-group-out
replicates (:mod:`thermolearn.replicates`), which are then reduced to estimates with errors.
"""

import numpy as np
import pandas as pd

from thermolearn import estimators, information, replicates, tables
from thermolearn.bounds import relation
from thermolearn.experiments.batch import theory
from thermolearn.progress import in_chunks
from thermolearn.seeds import trial_generators


def n_samples(N: int, alpha: float) -> int:
    """P = round(alpha N)."""
    return int(round(alpha * N))


def simulate(*, N: int, alpha: float, nu: float, k: float, T: float, times: list[float], trials: int, seed: int,
             key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage 1: per-trial training errors (CSV) and pooled weights (Parquet, float32).

    ``key`` names the parameter point and fixes its random stream.
    """
    from thermolearn.experiments.batch.kernel import simulate_batch  # numba: only the simulate jobs import it

    times = np.asarray(times, dtype=float)
    P = n_samples(N, alpha)
    w0, force, w_t, errors = in_chunks(
        lambda rngs: simulate_batch(N, P, nu, k, T, times, rngs), trial_generators(seed, key, trials)
    )
    trial_table = pd.DataFrame(
        {
            "trial": np.repeat(np.arange(trials), len(times)),
            "t": np.tile(times, trials),
            "errors": errors.reshape(-1),
            "P": P,
        }
    )
    weights = {"trial": np.repeat(np.arange(trials, dtype=np.int32), N)}
    weights["f"] = force.reshape(-1).astype(np.float32)
    weights["w0"] = w0.reshape(-1).astype(np.float32)
    for j, t in enumerate(times):
        weights[tables.weight_column(t)] = w_t[:, j, :].reshape(-1).astype(np.float32)
    return trial_table, pd.DataFrame(weights)


def estimate(weights: pd.DataFrame, *, times: list[float], k: float, T: float, groups: int) -> pd.DataFrame:
    """Stage 2: heat, entropy change and entropy production per replicate and time, per weight
    (heat in units of T).

    ``entropy_change`` is the Gaussian estimate 1/2 ln(var w(t) / var w(0)): the marginal is
    Gaussian up to O(1/P), the estimate is efficient, and its fluctuations cancel those of the
    heat's -(k/2) Delta(w^2) term, so the cost Delta S + <Q>/T is sharp even at small nu.
    ``entropy_change_knn`` is the Kozachenko-Leonenko estimate, which assumes no shape: it
    checks the Gaussian one and gives the assumption-free version of the bound.
    """
    f = weights["f"].to_numpy(np.float64)
    w0 = weights["w0"].to_numpy(np.float64)
    group = replicates.groups_of(weights["trial"].to_numpy(), groups)
    initial_variance = replicates.variances(w0, group, groups)
    initial_knn = estimators.entropy_nonparametric_replicates(w0, group, groups)
    tables_per_time = []
    for t in times:
        w = weights[tables.weight_column(t)].to_numpy(np.float64)
        delta_s_tot = estimators.entropy_production(f, w0, w, k, T, t)
        tables_per_time.append(pd.DataFrame({
            "t": t,
            "replicate": [replicates.FULL, *range(groups)],
            "heat": replicates.means(estimators.heat(f, w0, w, k) / T, group, groups),
            "entropy_change": estimators.entropy_change_gaussian(replicates.variances(w, group, groups),
                                                                 initial_variance),
            "entropy_change_knn": estimators.entropy_nonparametric_replicates(w, group, groups) - initial_knn,
            "entropy_production": replicates.means(delta_s_tot, group, groups),
            "fluctuation_theorem": replicates.means(np.exp(-delta_s_tot), group, groups),
        }))
    return pd.concat(tables_per_time, ignore_index=True)


def entropy_production_histogram(weights: pd.DataFrame, *, t: float, k: float, T: float, bins: int) -> pd.DataFrame:
    """Histogram (density) of Delta s_tot per weight at time t."""
    f = weights["f"].to_numpy(np.float64)
    w0 = weights["w0"].to_numpy(np.float64)
    w = weights[tables.weight_column(t)].to_numpy(np.float64)
    density, edges = np.histogram(
        estimators.entropy_production(f, w0, w, k, T, t), bins=bins, density=True
    )
    return pd.DataFrame({"t": t, "left": edges[:-1], "right": edges[1:], "density": density})


def information_replicates(trial_table: pd.DataFrame, estimates: pd.DataFrame, *, alpha: float,
                           groups: int) -> pd.DataFrame:
    """Stage 3 per replicate: training error eps, I = ln2 - h(eps), cost Delta S + <Q>/T and
    eta = alpha I / cost (with the Gaussian and, as ``_knn``, the nonparametric Delta S)."""
    rows = []
    for replicate, mask in replicates.masks(trial_table["trial"].to_numpy(), groups):
        kept = trial_table[mask]
        sums = kept.groupby("t")[["errors", "P"]].sum()
        for t, eps in (sums["errors"] / sums["P"]).items():
            rows.append({"t": t, "replicate": replicate, "eps": eps})
    table = estimates.merge(pd.DataFrame(rows), on=["t", "replicate"], validate="one_to_one")
    table["information"] = information.information_from_error(table["eps"])
    return information.add_cost_and_efficiency(table, alpha, "information")


QUANTITIES = [
    "heat",
    "entropy_change",
    "entropy_change_knn",
    "entropy_production",
    "fluctuation_theorem",
    "eps",
    "information",
    "cost",
    "cost_knn",
    "eta",
    "eta_knn",
]


def reduce_replicates(table: pd.DataFrame) -> pd.DataFrame:
    """Jackknife every quantity over the replicates: one row per time with value and ``_err``."""
    return replicates.reduce(table, QUANTITIES, key="t", no_bias_correction=information.NEAREST_NEIGHBOUR)


THEORY = {
    "heat": theory.heat,
    "entropy_change": theory.entropy_change,
    "cost": lambda nu, alpha, **p: theory.entropy_change(nu, alpha, **p) + theory.heat(nu, alpha, **p),
}
FINITE_SIZE_THEORY = {
    "eps": theory.training_error,
    "information": theory.information,
    "eta": theory.eta,
}


def add_theory(table: pd.DataFrame, *, nu: float, alpha: float, k: float, T: float, N: int) -> pd.DataFrame:
    """Add a ``_theory`` column for every quantity with a closed form: docs/science.md's N -> infinity
    forms, with the exact finite-N cross-talk variance in eps (heat and Delta S depend on the
    data only through E[f^2] = nu^2 P/N and need no correction). The fluctuation theorem's theory 1 is
    given only where the verdict tests it (``fluctuation_theorem_tested``: theory <Q>/T <
    FLUCTUATION_HEAT_LIMIT); beyond, its sampled average's moments diverge and the column is NaN."""
    table = table.copy()
    t = table["t"].to_numpy()
    for name, formula in THEORY.items():
        table[f"{name}_theory"] = formula(nu, alpha, k=k, T=T, t=t)
    for name, formula in FINITE_SIZE_THEORY.items():
        table[f"{name}_theory"] = formula(nu, alpha, k=k, T=T, t=t, N=N)
    # <e^{-ds_tot}> = 1 always, but where its higher moments diverge (theory <Q>/T >= FLUCTUATION_HEAT_LIMIT) the
    # sampled average does not estimate it with a t-distributed error and is not tested: no theory there.
    table["fluctuation_theorem_tested"] = table["heat_theory"] < FLUCTUATION_HEAT_LIMIT
    table["fluctuation_theorem_theory"] = np.where(table["fluctuation_theorem_tested"], 1.0, np.nan)
    return table


ESTIMATES = QUANTITIES[:5]
"""Columns of the estimate stage (per replicate)."""


def point_summary(trial_table: pd.DataFrame, estimates: pd.DataFrame, *, alpha: float, nu: float, k: float, T: float,
                  N: int, groups: int) -> pd.DataFrame:
    """Stage 3 for one point: jackknife estimates with errors and the theory."""
    table = reduce_replicates(information_replicates(trial_table, estimates, alpha=alpha, groups=groups))
    table = add_theory(information.add_second_order_error(table, eps="eps"), nu=nu, alpha=alpha, k=k, T=T, N=N)
    table.insert(0, "nu", nu)
    table.insert(0, "alpha", alpha)
    return table


SUMMARY_COLUMNS = (
    ["alpha", "nu", "t", "dof"]
    + [f"{q}{suffix}" for q in QUANTITIES for suffix in ("", "_err")]
    + [f"{q}_theory" for q in [*THEORY, *FINITE_SIZE_THEORY]]
)

FLUCTUATION_HEAT_LIMIT = 1.0 / 12.0
"""Where the sampled fluctuation theorem can be tested. Given f, Delta s_tot is Gaussian with
variance 2 mu, mu = <Delta s_tot | f> = f^2 (a - a^2/2)/(kT), so <e^{-n Delta s_tot} | f> =
e^{n(n-1) mu}; with f ~ N(0, nu^2 alpha) the n-th moment of e^{-Delta s_tot} is finite only while
<Q>/T < 1/(2n(n-1)). The variance exists below 1/4; the test's p-value rests on the normal
approximation of the mean (t with the jackknife's dof), whose Berry-Esseen rate needs the third
moment: <Q>/T < 1/12."""


RELATIONS = ["alpha I <= dS + <Q>/T", "alpha I <= dS_knn + <Q>/T", "0 <= <ds_tot>", "<exp(-ds_tot)> = 1"]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows: alpha I <= Delta S + <Q>/T (every point and time, with the Gaussian and the
    nonparametric Delta S), 0 <= <Delta s_tot>, and <e^{-Delta s_tot}> = 1 where it can be tested
    (theory <Q>/T < FLUCTUATION_HEAT_LIMIT)."""
    keys, dof = summary[["alpha", "nu", "t"]], summary["dof"]
    learned = summary["alpha"] * summary["information"]
    learned_err = summary["alpha"] * summary["information_err"]
    testable = summary["heat_theory"] < FLUCTUATION_HEAT_LIMIT
    return pd.concat(
        [
            relation(keys, "alpha I <= dS + <Q>/T", learned, learned_err, summary["cost"], summary["cost_err"], dof),
            relation(keys, "alpha I <= dS_knn + <Q>/T", learned, learned_err, summary["cost_knn"],
                     summary["cost_knn_err"], dof),
            relation(keys, "0 <= <ds_tot>", 0.0, 0.0, summary["entropy_production"], summary["entropy_production_err"],
                     dof),
            relation(keys[testable], "<exp(-ds_tot)> = 1", summary.loc[testable, "fluctuation_theorem"],
                     summary.loc[testable, "fluctuation_theorem_err"], 1.0, 0.0, dof[testable], equality=True),
        ],
        ignore_index=True,
    )
