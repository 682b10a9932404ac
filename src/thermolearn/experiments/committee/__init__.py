"""Model H experiment: the cost of learning in a two-layer network (soft committee machine, SCIENCE.md Model H).

Pure stage functions, DataFrames in and out: ``simulate`` runs the kernel at one point (one nu) and returns
per trial and recorded alpha the order-parameter matrices (per N), the heat per weight and the held-out
generalisation error; ``estimate`` reduces them by the delete-one-group jackknife (every nonlinear quantity from
the averages of each replicate, never trial by trial) to the joint Delta S, I_uh, I_out, the cost and eta, next to
the N -> infinity ODE theory (``theory``); ``bound_checks`` tests I_out <= I_uh, Delta I_uh <= Delta S + Q/T and
eta <= 1. ``space``, ``check_config``, ``job_bytes``, ``simulate_work`` and the config proposals (``DEFAULT_CONFIG``,
``QUICK_CONFIG``, ``SCHEMA``) describe the ``committee`` config section. Shared with Model C: the exact OU step and
Stratonovich heat (``thermolearn.ou.ou_step``), midpoint arrivals (``online.arrival_and_record_times``) and the
jackknife (``thermolearn.replicates``).
"""

import math

import numpy as np
import pandas as pd

from thermolearn import replicates
from thermolearn.bounds import relation
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
    weight)."""
    keys, dof = summary[["nu", "alpha"]], summary["dof"]
    return pd.concat(
        [
            relation(keys, "I_out <= I_uh", summary["I_out"], summary["I_out_err"], summary["I_uh"],
                     summary["I_uh_err"], dof),
            relation(keys, "dI_uh <= dS + <Q>/T", summary["information"], summary["information_err"],
                     summary["cost"], summary["cost_err"], dof),
            relation(keys, "eta <= 1", summary["eta"], summary["eta_err"], 1.0, 0.0, dof),
        ],
        ignore_index=True,
    )


# --- the config section ------------------------------------------------------------------------------------------

MAX_UNITS = 4
"""K, M <= 4: the ODEs evaluate K^2 (K + M)^2 I4 averages per step and the summary has 2KM + 3K^2 matrix entries
(each with error and theory); the closed theory is meant for a few units (Saad & Solla's small-K regime), and
J(y_T) is tabulated by quadrature of the Irwin-Hall density, exact for any M but slow beyond a few."""

LEAD = 7.5
"""|O_i| eps sqrt(kN/T) >= 7.5 for every unit i: the finite-N symmetry breaking of the start, of size sqrt(T/(kN))
per weight, is then a small fraction of the initial force's lean |O_i| eps, so simulation and ODE leave the plateau
together (SCIENCE.md: ~8; the default eps = 0.05 at N = 250, T = 0.01 has 7.9)."""

SCALARS = {"K": int, "M": int, "N": int, "k": float, "T": float, "r": float, "epsilon": float, "sigma_y": float,
           "trials": int, "test_samples": int}


def space(section: dict) -> pd.DataFrame:
    """One row per simulated point: the learning rates nu (sorted)."""
    return pd.DataFrame({"nu": sorted(float(nu) for nu in section["nu"])})


def point_arguments(section: dict, point: dict) -> dict:
    """simulate's keyword arguments at one point (without seed and key)."""
    return {**{key: cast(section[key]) for key, cast in SCALARS.items()}, "alpha": list(section["alpha"]),
            "nu": float(point["nu"])}


def check_config(section: dict) -> None:
    """The checks a schema cannot express, each refusal one line naming committee.<key>, its value and the allowed
    range: unit counts, sizes, rates, the alpha grid, trials and groups, and the shared start eps sqrt(kN/T) >= LEAD."""
    from thermolearn.config import ConfigError, require_increasing

    for name in ("K", "M"):
        value = section[name]
        if not isinstance(value, int) or not 1 <= value <= MAX_UNITS:
            raise ConfigError(f"committee.{name} = {value}: allowed integers 1..{MAX_UNITS} (the ODEs evaluate "
                              f"K^2 (K + M)^2 I4 averages per step; the theory is for a few units)")
    positive = {"N": (10, 100000), "k": (1e-3, 1e3), "T": (1e-4, 1e2), "r": (0.01, 100.0)}
    for name, (low, high) in positive.items():
        if not low <= section[name] <= high:
            raise ConfigError(f"committee.{name} = {section[name]}: allowed {low:g}..{high:g}")
    nu = section["nu"]
    if not nu or any(not 0.0 < v <= 10.0 for v in nu) or len(set(nu)) < len(nu):
        raise ConfigError(f"committee.nu = {nu}: allowed a non-empty list of distinct values in (0, 10]")
    if not 0.0 <= section["sigma_y"] <= 10.0:
        raise ConfigError(f"committee.sigma_y = {section['sigma_y']}: allowed 0..10")
    if not 0.0 < section["epsilon"] <= 1.0:
        raise ConfigError(f"committee.epsilon = {section['epsilon']}: allowed (0, 1] (eps = 0 is the symmetric "
                          "plateau, which the N -> infinity theory never leaves)")
    smallest = float(np.min(np.linalg.norm(lean(section["K"], section["M"]), axis=1)))  # 1/ceil(K/M)
    lead = smallest * section["epsilon"] * math.sqrt(section["k"] * section["N"] / section["T"])
    if lead < LEAD:
        need = LEAD / smallest * math.sqrt(section["T"] / (section["k"] * section["N"]))
        raise ConfigError(f"committee.epsilon = {section['epsilon']}: |O_i| eps sqrt(kN/T) = {lead:.3g} < {LEAD} for "
                          f"the smallest lean |O_i| = {smallest:g} (allowed "
                          f"eps >= {need:.3g} at N = {section['N']}: below, the finite-N start breaks the symmetry "
                          "differently from the ODEs)")
    alpha = section["alpha"]
    if not alpha or alpha[0] <= 0:
        raise ConfigError(f"committee.alpha = {alpha}: allowed a non-empty list of positive values")
    require_increasing(alpha, "committee.alpha")
    if round(alpha[0] * section["N"]) < 1 or len({round(a * section["N"]) for a in alpha}) < len(alpha):
        raise ConfigError(f"committee.alpha = {alpha}: each alpha N must round to a distinct number >= 1 of samples "
                          f"at N = {section['N']}")
    if alpha[-1] > 2000:
        raise ConfigError(f"committee.alpha = {alpha}: allowed alpha <= 2000")
    if section["trials"] < 2:
        raise ConfigError(f"committee.trials = {section['trials']}: allowed >= 2")
    if not 2 <= section["jackknife_groups"] <= section["trials"]:
        raise ConfigError(f"committee.jackknife_groups = {section['jackknife_groups']}: allowed 2..trials "
                          f"({section['trials']})")
    if section["test_samples"] < 0:
        raise ConfigError(f"committee.test_samples = {section['test_samples']}: allowed >= 0")
    if not 0.0 < section["plateau_epsilon"] < 0.1:
        raise ConfigError(f"committee.plateau_epsilon = {section['plateau_epsilon']}: allowed (0, 0.1) (a lean "
                          "small enough for a plateau)")
    if any(not 0.0 < v <= 10.0 for v in section["plateau_nu"]):
        raise ConfigError(f"committee.plateau_nu = {section['plateau_nu']}: allowed values in (0, 10]")


def record_size(section: dict) -> int:
    """Numbers per trial and record: the 2KM + 3K^2 matrix entries, the heat, eps_g_test and trial, alpha, t."""
    K, M = section["K"], section["M"]
    return 2 * K * M + 3 * K * K + 5


MEMORY = "24 B * committee.trials * len(committee.alpha) * (2 K M + 3 K^2 + 5) + 8 B * 4 (K + M) N * 2 threads"
"""What one simulate job holds (the formula of ``job_bytes``): the kernel's output, the trial table and its
copy; the per-trial arrays (B, f, w, w_old) of the two threads' running trials."""

WORK = "committee.trials * committee.N * (K + 1) * (round(max(committee.alpha) N) + len(committee.alpha) test_samples)"
"""The work of one simulate job (the formula of ``simulate_work``): Gaussian draws and weight updates, K + 1 per
weight and arrival (the K units' OU noise and the input), and the held-out inputs."""


def job_bytes(section: dict) -> int:
    """``MEMORY``."""
    K, M, N = section["K"], section["M"], section["N"]
    return 24 * section["trials"] * len(section["alpha"]) * record_size(section) + 8 * 4 * (K + M) * N * 2


def simulate_work(section: dict, duration=None) -> float:
    """``WORK``."""
    arrivals = round(section["alpha"][-1] * section["N"])
    return section["trials"] * section["N"] * (section["K"] + 1) * (
        arrivals + len(section["alpha"]) * section["test_samples"])


DEFAULT_CONFIG = {
    "K": 2, "M": 2, "N": 250, "nu": [0.5, 1.0, 1.5], "k": 1.0, "T": 0.01, "r": 1.0, "epsilon": 0.05, "sigma_y": 0.0,
    "alpha": [1.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 20.0, 22.0, 24.0, 26.0, 28.0, 30.0, 32.0, 34.0,
              36.0, 38.0, 40.0],
    "trials": 150, "jackknife_groups": 30, "test_samples": 100,
    "plateau_epsilon": 1.0e-3, "plateau_nu": [0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5],
}
"""The proposed ``committee`` section (SCIENCE.md's defaults)."""

QUICK_CONFIG = DEFAULT_CONFIG | {
    "N": 100, "nu": [1.0], "epsilon": 0.1, "alpha": [1.0, 2.0, 4.0, 6.0, 8.0, 10.0], "trials": 100,
    "jackknife_groups": 20, "test_samples": 50, "plateau_nu": [0.5, 1.0, 1.5],
}
"""The quick run's section (SCIENCE.md's quick sizes, 100 trials: 0.35 s of kernel CPU, about 1 s with its start)."""

RATE = 1.4e8
"""``simulate_work`` per second and thread, kernel and table (default config, 3 points: 29.3 s of CPU for 4.1e9,
measured on the 2-core development machine under a load of 7-9, 2026-12-05)."""


def _number(description, default, minimum=None, maximum=None, exclusive=False, kind="number"):
    entry = {"type": kind, "description": description, "default": default}
    if minimum is not None:
        entry["exclusiveMinimum" if exclusive else "minimum"] = minimum
    if maximum is not None:
        entry["maximum"] = maximum
    return entry


def _list(description, default, item):
    return {"type": "array", "minItems": 1, "items": item, "description": description, "default": default}


SCHEMA = {
    "type": "object",
    "description": "Model H, online backprop in a soft committee machine (K students, M orthonormal teachers, erf "
                   "units) in Model C's continuous time.",
    "additionalProperties": False,
    "properties": {
        "K": _number("Student hidden units K (the theory is for a few: <= 4).", 2, 1, MAX_UNITS, kind="integer"),
        "M": _number("Teacher hidden units M (orthonormal, |B_m|^2 = N; <= 4).", 2, 1, MAX_UNITS, kind="integer"),
        "N": _number("Inputs N (weights per unit).", 250, 10, 100000, kind="integer"),
        "nu": _list("Learning rates nu, one simulated point each.", DEFAULT_CONFIG["nu"],
                    {"type": "number", "exclusiveMinimum": 0, "maximum": 10}) | {"uniqueItems": True},
        "k": _number("Stiffness k of the weights' potential.", 1.0, 1e-3, 1e3),
        "T": _number("Temperature T.", 0.01, 1e-4, 1e2),
        "r": _number("Samples per weight per unit time, alpha = r t.", 1.0, 0.01, 100),
        "epsilon": _number("Initial force f_i(0) = k eps B_i: the lean that starts the escape from the plateau; "
                           "eps sqrt(kN/T) >= 7.5 for simulation and ODEs to share the start.", 0.05, 0, 1,
                           exclusive=True),
        "sigma_y": _number("Label noise sigma_y: y = y_T + sigma_y zeta.", 0.0, 0, 10),
        "alpha": _list("Recorded alpha (samples per weight), strictly increasing; the last is alpha_f.",
                       DEFAULT_CONFIG["alpha"], {"type": "number", "exclusiveMinimum": 0, "maximum": 2000}),
        "trials": _number("Independent teachers (trials) per point.", 150, 2, kind="integer"),
        "jackknife_groups": _number("Jackknife groups (errors have groups - 1 degrees of freedom); <= trials.", 30,
                                    2, kind="integer"),
        "test_samples": _number("Held-out Gaussian inputs per trial and record for eps_g_test.", 100, 0,
                                kind="integer"),
        "plateau_epsilon": _number("eps of the theory-only long-plateau panel of figure H3.", 1.0e-3, 0, 0.1,
                                   exclusive=True),
        "plateau_nu": _list("Learning rates of the theory-only plateau panel (length, heat rate, cost vs nu).",
                            DEFAULT_CONFIG["plateau_nu"], {"type": "number", "exclusiveMinimum": 0, "maximum": 10}),
    },
}
"""The JSON-schema fragment of the ``committee`` section (types, ranges, descriptions, defaults)."""
