"""Calibration by simulation: the verdict's per-row p-values of a correct pipeline, over many in-process
reruns of a tiny config with different seeds, are uniform (equalities) or no smaller than uniform
(inequalities), so that the family-wise rate stays at the verdict's level. The rows chosen are the hardest
of their relation: few jackknife groups and, for the fluctuation theorem, a heat close to the limit of its
moment guard. Rates measured at larger scale are in docs/statistics.md."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from thermolearn.experiments import batch

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
