"""Model B theory for N -> infinity at fixed alpha (docs/science.md, Model B).

All functions take the learning rate nu and samples per weight alpha positionally and the stiffness k,
temperature T and time t by keyword (scalars or broadcastable arrays), e.g. ``eta(nu, alpha, k=1, T=1, t=10)``;
a(t) = 1 - e^{-kt}.
"""

import numpy as np
from numpy.typing import ArrayLike

from thermolearn.information import efficiency, information_from_error

ETA_SMALL_NU = 1.0 / np.pi
"""Limit of eta as nu -> 0 at t -> infinity, for any k, T and alpha."""


def learning_fraction(k: float, t: ArrayLike) -> np.ndarray:
    """a(t) = 1 - e^{-kt}."""
    return -np.expm1(-k * np.asarray(t, dtype=float))


def heat(nu: ArrayLike, alpha: ArrayLike, *, k: float, T: float, t: ArrayLike) -> np.ndarray:
    """Mean heat per weight in units of T: <Q>/T = (nu^2 alpha / (k T)) (a - a^2/2)."""
    a = learning_fraction(k, t)
    return nu**2 * alpha / (k * T) * (a - 0.5 * a**2)


def entropy_change(nu: ArrayLike, alpha: ArrayLike, *, k: float, T: float, t: ArrayLike) -> np.ndarray:
    """Marginal entropy change of one weight: Delta S = 1/2 ln(1 + nu^2 alpha a^2 / (k T))."""
    a = learning_fraction(k, t)
    return 0.5 * np.log1p(nu**2 * alpha * a**2 / (k * T))


def training_error(nu: ArrayLike, alpha: ArrayLike, *, k: float, T: float, t: ArrayLike,
                   N: int | None = None) -> np.ndarray:
    """eps = Phi(-c / sqrt(c^2 alpha + T/k)), c = nu a / k.

    With N given, the cross-talk variance c^2 alpha takes its exact finite-size value
    c^2 (P - 1)/N, P = round(alpha N) (the sample's own term is the mean c): at N = 100 the
    N -> infinity form is off by about one standard error of a default run at large nu.
    """
    from scipy.special import ndtr  # imported here: the simulate jobs do not need scipy

    c = nu * learning_fraction(k, t) / k
    crosstalk = alpha if N is None else (round(alpha * N) - 1) / N
    return ndtr(-c / np.sqrt(c**2 * crosstalk + T / k))


def information(nu: ArrayLike, alpha: ArrayLike, *, k: float, T: float, t: ArrayLike,
                N: int | None = None) -> np.ndarray:
    """Information per sample, I = ln 2 - h(eps)."""
    return information_from_error(training_error(nu, alpha, k=k, T=T, t=t, N=N))


def eta(nu: ArrayLike, alpha: ArrayLike, *, k: float, T: float, t: ArrayLike,
        N: int | None = None) -> np.ndarray:
    """Efficiency eta = alpha I / (Delta S + <Q>/T)."""
    cost = entropy_change(nu, alpha, k=k, T=T, t=t) + heat(nu, alpha, k=k, T=T, t=t)
    return efficiency(alpha, information(nu, alpha, k=k, T=T, t=t, N=N), cost)
