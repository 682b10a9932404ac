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
from thermolearn.experiments import batch, committee, inference, online, steady, training, tur

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


SMALL_LEVELS = 0.1
"""The levels an inequality's p-values are checked at: a verdict rejects at 1e-3 over its rows, far below."""


def small_levels_ks(p):
    """The p-value of a one-sided KS test of p-values smaller than uniform at the levels up to SMALL_LEVELS: the
    excess max(i/n - p_(i)) over p_(i) <= SMALL_LEVELS, under the null law of the whole range's excess (never
    smaller, so the test is conservative). A relation with both sides near zero gives p-values piled up around
    1/2, fine at every small level, which a KS test over the whole range rejects (Model C's I_g <= -ln(1 - rho^2)/2
    at alpha = 0.5: KS p = 3e-47 over 1000 runs)."""
    p = np.sort(np.asarray(p))
    excess = np.arange(1, len(p) + 1) / len(p) - p
    return stats.ksone.sf(max(excess[p <= SMALL_LEVELS].max(initial=0.0), 0.0), len(p))


def calibrated(p, equality):
    """An equality's p-values pass a KS test against uniform, an inequality's the one-sided small_levels_ks (no
    smaller than uniform), both at 1e-3, and their counts at 0.01 and 0.05 are within the binomial's upper 1e-3
    quantile. A NaN p is an untested row (bounds.relation): no test, left out; with no tested row there is nothing
    to check."""
    p = np.asarray(p)[~np.isnan(p)]
    if p.size == 0:
        return True
    ks = stats.kstest(p, "uniform").pvalue if equality else small_levels_ks(p)
    return ks > 1e-3 and at_most_binomial(p, 0.01) and at_most_binomial(p, 0.05)


def reruns(runs, seed, checks):
    """Rows of ``checks(seed)`` ((correct, wrong) bounds tables of one in-process run) over ``runs`` seeds from
    ``seed``, each with its run."""
    correct, wrong = zip(*((right.assign(run=run), bad.assign(run=run))
                           for run, (right, bad) in enumerate(map(checks, range(seed, seed + runs)))))
    return pd.concat(correct, ignore_index=True), pd.concat(wrong, ignore_index=True)


def every_inequality_calibrated(correct, point, runs):
    """Every relation's p-values at every value of the ``point`` column pass ``calibrated`` as an inequality,
    with one row per run."""
    for (relation, value), rows in correct.groupby(["relation", point]):
        assert len(rows) == runs and calibrated(rows["p"], equality=False), (relation, value)


def rejected(wrong, relation, alpha):
    """The negative control: ``relation``'s p-values at ``alpha`` of the wrong runs fail small_levels_ks."""
    rows = wrong[(wrong["relation"] == relation) & (wrong["alpha"] == alpha)]
    return small_levels_ks(rows["p"]) < 1e-6


def heat_alone(summary):
    """The second law without the weights' entropy change: the cost Delta S + <Q>/T replaced by <Q>/T (Delta S > 0
    while the weights learn)."""
    return summary.assign(cost=summary["heat"], cost_err=summary["heat_err"])


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


ONLINE = {"rule": "hebbian", "nu": 0.1, "k": 3.0, "T": 1.0, "r": 1.0}
ONLINE_N, ONLINE_TRIALS, ONLINE_ALPHA, ONLINE_RUNS = 100, 40, [0.5, 2.0, 8.0], 100
"""Model C where its ratios are largest (eta = 0.26 and -ln(1 - rho^2)/2 over the cost 0.65 at alpha = 8, the
Hebbian rule at small nu and large k; the other rules stay below 0.05 and 0.12), 40 trials in 10 groups (9 dof).
At alpha = 0.5 both sides of the cost bound are a few SE from zero: its p-values are close to uniform."""


