"""Model F experiment: steady-state learning of a drifting rule, from a (gamma, c) point to the tables.

Stage 1 simulates independent trajectories of one teacher weight x and the student weight y that
tracks it, from the steady state, and tests networks of N of them on held-out inputs; stage 2 (with
3) estimates per recorded time the currents' rates and variances, the learning rate, sigma_tot,
eta_ss, the TUR ratios and eps_g, each extrapolated from the grids dt and 2 dt (Richardson) and
jackknifed over groups of trajectories, next to the exact theory (``theory.point_theory``).
"""

from collections.abc import Iterator

import numpy as np
import pandas as pd

from thermolearn import replicates
from thermolearn.bounds import denominator_untested, relation
from thermolearn.experiments.steady import theory
from thermolearn.information import generalization_error
from thermolearn.progress import in_chunks
from thermolearn.seeds import trial_generators

CURRENTS = ("J", "heat", "learning")
"""J = int x o dy, the student's heat Q_y and the information current i (mean rate: the learning rate)."""


def record_steps(times: list[float], dt: float) -> np.ndarray:
    """Steps dt to each recorded time; ValueError unless every time is a positive whole number of steps 2 dt
    (the grid of the Richardson partner)."""
    pairs = np.asarray(times, dtype=float) / (2.0 * dt)
    whole = np.rint(pairs)
    if (whole < 1).any() or not np.allclose(pairs, whole, rtol=0.0, atol=1e-6):
        raise ValueError(f"every time must be a positive whole number of steps 2 dt = {2 * dt:g}, got {list(times)}")
    return 2 * whole.astype(np.int64)


