"""Intervals and tests from the t distribution (docs/science.md, Conventions: a jackknife over g groups
gives an error with g - 1 degrees of freedom; a mean over n independent trials one with n - 1).

scipy is imported by the functions that need it: scipy.stats (half a second to import) only by the
bounds jobs, scipy.special by the figures' error bars."""

import numpy as np
from numpy.typing import ArrayLike

ONE_SIGMA = 0.6827
"""Coverage of +-1 standard error for a normal estimate: the default level of an error bar."""


def interval(err: ArrayLike, dof: ArrayLike, level: float = ONE_SIGMA) -> np.ndarray:
    """Half-width of the two-sided ``level`` confidence interval, t_dof((1 + level)/2) err (the
    quantile as scipy.stats.t.ppf computes it, normal at infinite dof)."""
    from scipy.special import stdtrit

    return stdtrit(np.asarray(dof, dtype=float), 0.5 * (1.0 + level)) * np.asarray(err, dtype=float)


def combined_dof(*sides: tuple[ArrayLike, ArrayLike]) -> np.ndarray:
    """Degrees of freedom of a sum of independent estimates, given (err, dof) per side: the
    smallest dof among the sides with a non-zero error (Welch-Satterthwaite's value is at least
    this; sides from the same jackknife have exactly this), infinite if no side has an error."""
    dofs = [np.where(np.asarray(err) > 0, dof, np.inf) for err, dof in sides]
    return np.minimum.reduce(np.broadcast_arrays(*dofs)).astype(float)


def excursion(lhs: ArrayLike, lhs_err: ArrayLike, rhs: ArrayLike, rhs_err: ArrayLike, dof: ArrayLike,
              equality: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Standardized excursion z = (lhs - rhs)/sqrt(lhs_err^2 + rhs_err^2) and its p-value under
    the relation, from the t distribution with ``dof``: one-sided P(t > z) for lhs <= rhs,
    two-sided P(|t| > |z|) for lhs = rhs. Sides that are exact (no error) give z = +-inf where they
    differ and z = 0 where they are equal (the relation holds with equality: an inference network
    at g = 0 does no work, W = 0 exactly), not 0/0."""
    from scipy import stats

    difference, error = np.asarray(lhs, dtype=float) - rhs, np.hypot(lhs_err, rhs_err)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where((difference == 0) & (error == 0), 0.0, difference / error)
    p = 2.0 * stats.t.sf(np.abs(z), dof) if equality else stats.t.sf(z, dof)
    return z, p


def holm(p: ArrayLike) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values: the smallest family-wise level at which each hypothesis
    is rejected, valid under any correlation between the tests. In the input's order."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = p.size
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out