def online_checks(seed):
    """Model C's bounds rows of one run, correct and with the heat alone as the cost."""
    trials, weights = online.simulate(**ONLINE, N=ONLINE_N, alpha=ONLINE_ALPHA, trials=ONLINE_TRIALS, test_samples=10,
                                      seed=seed, key="calibration")
    entropy = online.estimate(weights, alpha=ONLINE_ALPHA, k=ONLINE["k"], T=ONLINE["T"], groups=GROUPS)
    summary = online.point_summary(trials, entropy, **ONLINE, groups=GROUPS)
    return online.bound_checks(summary), online.bound_checks(heat_alone(summary))


@pytest.fixture(scope="module")
def online_reruns():
    return reruns(ONLINE_RUNS, 4000, online_checks)


@pytest.mark.slow
def test_online_inequalities_are_never_more_often_rejected_than_uniform(online_reruns):
    every_inequality_calibrated(online_reruns[0], "alpha", ONLINE_RUNS)


@pytest.mark.slow
def test_the_calibration_check_rejects_the_online_cost_without_the_entropy_change(online_reruns):
    assert rejected(online_reruns[1], "-ln(1 - rho^2)/2 <= dS + <Q>/T", ONLINE_ALPHA[-1])


STEADY = {"gamma": 0.3, "c": 0.3, "k": 1.0, "T": 1.0}
STEADY_TIMES, STEADY_DT, STEADY_TRAJECTORIES, STEADY_RUNS = [1.0, 5.0, 20.0], 0.02, 400, 100
"""Model F at eta_ss = 0.76, the dissipation bound at 0.976 eps_g and the TUR ratios of J and the learning current
at 0.87 (t = 20): close to saturation where the heat rate is still far enough from zero for eta_ss and the bound to
be tested; 400 trajectories in 10 groups (9 dof)."""


def ito_information_current(summary):
    """The Ito sum of the information current (tests/test_steady.py): eta_ss raised by T a^2/(s sigma_tot)."""
    a, s = steady.theory.regression(STEADY["gamma"], STEADY["c"], k=STEADY["k"], T=STEADY["T"])
    return summary.assign(eta=summary["eta"] + STEADY["T"] * a * a / s / summary["entropy_production"])


def steady_checks(seed):
    """Model F's bounds rows of one run, correct and with the Ito information current."""
    table, tests = steady.simulate(**STEADY, times=STEADY_TIMES, dt=STEADY_DT, trajectories=STEADY_TRAJECTORIES,
                                   N=20, test_samples=50, seed=seed, key="calibration")
    summary = steady.estimate(table, tests, **STEADY, groups=GROUPS)
    return steady.bound_checks(summary), steady.bound_checks(ito_information_current(summary))


@pytest.fixture(scope="module")
def steady_reruns():
    return reruns(STEADY_RUNS, 5000, steady_checks)


@pytest.mark.slow
def test_steady_inequalities_are_never_more_often_rejected_than_uniform(steady_reruns):
    every_inequality_calibrated(steady_reruns[0], "t", STEADY_RUNS)


@pytest.mark.slow
def test_the_calibration_check_rejects_the_ito_information_current(steady_reruns):
    _, wrong = steady_reruns
    rows = wrong[wrong["relation"] == "T l / Qdot_y <= 1"]
    assert small_levels_ks(rows["p"].dropna()) < 1e-6


COMMITTEE = {"K": 2, "M": 2, "N": 100, "k": 1.0, "T": 0.1, "r": 1.0, "epsilon": 0.3, "sigma_y": 0.0, "nu": 0.1}
COMMITTEE_ALPHA, COMMITTEE_TRIALS, COMMITTEE_RUNS = [0.5, 1.0, 2.0], 40, 100
"""Model H where eta is largest (0.42 at alpha = 0.5: T = 0.1, nu = 0.1, epsilon = 0.3; eps sqrt(kN/T) = 9.5), 40
trials in 10 groups (9 dof). I_out <= I_uh is far from saturation everywhere (I_out/I_uh <= 0.87)."""


