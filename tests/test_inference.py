"""Model D: reversible inference in an analog network costs nothing in the slow limit."""

from functools import cache

import numpy as np
import pandas as pd

from thermolearn import bounds, estimators
from thermolearn.experiments import inference
from thermolearn.experiments.inference.kernel import energy, feedforward, input_targets

NET = dict(widths=[3, 4, 2], g=1.2, K=10.0, T=1.0, dt=0.005)


@cache
def point(tau, u_end=(-0.2, 0.3, 0.1), trajectories=1500):
    table = inference.simulate(tau=tau, **NET, u_start=[0.2, -0.3, 0.4], u_end=list(u_end), trajectories=trajectories,
                               seed=3, key=f"inference/{tau!r}")
    return inference.estimate(table, T=NET["T"]).iloc[0]


def test_feedforward_activations_are_the_minimum_h_equal_zero():
    widths, weights, weight_offset, offset = inference.network([3, 5, 4, 2], g=1.5, seed=1)
    u = np.array([0.3, -1.0, 2.0])
    x = feedforward(u, widths, weights, weight_offset, offset)
    scratch = np.empty_like(x)
    targets = input_targets(u, widths, weights)
    assert energy(x, targets, widths, weights, weight_offset, offset, scratch, scratch.copy()) < 1e-28


def test_jarzynski_holds_at_a_fast_protocol_within_3_se():
    """Delta F = 0 for every input, so <e^{-W/T}> = 1 even far from quasi-static driving."""
    fast = point(0.25, u_end=(0.05, -0.1, 0.3))  # a small step: the average converges
    assert fast["energy"] > 5 * fast["energy_err"]  # dissipative, not quasi-static
    assert inference.jarzynski_testable(fast["energy"], 1500)
    assert abs(fast["jarzynski"] - 1.0) < 3 * fast["jarzynski_err"]


def test_work_decreases_with_tau_with_a_positive_inverse_tau_coefficient():
    taus = [2.0, 8.0, 32.0]
    rows = pd.DataFrame([point(tau) for tau in taus]).assign(tau=taus)
    assert np.all(np.diff(rows["energy"]) < 0)
    w_inf, w_inf_err, b, b_err = estimators.fit_inverse_time(rows["tau"], rows["energy"], rows["energy_err"])
    assert b > 4 * b_err
    assert abs(w_inf) < 4 * w_inf_err


def test_relaxed_output_equals_the_feedforward_output_within_thermal_noise():
    """After a slow ramp the output's deviation from the feedforward output is that of the exact
    equilibrium at the final input (thermal noise of order sqrt(T/K))."""
    slow = point(32.0)
    assert abs(slow["msd_output"] - slow["msd_equilibrium"]) < 4 * np.hypot(slow["msd_output_err"],
                                                                             slow["msd_equilibrium_err"])
    assert slow["msd_equilibrium"] < 10 * NET["T"] / NET["K"]