def simulate(*, gamma: float, c: float, k: float, T: float, times: list[float], dt: float, trajectories: int, N: int,
             test_samples: int, seed: int, key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage 1: per trajectory, at the start (t = 0) and at every recorded time, x, y and the midpoint sums
    J = sum x_bar Delta y on the grids dt (``J``) and 2 dt (``J_coarse``); per network (teacher B and
    student w: the x and y of N consecutive trajectories) and recorded time, the held-out errors on
    ``test_samples`` Gaussian inputs."""
    from thermolearn.experiments.steady.kernel import (  # numba: only the simulate jobs
        STATE_COLUMNS,
        X,
        Y,
        held_out_errors,
        simulate_pairs,
    )

    propagator, noise = theory.exact_step(gamma, c, k=k, T=T, dt=dt)
    start = np.linalg.cholesky(theory.stationary_covariance(gamma, c, k=k, T=T))
    steps = record_steps(times, dt)
    states = in_chunks(lambda rngs: simulate_pairs(start, propagator, noise, steps, rngs),
                       trial_generators(seed, key, trajectories))
    records = np.concatenate(([0.0], np.asarray(times, dtype=float)))
    table = pd.DataFrame({"trajectory": np.repeat(np.arange(trajectories), len(records)),
                          "t": np.tile(records, trajectories)})
    for column, name in enumerate(STATE_COLUMNS):
        table[name] = states[:, :, column].reshape(-1)
    networks = trajectories // N

    def network_weights(column):  # (networks, records, N): x for the teachers B, y for the students w
        return np.ascontiguousarray(states[: networks * N, 1:, column].reshape(networks, N, -1).transpose(0, 2, 1))

    errors = held_out_errors(network_weights(X), network_weights(Y), test_samples,
                             trial_generators(seed, key + "/test", networks))
    tests = pd.DataFrame({"network": np.repeat(np.arange(networks), len(times)),
                          "t": np.tile(records[1:], networks), "errors": errors.reshape(-1),
                          "samples": test_samples})
    return table, tests


def entropy_production(rates: dict, *, T: float) -> float:
    """sigma_tot = Qdot_y / T: the teacher's heat is a boundary term and the steady state's entropy is
    constant, so the student's heat is the whole entropy production."""
    return rates["heat"] / T


def replicate_means(columns: dict, groups: int) -> Iterator[tuple[int, int, dict]]:
    """Yield (replicate, trajectories, means) for all trajectories (``replicates.FULL``), then with each of
    ``groups`` groups left out (``replicates.groups_of``): the mean over trajectories of every array
    (trajectories, times) of ``columns``, from the groups' sums (one pass, however many groups)."""
    n = len(next(iter(columns.values())))
    group = replicates.groups_of(np.arange(n), groups)
    counts = np.bincount(group, minlength=groups)
    sums = {name: np.add.reduceat(values, np.searchsorted(group, np.arange(groups)), axis=0)
            for name, values in columns.items()}
    totals = {name: part.sum(axis=0) for name, part in sums.items()}
    yield replicates.FULL, n, {name: total / n for name, total in totals.items()}
    for g in range(groups):
        yield g, n - counts[g], {name: (totals[name] - sums[name][g]) / (n - counts[g]) for name in sums}


def grid_quantities(means: dict, centres: dict, *, count: int, grid: str, times: np.ndarray, gamma: float,
                    T: float) -> dict[str, np.ndarray]:
    """The quantities of one replicate of ``count`` trajectories from the midpoint sums on one grid. Each
    current (``centres``: its mean over all trajectories; ``means``: those of its deviation from it and of the
    deviation's square) gives its rate <.>/t and variance at every time. The steady state's rates do not
    depend on t, and they are sharpest at the longest time, where they give sigma_tot, eta_ss = l/sigma_tot,
    the bound arccot(sqrt(Qdot_y/(gamma T)))/pi and the speed v of each current's TUR ratio
    v^2 R / (sigma_tot/2) = 2 v^2 t / (Var . sigma_tot) at every time. From the states:
    rho = <xy>/sqrt(<x^2><y^2>) and eps_g = arccos(rho)/pi."""
    quantities = {}
    for current in CURRENTS:
        deviation = means[current, grid]
        quantities[f"{current}_rate"] = (centres[current, grid] + deviation) / times
        quantities[f"{current}_variance"] = count / (count - 1) * (means[current, grid, "square"] - deviation**2)
    rates = {current: quantities[f"{current}_rate"][-1] for current in CURRENTS}
    sigma = entropy_production(rates, T=T)
    for current in CURRENTS:
        quantities[f"{current}_ratio"] = 2.0 * rates[current] ** 2 * times / (quantities[f"{current}_variance"] * sigma)
    quantities["entropy_production"] = np.full_like(times, sigma)
    quantities["eta"] = np.full_like(times, rates["learning"] / sigma)
    # arccot(sqrt(Qdot_y/(gamma T))) exists only for Qdot_y > 0: NaN (untested, bound_checks) where a replicate's
    # heat rate leaves that domain.
    bound = theory.eps_g_bound(rates["heat"], gamma=gamma, T=T) if rates["heat"] > 0 else np.nan
    quantities["eps_g_bound"] = np.full_like(times, bound)
    quantities["overlap"] = means["xy"] / np.sqrt(means["xx"] * means["yy"])
    quantities["eps_g"] = generalization_error(quantities["overlap"])
    return quantities


QUANTITIES = [
    *(f"{current}_{moment}" for current in CURRENTS for moment in ("rate", "variance", "ratio")),
    "entropy_production", "eta", "overlap", "eps_g", "eps_g_test", "eps_g_bound",
]
"""Every estimated quantity; ``heat_rate`` is Qdot_y, ``learning_rate`` the learning rate l. The rates are
estimated at every time; ``entropy_production``, ``eta`` and ``eps_g_bound`` from those at the longest
time (the same on every row of a point)."""


def estimate(trajectories: pd.DataFrame, tests: pd.DataFrame, *, gamma: float, c: float, k: float, T: float,
             groups: int) -> pd.DataFrame:
    """Stages 2-3 for one (gamma, c) point: per recorded time every quantity of ``grid_quantities``,
    Richardson-extrapolated, 2 q(dt) - q(2 dt) (the midpoint sums' O(dt) bias cancels), and eps_g_test,
    the pooled held-out error; each jackknifed over ``groups`` groups of trajectories (of networks for
    eps_g_test), ``dof`` = groups - 1; with the theory (``_theory`` columns)."""
    table = trajectories.sort_values(["trajectory", "t"])
    n = table["trajectory"].nunique()
    records = table["t"].to_numpy()[: len(table) // n]
    times = records[1:]

    def column(name):  # (trajectories, start and recorded times)
        return table[name].to_numpy().reshape(n, len(records))

    y = column("y")
    boundary = 0.5 * (y[:, 1:] ** 2 - y[:, :1] ** 2)  # int y o dy
    x, y = column("x")[:, 1:], y[:, 1:]
    columns, centres = {"xy": x * y, "xx": x * x, "yy": y * y}, {}
    for grid, J in (("fine", column("J")[:, 1:]), ("coarse", column("J_coarse")[:, 1:])):
        for current, (alpha, beta) in theory.current_weights(gamma, c, k=k, T=T).items():
            values = alpha * J - beta * boundary
            centres[current, grid] = values.mean(axis=0)
            columns[current, grid] = values - centres[current, grid]
            columns[current, grid, "square"] = columns[current, grid] ** 2
    tests = tests.sort_values(["network", "t"])
    networks = tests["network"].nunique()
    held_out = {name: tests[name].to_numpy().reshape(networks, len(times)) for name in ("errors", "samples")}
    rows = []
    for (replicate, count, means), (_, _, test) in zip(replicate_means(columns, groups),
                                                       replicate_means(held_out, groups)):
        fine, coarse = (grid_quantities(means, centres, count=count, grid=grid, times=times, gamma=gamma, T=T)
                        for grid in ("fine", "coarse"))
        quantities = {name: 2.0 * fine[name] - coarse[name] for name in fine}
        quantities["eps_g_test"] = test["errors"] / test["samples"]
        rows.append(pd.DataFrame({"t": times, "replicate": replicate, **quantities}))
    summary = replicates.reduce(pd.concat(rows, ignore_index=True), QUANTITIES)
    for name, value in theory.point_theory(gamma, c, k=k, T=T, times=summary["t"]).items():
        summary[f"{name}_theory"] = value
    summary.insert(0, "c", c)
    summary.insert(0, "gamma", gamma)
    return summary[SUMMARY_COLUMNS]


SUMMARY_COLUMNS = ["gamma", "c", "t", "dof", *(f"{q}{suffix}" for q in QUANTITIES for suffix in ("", "_err")),
                   *(f"{q}_theory" for q in QUANTITIES)]
DOMAIN_COLUMNS = ["eps_g_bound", "eps_g_bound_err"]
"""Columns NaN where the estimate leaves the quantity's domain (a heat rate <= 0 in some jackknife replicate):
reported, not tested (bound_checks' ``untested``)."""
REQUIRED_COLUMNS = [column for column in SUMMARY_COLUMNS if column not in DOMAIN_COLUMNS]
"""The summary's columns that are never NaN."""


def tur_relation(current: str) -> str:
    """The name of the TUR's relation for one current."""
    return f"v^2 R / (sigma_tot/2) <= 1 ({current})"


RELATIONS = ["T l / Qdot_y <= 1", *map(tur_relation, CURRENTS), "arccot(sqrt(Qdot_y/(gamma T)))/pi <= eps_g"]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def bound_checks(summary: pd.DataFrame) -> pd.DataFrame:
    """Stage 4 rows: the student's second law l <= Qdot_y/T, tested as eta_ss <= 1 (one jackknifed ratio, so
    the noise the two rates share cancels) at the longest time of each (gamma, c), where the rates are
    estimated; per (gamma, c, t) the TUR v^2 R <= sigma_tot/2 of each current, as its ratio <= 1, and the
    dissipation bound eps_g >= arccot(sqrt(Qdot_y/(gamma T)))/pi; eta_ss and the bound untested (with the
    reason) where the heat rate is not RATIO_MIN_SIGNIFICANCE standard errors above 0
    (``bounds.denominator_untested``)."""
    keys, dof = summary[["gamma", "c", "t"]], summary["dof"]
    is_last = np.isclose(summary["t"], summary.groupby(["gamma", "c"])["t"].transform("max"))  # an array
    last = summary[is_last]
    # eta_ss and the bound use the rates at the longest time: that time's heat rate decides on every row.
    final_heat = summary["heat_rate"].where(is_last).groupby([summary["gamma"], summary["c"]]).transform("max")
    final_heat_err = summary["heat_rate_err"].where(is_last).groupby([summary["gamma"], summary["c"]]).transform("max")
    heat_untested = denominator_untested("Qdot_y", final_heat, final_heat_err)
    reason = np.where((heat_untested == "") & summary["eps_g_bound"].isna(),
                      "a jackknife replicate has Qdot_y <= 0: arccot(sqrt(Qdot_y/(gamma T)))/pi needs Qdot_y > 0",
                      heat_untested)
    return pd.concat(
        [
            relation(last[["gamma", "c", "t"]], RELATIONS[0], last["eta"], last["eta_err"], 1.0, 0.0, last["dof"],
                     untested=reason[is_last]),
            *(relation(keys, tur_relation(current), summary[f"{current}_ratio"], summary[f"{current}_ratio_err"],
                       1.0, 0.0, dof) for current in CURRENTS),
            relation(keys, RELATIONS[-1], summary["eps_g_bound"], summary["eps_g_bound_err"], summary["eps_g"],
                     summary["eps_g_err"], dof, untested=reason),
        ],
        ignore_index=True,
    )
