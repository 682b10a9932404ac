"""Calibration by simulation: the verdict's per-row p-values of a correct pipeline, over many in-process
reruns of a tiny config with different seeds, are uniform (equalities) or no smaller than uniform
(inequalities), so that the family-wise rate stays at the verdict's level. The rows chosen are the hardest
of their relation: few jackknife groups and, for the fluctuation theorem, a heat close to the limit of its
moment guard. Rates measured at larger scale are in docs/statistics.md."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from thermolearn import config as configuration
from thermolearn.experiments import batch, training, tur

RUNS = 150
TIMES = [0.5, 2.0, 10.0]
NU, ALPHA, N, TRIALS, GROUPS, K, T = 0.4, 1.0, 40, 200, 10, 1.0, 1.0
"""Model B at the quick config's N, trials and groups (9 dof), nu = 0.4: theory <Q>/T = 0.080 at t = 10,
just below the fluctuation theorem's guard 1/12."""


def ito(replicates):
    """The Ito heat (tests/test_verdict.py): <e^{-ds_tot}> multiplied by e^{-kt}."""
    kt = K * replicates["t"]
    return replicates.assign(heat=replicates["heat"] + kt, entropy_production=replicates["entropy_production"] + kt,
                             fluctuation_theorem=replicates["fluctuation_theorem"] * np.exp(-kt))


@pytest.fixture(scope="module")
def batch_reruns():
    """Rows of bound_checks of RUNS reruns, correct and with the Ito heat."""
    correct, wrong = [], []
    for run in range(RUNS):
        trials, weights = batch.simulate(N=N, alpha=ALPHA, nu=NU, k=K, T=T, times=TIMES, trials=TRIALS,
                                         seed=1000 + run, key="calibration")
        replicates = batch.estimate(weights, times=TIMES, k=K, T=T, groups=GROUPS)
        for rows, change in ((correct, lambda table: table), (wrong, ito)):
            summary = batch.point_summary(trials, change(replicates), alpha=ALPHA, nu=NU, k=K, T=T, N=N,
                                          groups=GROUPS)
            rows.append(batch.bound_checks(summary).assign(run=run))
    return pd.concat(correct, ignore_index=True), pd.concat(wrong, ignore_index=True)


def at_most_binomial(p, level, alpha=1e-3):
    """The count of p <= level is within the binomial's upper 1 - alpha quantile for a uniform p."""
    return (np.asarray(p) <= level).sum() <= stats.binom.ppf(1.0 - alpha, len(p), level)


@pytest.mark.slow
def test_fluctuation_theorem_p_values_are_uniform_near_its_moment_guard(batch_reruns):
    correct, _ = batch_reruns
    assert batch.theory.heat(NU, ALPHA, k=K, T=T, t=TIMES[-1]) == pytest.approx(0.080, abs=0.002)
    for t, rows in correct[correct["relation"] == "<exp(-ds_tot)> = 1"].groupby("t"):
        p = rows["p"].to_numpy()
        assert len(p) == RUNS
        assert stats.kstest(p, "uniform").pvalue > 1e-3, t
        assert at_most_binomial(p, 0.01) and at_most_binomial(p, 0.05), t


@pytest.mark.slow
def test_inequalities_are_never_more_often_rejected_than_uniform(batch_reruns):
    correct, _ = batch_reruns
    for (relation, t), rows in correct[correct["relation"] != "<exp(-ds_tot)> = 1"].groupby(["relation", "t"]):
        assert at_most_binomial(rows["p"], 0.01) and at_most_binomial(rows["p"], 0.05), (relation, t)


@pytest.mark.slow
def test_the_uniformity_test_rejects_the_ito_heat(batch_reruns):
    """Negative control: with the Ito heat the fluctuation theorem's p-values are far from uniform."""
    _, wrong = batch_reruns
    rows = wrong[(wrong["relation"] == "<exp(-ds_tot)> = 1") & (wrong["t"] == TIMES[-1])]
    assert stats.kstest(rows["p"], "uniform").pvalue < 1e-6


TUR_RUNS, TUR_TRAJECTORIES, TUR_TIMES = 400, 100, [0.001, 0.01, 0.5]
"""Model E at 100 trajectories (a fifth of the quick config's; 99 dof): the work current's TUR ratio is 0.9995 and
0.995 at the two short times, next to saturation, where its p-values are closest to uniform."""


def steady_state_form(summary):
    """The steady-state TUR <J>^2/Var J <= <Sigma>/2 applied to the transient: <J> for t d<J>/dt."""
    factor = (summary["mean_theory"] / summary["speed"]) ** 2
    return summary.assign(ratio=summary["ratio"] * factor, ratio_err=summary["ratio_err"] * factor)


