"""Model C experiment: online teacher-student learning, from a (rule, nu, k) point to the tables.

Stage 1 simulates trials (one teacher each) and records the order parameters, the heat and a
held-out test error at the recorded alpha = r t; stage 2 estimates the entropy change of the
pooled weights; stage 3 adds eps_g, I_g, the cost and eta, reduced by the jackknife over trials,
next to the ODE theory. This continuous-time formulation is the project's own (docs/science.md).
"""

from collections.abc import Callable

import numpy as np
import pandas as pd

from thermolearn import estimators, information, replicates, tables
from thermolearn.bounds import denominator_untested, relation
from thermolearn.progress import in_chunks
from thermolearn.seeds import trial_generators

ORDER_PARAMETERS = ("R", "q", "R_f", "q_wf", "q_ff", "heat")
"""The columns of the kernel's order-parameter array (``kernel.simulate_online``'s ``order[..., c]``), in order."""


def arrival_and_record_times(N: int, r: float, alpha: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Sample mu = 1..round(alpha_f N) arrives at the midpoint of its interval, t_mu = (mu - 1/2)/(r N),
    so that the staircase force is centred on the N -> infinity ramp (lag O(1/N^2), not the 1/(2 r N)
    of arrivals at mu/(r N)); records at t = round(alpha N)/(r N), when round(alpha N) samples have arrived."""
    n_samples = np.round(np.asarray(alpha) * N).astype(np.int64)
    return (np.arange(1, n_samples[-1] + 1) - 0.5) / (r * N), n_samples / (r * N)


def simulate(*, rule: dict | str | Callable, nu: float, k: float, N: int, T: float, r: float, alpha: list[float],
             trials: int, test_samples: int, seed: int, key: str, all_at_start: bool = False,
             random_labels: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage 1: per trial and recorded alpha the order parameters (per N), the heat per weight
    (energy units), the test errors; and the pooled weights (float32). ``rule``: a config entry of
    online.rules, a rule function itself or a rules.Rule.

    ``all_at_start`` and ``random_labels`` turn the kernel into Model B (every sample at t = 0,
    random labels), the shared-code check; alpha then only sets the number of samples, the
    records are taken at the times alpha / r."""
    from thermolearn.experiments.online import rules  # numba: only the jobs that run a rule
    from thermolearn.experiments.online.kernel import simulate_online

    arrivals, records = arrival_and_record_times(N, r, alpha)
    rule = rules.resolve(rule)
    F = rules.bound_factor(rule)
    if all_at_start:
        arrivals = np.zeros_like(arrivals)
    order, test_errors, weights, failed = in_chunks(
        lambda rngs: simulate_online(N, F, nu, k, T, arrivals, records, test_samples, random_labels, rngs),
        trial_generators(seed, key, trials),
    )
    stopped = np.flatnonzero(~np.isnan(failed[:, 0]))
    if stopped.size:
        h, sigma_T = failed[stopped[0]]
        raise rules.RuleError(f"{rules.failure(rule, h, sigma_T)} in trial {stopped[0]} at nu = {nu:g}, k = {k:g} "
                              f"({stopped.size} of {trials} trials stopped): no run uses such a value")
    alpha = np.asarray(alpha, dtype=float)
    trial_table = pd.DataFrame(
        {"trial": np.repeat(np.arange(trials), len(alpha)), "alpha": np.tile(alpha, trials),
         "t": np.tile(records, trials)}
    )
    for c, name in enumerate(ORDER_PARAMETERS):
        trial_table[name] = order[:, :, c].reshape(-1)
    trial_table["test_errors"] = test_errors.reshape(-1)
    trial_table["test_samples"] = test_samples
    pooled = {"trial": np.repeat(np.arange(trials, dtype=np.int32), N)}
    for j, a in enumerate(alpha):
        pooled[tables.weight_column(a)] = weights[:, j, :].reshape(-1).astype(np.float32)
    return trial_table, pd.DataFrame(pooled)


def estimate(weights: pd.DataFrame, *, alpha: list[float], k: float, T: float, groups: int) -> pd.DataFrame:
    """Stage 2: entropy change of one weight's marginal from its equilibrium N(0, T/k), per
    replicate and alpha: Gaussian 1/2 ln(<w^2> k/T) and Kozachenko-Leonenko."""
    initial = 0.5 * np.log(2.0 * np.pi * np.e * T / k)
    trial = weights["trial"].to_numpy()
    group = replicates.groups_of(trial, groups)
    pooled = {a: weights[tables.weight_column(a)].to_numpy(np.float64) for a in alpha}
    knn = {a: estimators.entropy_nonparametric_replicates(w, group, groups) - initial for a, w in pooled.items()}
    rows = []
    for r, (replicate, mask) in enumerate(replicates.masks(trial, groups)):
        for a in alpha:
            w = pooled[a][mask]
            rows.append(
                {"alpha": a, "replicate": replicate, "entropy_change": 0.5 * np.log(np.mean(w * w) * k / T),
                 "entropy_change_knn": knn[a][r]}
            )
    return pd.DataFrame(rows)


QUANTITIES = [
    *ORDER_PARAMETERS, "overlap", "eps_g", "eps_g_test", "information", "weight_information",
    "entropy_change", "entropy_change_knn", "cost", "cost_knn", "eta", "eta_knn",
]


def information_replicates(trial_table: pd.DataFrame, entropy: pd.DataFrame, *, T: float, groups: int) -> pd.DataFrame:
    """Stage 3 per replicate: means of the order parameters and, from these means, the overlap
    rho = R/sqrt(q), eps_g = arccos(rho)/pi, I_g = ln2 - h(eps_g) and -1/2 ln(1 - rho^2) (averaged
    trial by trial, each trial's O(1/sqrt N) noise in rho would bias -1/2 ln(1 - rho^2) by ~1/(2N));
    eps_g on the test set, cost Delta S + <Q>/T and eta = I_g / cost."""
    table = trial_table.assign(heat=trial_table["heat"] / T)
    rows = []
    for replicate, mask in replicates.masks(table["trial"].to_numpy(), groups):
        means = table[mask].groupby("alpha").agg(
            {**{c: "mean" for c in ORDER_PARAMETERS}, "test_errors": "sum", "test_samples": "sum"}
        )
        means["eps_g_test"] = means.pop("test_errors") / means.pop("test_samples")
        rows.append(means.reset_index().assign(replicate=replicate))
    merged = pd.concat(rows).merge(entropy, on=["alpha", "replicate"], validate="one_to_one")
    merged["overlap"] = merged["R"] / np.sqrt(merged["q"])
    merged["eps_g"] = information.generalization_error(merged["overlap"])
    merged["weight_information"] = -0.5 * np.log1p(-merged["overlap"] ** 2)
    merged["information"] = information.information_from_error(merged["eps_g"])
    return information.add_cost_and_efficiency(merged, 1.0, "information")


def weight_information_second_order(table: pd.DataFrame) -> pd.Series:
    """Second-order error of -1/2 ln(1 - rho^2), curvature (1 + rho^2)/(1 - rho^2)^2: near rho = 0 the
    function is rho^2/2, its jackknife (linear) error |rho| SE(rho) vanishes and this term, SE(rho)^2/sqrt 2,
    is the error."""
    rho2 = table["overlap"].clip(-1 + 1e-12, 1 - 1e-12) ** 2
    return information.second_order_error((1.0 + rho2) / (1.0 - rho2) ** 2, table["overlap_err"])


THEORY = ["R", "q", "R_f", "q_wf", "q_ff", "heat", "overlap", "eps_g", "information", "weight_information",
          "entropy_change", "cost", "eta"]


def point_summary(trial_table: pd.DataFrame, entropy: pd.DataFrame, *, rule: dict | str | Callable, nu: float,
                  k: float, T: float, r: float, groups: int) -> pd.DataFrame:
    """Stage 3 for one point: jackknife estimates with errors and the ODE theory of ``rule`` (a
    config entry of online.rules, a rule function or a rules.Rule)."""
    from thermolearn.experiments.online import rules  # numba and scipy: the theory compiles the rule
    from thermolearn.experiments.online.theory import order_parameters

    rule = rules.resolve(rule)
    table = replicates.reduce(
        information_replicates(trial_table, entropy, T=T, groups=groups), QUANTITIES, key="alpha",
        no_bias_correction=information.NEAREST_NEIGHBOUR,
    )
    table = information.add_second_order_error(table, eps="eps_g")
    table["weight_information_err"] = np.hypot(table["weight_information_err"], weight_information_second_order(table))
    records = trial_table.groupby("alpha")["t"].first()  # round(alpha N)/(r N), not alpha/r
    theory = order_parameters(rule, records.loc[table["alpha"]].to_numpy(), nu=nu, k=k, T=T, r=r)
    for name in THEORY:
        table[f"{name}_theory"] = theory[name]
    table["eps_g_test_theory"] = theory["eps_g"]
    table.insert(0, "r", r)
    table.insert(0, "k", k)
    table.insert(0, "nu", nu)
    table.insert(0, "rule", rule.name)
    return table


SUMMARY_COLUMNS = ["rule", "nu", "k", "r", "alpha", "dof"] + [
    f"{q}{suffix}" for q in QUANTITIES for suffix in ("", "_err")
] + [f"{q}_theory" for q in THEORY]


RELATIONS = ["eta <= 1", "I_g <= -ln(1 - rho^2)/2", "-ln(1 - rho^2)/2 <= dS + <Q>/T"]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows per point: eta <= 1 (untested where the cost is not RATIO_MIN_SIGNIFICANCE SE above 0,
    ``bounds.denominator_untested``) and I_g <= -1/2 ln(1 - rho^2) <= Delta S + <Q>/T."""
    keys, dof = summary[["rule", "nu", "k", "alpha"]], summary["dof"]
    return pd.concat(
        [
            relation(keys, "eta <= 1", summary["eta"], summary["eta_err"], 1.0, 0.0, dof,
                     untested=denominator_untested("dS + <Q>/T", summary["cost"], summary["cost_err"])),
            relation(keys, "I_g <= -ln(1 - rho^2)/2", summary["information"], summary["information_err"],
                     summary["weight_information"], summary["weight_information_err"], dof),
            relation(keys, "-ln(1 - rho^2)/2 <= dS + <Q>/T", summary["weight_information"],
                     summary["weight_information_err"], summary["cost"], summary["cost_err"], dof),
        ],
        ignore_index=True,
    )
