"""Model B: the kernel against the exact OU statistics and the N -> infinity theory."""

import io as stdio

import numpy as np
import pytest

from thermolearn import bounds, estimators, tables
from thermolearn.experiments import batch
from thermolearn.experiments.batch import theory
from thermolearn.experiments.batch.kernel import simulate_batch
from thermolearn.ou import ou_step
from thermolearn.seeds import trial_generators

K, T = 1.0, 1.0


def test_ou_step_has_the_exact_mean_and_variance():
    n, w_start, f, k, temperature, dt = 400_000, 0.7, 1.3, 2.0, 0.5, 0.3
    w = np.full(n, w_start)
    ou_step(w, np.full(n, f), k, temperature, dt, np.random.default_rng(1))
    decay = np.exp(-k * dt)
    mean = w_start * decay + f / k * (1 - decay)
    var = temperature * (1 - decay**2) / k
    assert abs(w.mean() - mean) < 4 * np.sqrt(var / n)
    assert abs(w.var(ddof=1) - var) < 4 * var * np.sqrt(2 / (n - 1))


def test_heat_of_a_zero_force_run_averages_to_zero():
    w0, f, w, _ = simulate_batch(100, 50, 0.0, K, T, np.array([0.5, 5.0]), trial_generators(1, "zero", 2000))
    assert np.all(f == 0)
    for j in range(2):
        per_trial = estimators.heat(f, w0, w[:, j], K).mean(axis=1)
        mean, se = estimators.mean_and_error(per_trial)
        assert abs(mean) < 4 * se


def test_fluctuation_theorem_within_4_se():
    """<exp(-Delta s_tot)> = 1 at a point where its moments exist (<Q>/T < 1/12)."""
    nu, alpha, t = 0.3, 0.5, 3.0
    assert theory.heat(nu, alpha, k=K, T=T, t=t) < batch.FLUCTUATION_HEAT_LIMIT
    w0, f, w, _ = simulate_batch(100, 50, nu, K, T, np.array([t]), trial_generators(2, "ft", 2000))
    per_trial = np.exp(-estimators.entropy_production(f, w0, w[:, 0], K, T, t)).mean(axis=1)
    mean, se = estimators.mean_and_error(per_trial)
    assert abs(mean - 1.0) < 4 * se


@pytest.fixture(scope="module", params=[(1.0, 0.5), (0.5, 2.0)], ids=lambda p: f"alpha={p[0]},nu={p[1]}")
def summary(request):
    alpha, nu = request.param
    times = [0.3, 10.0]
    trials, weights = batch.simulate(N=100, alpha=alpha, nu=nu, k=K, T=T, times=times, trials=1000, seed=3,
                                     key=f"{alpha}/{nu}")
    replicates = batch.estimate(weights, times=times, k=K, T=T, groups=40)
    return batch.point_summary(trials, replicates, alpha=alpha, nu=nu, k=K, T=T, N=100, groups=40)


@pytest.mark.parametrize("quantity", ["heat", "entropy_change", "eps", "information", "cost", "eta"])
def test_simulation_matches_theory_within_4_se(summary, quantity):
    z = (summary[quantity] - summary[f"{quantity}_theory"]) / summary[f"{quantity}_err"]
    assert np.all(np.abs(z) < 4), summary[["t", quantity, f"{quantity}_err", f"{quantity}_theory"]]


def test_nonparametric_entropy_change_matches_theory_within_4_se(summary):
    z = (summary["entropy_change_knn"] - summary["entropy_change_theory"]) / summary["entropy_change_knn_err"]
    assert np.all(np.abs(z) < 4)


def test_learning_bound_holds(summary):
    assert (bounds.verdict({"batch": batch.bound_checks(summary)})["verdict"] == "holds").all()


def _csv_bytes(table):
    buffer = stdio.StringIO()
    table.to_csv(buffer, index=False)
    return buffer.getvalue()


def simulate_small(seed):
    return batch.simulate(N=30, alpha=1.0, nu=1.0, k=K, T=T, times=[1.0, 10.0], trials=50, seed=seed, key="1.0/1.0")


def test_same_seed_gives_identical_csv_and_another_seed_does_not():
    first, second, other = simulate_small(4), simulate_small(4), simulate_small(5)
    assert _csv_bytes(first[0]) == _csv_bytes(second[0])
    assert first[1].equals(second[1])
    assert not first[1].equals(other[1])


def test_csv_round_trips_full_precision(tmp_path):
    trials, weights = simulate_small(7)
    replicates = batch.estimate(weights, times=[1.0, 10.0], k=K, T=T, groups=5)
    tables.write_csv(replicates, tmp_path / "r.csv")
    assert tables.read_csv(tmp_path / "r.csv", batch.ESTIMATES).equals(replicates)


def test_theory_limits():
    """eta -> 1/pi as nu -> 0 at t -> infinity for any k, T, alpha; eta -> 0 for large nu; eta <= 1."""
    for alpha, k, temperature in [(0.5, 1.0, 1.0), (2.0, 3.0, 0.5), (10.0, 0.2, 2.0)]:
        t = 50.0 / k
        assert theory.eta(1e-4, alpha, k=k, T=temperature, t=t) == pytest.approx(1 / np.pi, rel=1e-6)
        assert theory.eta(1e4, alpha, k=k, T=temperature, t=t) < 1e-3
        nus = np.geomspace(1e-3, 1e3, 200)
        assert np.all(theory.eta(nus, alpha, k=k, T=temperature, t=t) <= 1.0)


def test_fluctuation_theorem_theory_is_given_exactly_where_the_verdict_tests_it(summary):
    """batch_summary's theory 1 only where the t test applies (theory <Q>/T < 1/12); NaN where the
    average's moments diverge and the verdict does not test it (alpha = 0.5, nu = 2 at t = 10)."""
    tested = summary["heat_theory"] < batch.FLUCTUATION_HEAT_LIMIT
    assert (summary["fluctuation_theorem_tested"] == tested).all()
    assert (summary.loc[tested, "fluctuation_theorem_theory"] == 1.0).all()
    assert summary.loc[~tested, "fluctuation_theorem_theory"].isna().all()
    rows = batch.bound_checks(summary)
    assert len(rows[rows["relation"] == "<exp(-ds_tot)> = 1"]) == tested.sum()


def test_both_fixture_points_cover_a_tested_and_an_untested_fluctuation_theorem():
    """Negative control of the test above: its points include rows on both sides of the limit."""
    heat = [theory.heat(nu, alpha, k=K, T=T, t=t) for alpha, nu in [(1.0, 0.5), (0.5, 2.0)] for t in (0.3, 10.0)]
    assert min(heat) < batch.FLUCTUATION_HEAT_LIMIT < max(heat)