def entropy_change_alone(summary):
    """The second law without the heat: the weights' entropy change Delta S alone as the cost."""
    return summary.assign(cost=summary["entropy_change"], cost_err=summary["entropy_change_err"])


def committee_checks(seed):
    """Model H's bounds rows of one run, correct and with the entropy change alone as the cost."""
    trials = committee.simulate(**COMMITTEE, alpha=COMMITTEE_ALPHA, trials=COMMITTEE_TRIALS, test_samples=0,
                                seed=seed, key="calibration")["trials"]
    summary = committee.estimate(trials, **{key: value for key, value in COMMITTEE.items() if key != "N"},
                                 groups=GROUPS)
    return committee.bound_checks(summary), committee.bound_checks(entropy_change_alone(summary))


@pytest.fixture(scope="module")
def committee_reruns():
    return reruns(COMMITTEE_RUNS, 6000, committee_checks)


@pytest.mark.slow
def test_committee_inequalities_are_never_more_often_rejected_than_uniform(committee_reruns):
    every_inequality_calibrated(committee_reruns[0], "alpha", COMMITTEE_RUNS)


@pytest.mark.slow
def test_the_calibration_check_rejects_the_committee_cost_without_the_heat(committee_reruns):
    assert rejected(committee_reruns[1], "dI_uh <= dS + <Q>/T", COMMITTEE_ALPHA[-1])


INFERENCE = {"widths": [4, 8, 8, 2], "g": 1.5, "K": 10.0, "T": 1.0, "dt": 0.01, "u_start": [1.0, -1.0, 1.0, -1.0],
             "u_end": [-1.0, 1.0, -1.0, 1.0]}
INFERENCE_TAU, INFERENCE_TRAJECTORIES, INFERENCE_RUNS = [1.0, 32.0], 50, 60
"""Model D at the quick config's network shape (each run draws its own network) and the largest step (K dt = 0.1),
50 trajectories (49 dof): the output deviation equality at the quick config's slowest tau = 32, where the output's
lag behind the ramp is about 0.05 SE (its deviation is 4.8 +- 1.2 % above equilibrium at tau = 16 and 0.5 +- 1.2 %
at tau = 64 with 2e4 trajectories, docs/statistics.md), and tau = 1 for the negative control."""


def inference_checks(seed):
    """Model D's analog bounds rows of one run, correct (the equality at the slowest tau) and with the equality
    tested at the fast tau, before the output has relaxed."""
    table = pd.concat([inference.estimate(inference.simulate(tau=tau, **INFERENCE, trajectories=INFERENCE_TRAJECTORIES,
                                                             seed=seed, key=f"calibration/{tau}"),
                                          T=INFERENCE["T"]).assign(tau=tau, kind="analog")
                       for tau in INFERENCE_TAU], ignore_index=True)
    options = {"n_neurons": inference.n_neurons(INFERENCE["widths"]), "trajectories": INFERENCE_TRAJECTORIES}
    return (inference.bound_checks(table, **options),
            inference.bound_checks(table[table["tau"] == INFERENCE_TAU[0]], **options))


@pytest.fixture(scope="module")
def inference_reruns():
    return reruns(INFERENCE_RUNS, 7000, inference_checks)


@pytest.mark.slow
def test_output_deviation_p_values_are_uniform_and_the_work_bound_no_smaller(inference_reruns):
    correct, _ = inference_reruns
    for (relation, tau), rows in correct.groupby(["relation", "tau"]):
        assert calibrated(rows["p"], equality=relation.endswith("equilibrium deviation")), (relation, tau)
    assert (correct["relation"] == "output deviation = equilibrium deviation").sum() == INFERENCE_RUNS


@pytest.mark.slow
def test_the_calibration_check_rejects_the_output_deviation_before_relaxation(inference_reruns):
    _, wrong = inference_reruns
    rows = wrong[wrong["relation"] == "output deviation = equilibrium deviation"]
    assert stats.kstest(rows["p"], "uniform").pvalue < 1e-6
