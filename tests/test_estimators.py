"""Estimators, information and bound checks against exactly known values."""

import numpy as np
import pytest
from scipy.stats import norm

from thermolearn import estimators, information


def jackknife_entropy(samples, groups=10):
    """KL entropy with its delete-one-group jackknife error, as the pipeline computes it."""
    group = np.arange(samples.size) * groups // samples.size
    full = estimators.entropy_nonparametric(samples)
    leave_one_out = [estimators.entropy_nonparametric(samples[group != g]) for g in range(groups)]
    return estimators.jackknife(full, leave_one_out, bias_correct=False)


def bimodal_entropy(separation=2.0, width=0.5):
    x = np.linspace(-separation - 12 * width, separation + 12 * width, 400001)
    p = 0.5 * (norm.pdf(x, -separation, width) + norm.pdf(x, separation, width))
    return -np.trapezoid(p * np.log(p), x)


@pytest.mark.parametrize(
    "name, draw, entropy",
    [
        ("gaussian", lambda rng, n: 3.0 * rng.standard_normal(n), 0.5 * np.log(2 * np.pi * np.e * 9.0)),
        ("uniform", lambda rng, n: rng.uniform(-1.0, 1.0, n), np.log(2.0)),
        (
            "bimodal",
            lambda rng, n: rng.choice([-2.0, 2.0], n) + 0.5 * rng.standard_normal(n),
            bimodal_entropy(),
        ),
    ],
)
def test_nonparametric_entropy_within_4_se_of_exact(name, draw, entropy):
    samples = draw(np.random.default_rng(11), 100_000)
    estimate, error = jackknife_entropy(samples)
    assert abs(estimate - entropy) < 4 * error, (name, estimate, error, entropy)


def test_gaussian_entropy_change_within_4_se():
    n = 100_000
    rng = np.random.default_rng(3)
    wide, narrow = 2.0 * rng.standard_normal(n), rng.standard_normal(n)
    se = np.sqrt(2.0) * 0.5 * np.sqrt(2.0 / (n - 1))  # two independent 1/2 ln(var), Var(s^2) = 2 sigma^4 / (n-1)
    assert abs(estimators.entropy_change_gaussian(np.var(wide), np.var(narrow)) - np.log(2.0)) < 4 * se


def test_jackknife_of_a_mean_is_the_mean_and_its_standard_error():
    values = np.random.default_rng(5).standard_normal(40)
    leave_one_out = [np.delete(values, i).mean() for i in range(values.size)]
    estimate, error = estimators.jackknife(values.mean(), leave_one_out)
    mean, se = estimators.mean_and_error(values)
    assert estimate == pytest.approx(mean)
    assert error == pytest.approx(se)


def test_heat_is_the_first_law_for_a_constant_force():
    """Q = -Delta V for V = k w^2/2 - f w (no work is done at constant force)."""
    rng = np.random.default_rng(0)
    f, w0, w, k = rng.standard_normal((4, 10))
    potential = lambda x: 0.5 * k * x**2 - f * x  # noqa: E731
    np.testing.assert_allclose(estimators.heat(f, w0, w, k), potential(w0) - potential(w))


def test_binary_entropy_and_information():
    assert information.binary_entropy(0.5) == pytest.approx(np.log(2))
    assert information.binary_entropy(0.0) == 0.0
    assert information.information_from_error(0.0) == pytest.approx(np.log(2))
    assert information.information_from_error(0.5) == pytest.approx(0.0)
    assert information.generalization_error(1.0) == 0.0
