"""Model H experiment: the cost of learning in a two-layer network (soft committee machine, docs/science.md).

Pure stage functions, DataFrames in and out: ``simulate`` runs the kernel at one point (one nu) and returns
per trial and recorded alpha the order-parameter matrices (per N), the heat per weight and the held-out
generalisation error; ``estimate`` reduces them by the delete-one-group jackknife (every nonlinear quantity from
the averages of each replicate, never trial by trial) to the joint Delta S, I_uh, I_out, the cost and eta, next to
the N -> infinity ODE theory (``theory``); ``bound_checks`` tests I_out <= I_uh, Delta I_uh <= Delta S + Q/T and
eta <= 1. The wiring (parameter space, config checks, resources, figures) is ``committee.spec``. Shared with
Model C: the exact OU step and Stratonovich heat (``thermolearn.ou.ou_step``), midpoint arrivals
(``online.arrival_and_record_times``) and the jackknife (``thermolearn.replicates``).
"""

import numpy as np
import pandas as pd

from thermolearn import replicates
from thermolearn.bounds import denominator_untested, relation
from thermolearn.experiments.committee import theory
from thermolearn.experiments.online import arrival_and_record_times
from thermolearn.progress import in_chunks
from thermolearn.seeds import trial_generators

MATRICES = {"R": "KM", "Q": "KK", "Rf": "KM", "C": "KK", "F": "KK"}
"""The order-parameter matrices in the kernel's order, with their shapes: R_im = w_i.B_m/N, Q_ij = w_i.w_j/N,
R^f_im = f_i.B_m/N, C_ij = w_i.f_j/N (not symmetric), F_ij = f_i.f_j/N."""


def order_columns(K: int, M: int) -> list[str]:
    """Column names of the matrices' entries, 1-based: R_11, ..., Q_12, ..., Rf_21, C_12, C_21, F_22."""
    size = {"K": K, "M": M}
    return [f"{name}_{a + 1}{b + 1}" for name, shape in MATRICES.items()
            for a in range(size[shape[0]]) for b in range(size[shape[1]])]


def lean(K: int, M: int) -> np.ndarray:
    """O, the initial force's direction f_i(0) = k eps sum_m O_im B_m: ``theory.default_lean`` (the identity for
    K = M, unit i leans towards teacher i)."""
    return theory.default_lean(K, M)


def simulate(*, nu: float, K: int, M: int, N: int, k: float, T: float, r: float, epsilon: float, sigma_y: float,
             alpha, trials: int, test_samples: int, seed: int, key: str, ito_heat: bool = False,
             end_arrivals: bool = False) -> dict[str, pd.DataFrame]:
    """Stage 1 at one point: {"trials": per trial and recorded alpha (at t = round(alpha N)/(r N)) the entries of
    R, Q, R^f, C, F (``order_columns``), the heat per weight (energy units) and ``eps_g_test``, the mean of
    1/2 (y_T - y_S)^2 over ``test_samples`` fresh inputs plus sigma_y^2/2, NaN without test inputs}. Samples arrive
    at the midpoints (mu - 1/2)/(r N). ``ito_heat``, ``end_arrivals`` (arrivals at mu/(r N)): negative controls."""
    from thermolearn.experiments.committee.kernel import simulate_committee  # numba: only the simulate jobs

    arrivals, records = arrival_and_record_times(N, r, alpha)
    if end_arrivals:
        arrivals = arrivals + 0.5 / (r * N)
    order, test_error = in_chunks(
        lambda rngs: simulate_committee(N, K, M, nu, k, T, epsilon, sigma_y, lean(K, M), arrivals, records,
                                        test_samples, ito_heat, rngs),
        trial_generators(seed, key, trials),
    )
    alpha = np.asarray(alpha, dtype=float)
    table = pd.DataFrame({"trial": np.repeat(np.arange(trials), len(alpha)), "alpha": np.tile(alpha, trials),
                          "t": np.tile(records, trials)})
    for c, name in enumerate([*order_columns(K, M), "heat"]):
        table[name] = order[:, :, c].reshape(-1)
    table["eps_g_test"] = test_error.reshape(-1) + 0.5 * sigma_y**2 if test_samples else np.nan
    return {"trials": table}


def matrices(values: np.ndarray, K: int, M: int) -> dict[str, np.ndarray]:
    """Split (..., columns) in ``order_columns`` order into the matrices (..., K or M, K or M)."""
    size = {"K": K, "M": M}
    out, c = {}, 0
    for name, shape in MATRICES.items():
        rows, cols = size[shape[0]], size[shape[1]]
        out[name] = values[..., c:c + rows * cols].reshape(*values.shape[:-1], rows, cols)
        c += rows * cols
    return out


DERIVED = ["eps_g", "entropy_change", "I_uh", "I_out", "information", "cost", "eta"]
"""Functions of the averaged order parameters (``theory.derived``): eps_g from I2, the joint Delta S =
ln(det Q/det Q(0))/(2K) per weight, I_uh and I_out per input, Delta I_uh/K per weight, cost Delta S + Q/T, eta."""