def test_the_reference_is_relaxed_below_a_hundredth_of_a_standard_error_at_every_rate():
    """Per linear mode of rate a per step the gap after n steps is (a/2)(1 - a)^(2n); the standard error of
    the output deviation is at least sqrt(2 / (n_out M)) of it."""
    rates = np.geomspace(1e-12, 1.0, 200001)
    for n_out, trajectories in [(1, 2), (2, 50), (2, 100), (10, 10**6)]:
        n = inference.relaxation_steps(n_out, trajectories)
        assert (rates / 2 * (1 - rates) ** (2 * n)).max() <= inference.GAP * np.sqrt(2 / (n_out * trajectories)), n
        # negative control: half the steps leave a mode above the gap
        assert (rates / 2 * (1 - rates) ** (2 * (n // 2))).max() > inference.GAP * np.sqrt(2 / (n_out * trajectories))


def test_digital_inference_never_beats_n_ln2():
    landauer = pd.DataFrame({"protocol": "erasure", "tau": [1.0, 10.0], "dof": 999, "work": [3.0, 0.9],
                             "work_err": [0.1, 0.05], "jarzynski": [0.5, 0.5], "jarzynski_err": [0.01, 0.01], "T": 1.0,
                             "E0": 10.0})
    analog = pd.DataFrame([point(tau) for tau in (2.0, 8.0, 32.0)]).assign(tau=[2.0, 8.0, 32.0])
    table = inference.summary(analog, landauer, n_neurons=6, fit_min_tau=2.0)
    checks = inference.bound_checks(table, n_neurons=6, trajectories=1500)
    verdict = bounds.verdict({"inference": checks})
    assert "n ln 2 <= n <W_erase>/T" in set(verdict["relation"])
    assert (verdict["verdict"] == "holds").all(), verdict


def test_digital_rows_carry_no_jarzynski_average_and_analog_rows_do():
    landauer = pd.DataFrame({"protocol": "erasure", "tau": [1.0, 10.0], "dof": 999, "work": [3.0, 0.9],
                             "work_err": [0.1, 0.05], "jarzynski": [7e7, 0.5], "jarzynski_err": [9e8, 0.01], "T": 1.0,
                             "E0": 10.0})
    analog = pd.DataFrame([point(tau) for tau in (2.0, 8.0, 32.0)]).assign(tau=[2.0, 8.0, 32.0])
    table = inference.summary(analog, landauer, n_neurons=6, fit_min_tau=2.0)
    assert table.loc[table["kind"] == "digital", ["jarzynski", "jarzynski_err"]].isna().all().all()
    assert table.loc[table["kind"] == "analog", ["jarzynski", "jarzynski_err"]].notna().all().all()


def test_energy_figure_names_the_digital_series_own_t_and_e0_and_the_fit_to_significant_digits():
    """Model A's erasure may run at another T and E0 than the analog network: the digital label says which;
    the fit's B keeps its significant digits (3.4(2), not 3)."""
    from thermolearn import plotting
    from thermolearn.experiments.inference import figures as inference_figures

    tau = np.array([1.0, 16.0, 64.0])
    fit = dict(zip(estimators.FIT_COLUMNS, [0.05, 0.02, 3.4, 0.2, 0.0, 0.0, 1, 0.5, 1, 0.48]))
    analog = pd.DataFrame({"tau": tau, "kind": "analog", "dof": 99, "energy": 0.05 + 3.4 / tau, "energy_err": 0.02,
                           **fit})
    digital = pd.DataFrame({"tau": tau, "kind": "digital", "dof": 299, "energy": 6.0 * (0.7 + 30 / tau),
                            "energy_err": 0.1, "erase_T": 0.5, "erase_E0": 12.0})
    plotting.setup()
    fig = inference_figures.energy(pd.concat([analog, digital], ignore_index=True), widths=[2, 3, 3], g=1.0, K=1.0,
                                   T=1.0, fit_min_tau=16.0)
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert any("Model A at $E_0 = 12$, $T = 0.5$" in label for label in labels), labels
    assert any("3.40(20)/\\tau" in label for label in labels), labels
    assert any("analog" in label and "$T = 1$" in label for label in labels), labels
    plotting.plt.close(fig)


def test_jarzynski_is_tested_only_where_the_mean_of_e_minus_w_is_not_too_skewed():
    """The default run's analog rows (M = 500): at tau = 64 (<W>/T = 0.55 +- 0.050) the t test failed a correct
    row 11 times in 40000 resampled runs (docs/statistics.md), and the skewness guard leaves it untested; at
    tau = 256 (0.169 +- 0.024) it is tested. Negative control: Model D's own guard alone tests both."""
    energy, energy_err = np.array([0.5525, 0.1687]), np.array([0.0500, 0.0240])
    assert inference.jarzynski_testable(energy, 500).tolist() == [True, True]
    assert inference.jarzynski_testable(energy, 500, energy_err).tolist() == [False, True]
