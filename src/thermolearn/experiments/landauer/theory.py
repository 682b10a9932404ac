"""Model A theory: how long the stored bit survives the erasure protocol (docs/science.md, Model A).

V(x; b, a) = E0 [b (x^2 - 1)^2 - a x] with mobility 1; at b = 1, a = 0 the barrier is E0,
V''(+-1) = 8 E0 and V''(0) = -4 E0.
"""

import numpy as np
from numpy.typing import ArrayLike

LEAK_TOLERANCE = 0.01
"""Largest 1 - P_s over the fitted tau for which the fit W_inf + B/tau tests Landauer's ln 2:
failed trajectories (W/T ~ -1) then shift <W>/T by (1 - P_s)(ln 2 + 1) < 0.02."""


def potential(x: ArrayLike, b: float, a: float, E0: float) -> np.ndarray:
    """V(x; b, a) = E0 [b (x^2 - 1)^2 - a x] (numpy; the kernel compiles the same function)."""
    y = x * x - 1.0
    return E0 * (b * y * y - a * x)


def kramers_time(E0: float, T: float) -> float:
    """Mean escape time from one well over the barrier E0 (Kramers, high barrier):
    t_K = 2 pi / sqrt(V''(1) |V''(0)|) e^{E0/T} = 2 pi e^{E0/T} / (sqrt(32) E0)."""
    return 2.0 * np.pi * np.exp(E0 / T) / (np.sqrt(32.0) * E0)


def leak_probability(tau: ArrayLike, *, E0: float, T: float, a_max: float) -> np.ndarray:
    """1 - P_s from leaks back over the full barrier while the tilt a_max -> 0 in the protocol's
    last quarter: the tilt raises the barrier out of the x > 0 well to E0 (1 + a), so the
    Kramers rate is e^{-E0 a/T} / t_K, and its integral over tau/4 is
    (tau/4) (1 - e^{-E0 a_max/T}) / (E0 a_max/T) / t_K."""
    from scipy.special import exprel  # imported here: the simulate jobs do not need scipy

    return 0.25 * tau * exprel(-E0 * a_max / T) / kramers_time(E0, T)


def wrong_well_probability(*, E0: float, T: float, a_max: float) -> float:
    """Equilibrium probability of the wrong well x < 0 under the full tilt a_max, two-well estimate:
    the wells at x = -1 and +1 differ by 2 E0 a_max, so 1/(1 + e^{2 E0 a_max/T})."""
    return 1.0 / (1.0 + np.exp(2.0 * E0 * a_max / T))