def heat_rate(heat: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The mean heat rate per weight and sample per weight over each interval of the alpha grid (from alpha = 0 for
    the first): (Q(alpha_j) - Q(alpha_{j-1}))/(alpha_j - alpha_{j-1}), along the last axis."""
    return np.diff(heat, axis=-1, prepend=0.0) / np.diff(alpha, prepend=0.0)


def quantities(K: int, M: int) -> list[str]:
    """Every estimated quantity of a point: the matrices' entries, heat (per weight, units of T), its mean rate
    per sample per weight over each interval of the alpha grid (``heat_rate``), the held-out eps_g_test and
    ``DERIVED``."""
    return [*order_columns(K, M), "heat", "heat_rate", "eps_g_test", *DERIVED]


def estimate(trials: pd.DataFrame, *, nu: float, K: int, M: int, k: float, T: float, r: float, epsilon: float,
             sigma_y: float, groups: int, variant: str | None = None) -> pd.DataFrame:
    """Stages 2-3 at one point: per alpha every quantity (``quantities``) as the jackknife estimate over ``groups``
    groups of trials with ``_err`` and ``dof``, each derived quantity computed from the replicate's averages, and
    ``_theory`` from the ODEs at the record times (``variant``: a wrong version of the ODEs, for the negative
    controls)."""
    model = theory.Model(K, M, nu, k, T, r, epsilon, sigma_y, lean(K, M))
    alpha = np.sort(trials["alpha"].unique())
    columns = [*order_columns(K, M), "heat", "eps_g_test"]
    table = trials.sort_values(["trial", "alpha"])
    trial = table["trial"].to_numpy()[:: len(alpha)]
    values = table[columns].to_numpy(np.float64, copy=True).reshape(len(trial), len(alpha), len(columns))
    values[..., columns.index("heat")] /= T
    group = replicates.groups_of(trial, groups)
    sums = np.stack([values[group == g].sum(axis=0) for g in range(groups)])
    counts = np.bincount(group, minlength=groups)[:, None, None]
    means = np.concatenate([[sums.sum(axis=0) / len(trial)], (sums.sum(axis=0) - sums) / (len(trial) - counts)])
    parts = matrices(means, K, M)
    derived = theory.derived(parts["R"], parts["Q"], means[..., columns.index("heat")], model)
    long = pd.DataFrame({"replicate": np.repeat([replicates.FULL, *range(groups)], len(alpha)),
                         "alpha": np.tile(alpha, groups + 1)})
    for c, name in enumerate(columns):
        long[name] = means[..., c].reshape(-1)
    for name in DERIVED:
        long[name] = derived[name].reshape(-1)
    long["heat_rate"] = heat_rate(means[..., columns.index("heat")], alpha).reshape(-1)
    summary = replicates.reduce(long, quantities(K, M), key="alpha")
    records = trials.groupby("alpha")["t"].first().loc[summary["alpha"]].to_numpy()  # round(alpha N)/(r N)
    expected = theory.order_parameters(model, records, variant=variant)
    flat = np.concatenate([expected[name].reshape(len(records), -1) for name in MATRICES], axis=1)
    for c, name in enumerate(order_columns(K, M)):
        summary[f"{name}_theory"] = flat[:, c]
    for name in ["heat", *DERIVED]:
        summary[f"{name}_theory"] = expected[name]
    summary["eps_g_test_theory"] = expected["eps_g"]
    summary["heat_rate_theory"] = heat_rate(expected["heat"], summary["alpha"].to_numpy())
    summary.insert(1, "t", records)
    summary.insert(0, "nu", nu)
    return summary


def summary_columns(K: int, M: int) -> list[str]:
    """The columns of a point's summary for K students and M teachers."""
    names = quantities(K, M)
    return (["nu", "alpha", "t", "dof"] + [f"{q}{suffix}" for q in names for suffix in ("", "_err")]
            + [f"{q}_theory" for q in names])


SUMMARY_COLUMNS = summary_columns(2, 2)
"""The summary's columns at the default K = M = 2 (``summary_columns`` for others)."""

RELATIONS = ["I_out <= I_uh", "dI_uh <= dS + <Q>/T", "eta <= 1"]
"""Every relation bound_checks tests, in its order: I_out <= I_uh (exact at every state), Delta I_uh <= Delta S +
Q/T and eta <= 1 (checked, not proved: backprop's delta depends on the student's own fields)."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows per point and alpha: I_out <= I_uh (per input), Delta I_uh/K <= Delta S + Q/T and eta <= 1 (per
    weight; untested where the cost is not RATIO_MIN_SIGNIFICANCE SE above 0, ``bounds.denominator_untested``)."""
    keys, dof = summary[["nu", "alpha"]], summary["dof"]
    return pd.concat(
        [
            relation(keys, "I_out <= I_uh", summary["I_out"], summary["I_out_err"], summary["I_uh"],
                     summary["I_uh_err"], dof),
            relation(keys, "dI_uh <= dS + <Q>/T", summary["information"], summary["information_err"],
                     summary["cost"], summary["cost_err"], dof),
            relation(keys, "eta <= 1", summary["eta"], summary["eta_err"], 1.0, 0.0, dof,
                     untested=denominator_untested("dS + <Q>/T", summary["cost"], summary["cost_err"])),
        ],
        ignore_index=True,
    )
