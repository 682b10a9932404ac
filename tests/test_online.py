"""Model C: closed-form Gaussian averages vs quadrature, simulation vs the ODEs, and Model B as a
special case of the online kernel."""

import numpy as np
import pytest
from scipy.integrate import quad

from thermolearn import bounds, online
from thermolearn.theory import batch as batch_theory
from thermolearn.theory.online import force_field_average, rule_averages

RULES = ["hebbian", "perceptron", "adatron"]
FACTOR = {
    "hebbian": lambda h, s: 1.0,
    "perceptron": lambda h, s: float(s * h < 0),
    "adatron": lambda h, s: abs(h) * (s * h < 0),
}


def gaussian_average(function, R, q):
    """E[function(u, h)] for (u, h) ~ N(0, [[1, R], [R, q]]), by nested quadrature split at the
    rules' discontinuities u = 0 and h = 0."""
    spread = np.sqrt(q - R**2)

    def inner(z1):
        density = lambda z2: np.exp(-0.5 * (z1**2 + z2**2)) / (2 * np.pi)  # noqa: E731
        kink = -R * z1 / spread
        return quad(lambda z2: function(z1, R * z1 + spread * z2) * density(z2), -12, 12, points=[kink],
                    limit=200, epsabs=1e-12)[0]

    return quad(inner, -12, 12, points=[0.0], limit=200, epsabs=1e-12)[0]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("R, q", [(0.0, 1.0), (0.3, 0.8), (0.9, 2.5), (-0.2, 1.3)])
def test_closed_form_averages_equal_quadrature(rule, R, q):
    F = FACTOR[rule]
    su, sh, f2 = rule_averages(rule, R, q)
    assert su == pytest.approx(gaussian_average(lambda u, h: np.sign(u) * u * F(h, np.sign(u)), R, q), abs=1e-7)
    assert sh == pytest.approx(gaussian_average(lambda u, h: np.sign(u) * h * F(h, np.sign(u)), R, q), abs=1e-7)
    assert f2 == pytest.approx(gaussian_average(lambda u, h: F(h, np.sign(u)) ** 2, R, q), abs=1e-7)


def test_force_field_average_uses_the_gaussian_regression_of_g_on_u_and_h():
    """E[g | u, h] = a u + b h with (a, b) = Sigma_{g,(u,h)} Sigma_{(u,h)}^{-1}."""
    R, q, R_f, q_wf = 0.3, 1.4, 0.5, 0.2
    a, b = np.linalg.solve([[1.0, R], [R, q]], [R_f, q_wf])
    su, sh = 0.7, -0.4
    assert force_field_average(su, sh, R, q, R_f, q_wf) == pytest.approx(a * su + b * sh)


@pytest.fixture(scope="module", params=RULES)
def summary(request):
    rule, nu, k, T, r, alpha = request.param, 1.0, 1.0, 1.0, 1.0, [0.5, 2.0]
    trials, weights = online.simulate(rule, nu, k, 500, T, r, alpha, trials=100, test_samples=500, seed=11, key=rule)
    entropy = online.estimate(weights, alpha, k, T, groups=50)
    return online.point_summary(trials, entropy, rule, nu, k, T, r, groups=50)


@pytest.mark.parametrize("quantity", ["R", "q", "R_f", "q_wf", "q_ff", "heat", "eps_g", "entropy_change", "eta"])
def test_simulation_matches_ode_within_4_se(summary, quantity):
    z = (summary[quantity] - summary[f"{quantity}_theory"]) / summary[f"{quantity}_err"]
    assert np.all(np.abs(z) < 4), summary[["alpha", quantity, f"{quantity}_err", f"{quantity}_theory"]]


def test_test_set_error_matches_the_overlap_within_4_se(summary):
    z = (summary["eps_g_test"] - summary["eps_g_theory"]) / summary["eps_g_test_err"]
    assert np.all(np.abs(z) < 4)


def test_bound_chain_holds(summary):
    assert (bounds.verdict({"online": online.bound_checks(summary)})["verdict"] == "holds").all()


def test_all_samples_at_start_with_random_labels_is_model_b():
    """The shared-code check: Hebbian F = 1, random labels, every sample at t = 0 -> Model B's
    heat and weight variance q = T/k + nu^2 alpha a^2/k^2 (SCIENCE.md, Model B)."""
    nu, k, T, N = 1.5, 2.0, 0.7, 200
    record_alpha = [0.5, 1.0, 6.0]  # records at t = alpha / r with r = 1
    trials, _ = online.simulate(
        "hebbian", nu, k, N, T, 1.0, record_alpha, trials=400, test_samples=1, seed=5, key="model-b",
        all_at_start=True, random_labels=True,
    )
    # every sample arrives at t = 0, so all round(6 N) of the last record's samples are in f
    samples_alpha = record_alpha[-1]
    for t, at_t in trials.groupby("t"):
        for quantity, theory in [
            ("heat", T * batch_theory.heat(nu, samples_alpha, k, T, t)),
            ("q", T / k + nu**2 * samples_alpha * batch_theory.learning_fraction(k, t) ** 2 / k**2),
        ]:
            values = at_t[quantity].to_numpy()
            assert abs(values.mean() - theory) < 4 * values.std(ddof=1) / np.sqrt(len(values)), (quantity, t)