@pytest.fixture(scope="module")
def tur_reruns():
    """Work-current rows of tur.bound_checks of TUR_RUNS reruns (each with its own data set), correct and in the
    steady-state form."""
    correct, wrong = [], []
    for run in range(TUR_RUNS):
        force, table = tur.simulate(N=50, alpha=1.0, nu=1.0, k=K, T=T, times=TUR_TIMES, trajectories=TUR_TRAJECTORIES,
                                    seed=2000 + run, key="calibration")
        summary = tur.estimate(force, table, k=K, T=T).assign(nu=1.0)
        summary = summary[summary["current"] == "work"]
        for rows, change in ((correct, lambda table: table), (wrong, steady_state_form)):
            rows.append(tur.bound_checks(change(summary)).assign(run=run))
    return pd.concat(correct, ignore_index=True), pd.concat(wrong, ignore_index=True)


@pytest.mark.slow
def test_tur_p_values_are_no_smaller_than_uniform_next_to_saturation(tur_reruns):
    correct, _ = tur_reruns
    for t, rows in correct.groupby("t"):
        assert len(rows) == TUR_RUNS
        assert stats.kstest(rows["p"], "uniform", alternative="greater").pvalue > 1e-3, t
        assert at_most_binomial(rows["p"], 0.01) and at_most_binomial(rows["p"], 0.05), t


@pytest.mark.slow
def test_the_calibration_check_rejects_the_steady_state_tur_in_a_transient(tur_reruns):
    """Negative control: at t = 0.5 the steady-state form overstates the work current's ratio by
    (1 - e^{-kt})^2/(kt e^{-kt})^2 = 1.68 (0.74 -> 1.24)."""
    _, wrong = tur_reruns
    rows = wrong[wrong["t"] == TUR_TIMES[-1]]
    assert not at_most_binomial(rows["p"], 0.05)
    assert stats.kstest(rows["p"], "uniform", alternative="greater").pvalue < 1e-6


TRAINING_RUNS = 300
"""Model G's B5 points (n = 1, abrupt clamps) at D = 100 samples, 40 data sets in 10 jackknife groups (9 dof)."""


def factor_two_left_out(summary):
    """E_train = D_mean/2 (training.CONTROLS' "no factor 2"), its error combined as if independent."""
    return summary.assign(
        mean_dissipation_residual=summary["mean_dissipation_residual"] + 0.5 * summary["dissipation_mean"],
        mean_dissipation_residual_err=np.hypot(summary["mean_dissipation_residual_err"],
                                               0.5 * summary["dissipation_mean_err"]))


@pytest.fixture(scope="module")
def training_reruns():
    """Rows of training.bound_checks of TRAINING_RUNS reruns of the saturation scan at s = 0.01, 1, 10 (B4 is
    closest to saturation at the smallest s), correct and without B5's factor 2."""
    config = configuration.merge(configuration.load(configuration.DEFAULT),
                                 configuration.load(configuration.REPO / "config/quick.yaml"))
    config["training"] |= {"trials": 40, "jackknife_groups": 10, "scans": [
        {"name": "saturation_n1", "M": 8, "n": 1, "D": 100, "s": [0.01, 1.0, 10.0], "rho": [1.0]}]}
    section = configuration.validate(config)["training"]
    correct, wrong = [], []
    for run in range(TRAINING_RUNS):
        summary = training.run(section, seed=3000 + run)
        correct.append(training.bound_checks(summary).assign(run=run))
        wrong.append(training.bound_checks(factor_two_left_out(summary)).assign(run=run))
    return pd.concat(correct, ignore_index=True), pd.concat(wrong, ignore_index=True)


@pytest.mark.slow
def test_training_equality_p_values_are_uniform_and_inequalities_no_smaller(training_reruns):
    correct, _ = training_reruns
    for (relation, s), rows in correct.groupby(["relation", "s"]):
        assert len(rows) == TRAINING_RUNS
        alternative = "two-sided" if relation.startswith("B5") else "greater"
        assert stats.kstest(rows["p"], "uniform", alternative=alternative).pvalue > 1e-3, (relation, s)
        assert at_most_binomial(rows["p"], 0.01) and at_most_binomial(rows["p"], 0.05), (relation, s)


@pytest.mark.slow
def test_the_calibration_check_rejects_b5_without_its_factor_two(training_reruns):
    _, wrong = training_reruns
    for s, rows in wrong[wrong["relation"].str.startswith("B5")].groupby("s"):
        assert stats.kstest(rows["p"], "uniform").pvalue < 1e-6, s
