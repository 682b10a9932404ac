"""Binary entropy and the information carried by a binary channel (docs/science.md, Conventions)."""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike


def binary_entropy(p: ArrayLike) -> np.ndarray:
    """h(p) = -p ln p - (1-p) ln(1-p), in nats."""
    from scipy.special import xlogy  # imported here: the simulate jobs do not need scipy

    p = np.asarray(p, dtype=float)
    return -xlogy(p, p) - xlogy(1.0 - p, 1.0 - p)


def information_from_error(eps: ArrayLike) -> np.ndarray:
    """Mutual information of a symmetric binary channel with error eps: I = ln 2 - h(eps)."""
    return np.log(2.0) - binary_entropy(eps)


def generalization_error(overlap: ArrayLike) -> np.ndarray:
    """eps_g = arccos(rho) / pi for a perceptron student with teacher overlap rho."""
    return np.arccos(np.clip(overlap, -1.0, 1.0)) / np.pi


def efficiency(alpha: ArrayLike, information: ArrayLike, cost: ArrayLike) -> np.ndarray:
    """eta = alpha I / (Delta S + <Q>/T)."""
    return alpha * information / cost


NEAREST_NEIGHBOUR = ["entropy_change_knn", "cost_knn", "eta_knn"]
"""Quantities from the k-NN entropy: deleting a group reshuffles the neighbours, which makes the
jackknife bias correction noisy (it doubled the spread on Gaussian samples); they keep the
all-trials estimate and take only the jackknife error (``replicates.reduce``'s ``no_bias_correction``)."""


def add_cost_and_efficiency(table: pd.DataFrame, alpha: ArrayLike, information: str) -> pd.DataFrame:
    """The cost Delta S + <Q>/T and eta = alpha I / cost of every replicate row (columns
    ``entropy_change``, ``heat`` per T, and ``information``), with the Gaussian and, as ``_knn``,
    the nonparametric Delta S."""
    for suffix in ("", "_knn"):
        table[f"cost{suffix}"] = table[f"entropy_change{suffix}"] + table["heat"]
        table[f"eta{suffix}"] = efficiency(alpha, table[information], table[f"cost{suffix}"])
    return table


def second_order_error(curvature: ArrayLike, err: ArrayLike) -> np.ndarray:
    """sqrt(1/2) |g''| SE^2: for Gaussian x-hat with error SE, the standard deviation of the quadratic
    term of g(x-hat), uncorrelated with the linear one, |g'| SE. Near a stationary point of g (where
    g' = 0) the jackknife's linear error vanishes and this term is the error."""
    return np.sqrt(0.5) * np.abs(curvature) * np.asarray(err) ** 2


def add_second_order_error(table: pd.DataFrame, eps: str) -> pd.DataFrame:
    """Add the second-order term to the errors of ``information`` and of ``eta``/``eta_knn``.

    Near eps = 1/2, I = ln2 - h(eps) is quadratic in eps: the variance of I-hat is
    h'^2 SE^2 + (1/2) h''^2 SE^4 with h'' = -1/(eps (1 - eps)). The second term is added in
    quadrature and carried into eta, which is proportional to I. ``eps`` names the
    error-probability column.
    """
    table = table.copy()
    p = table[eps].clip(1e-12, 1 - 1e-12)
    second_order = second_order_error(1.0 / (p * (1.0 - p)), table[f"{eps}_err"])
    relative = second_order / table["information"].abs().clip(lower=1e-300)
    table["information_err"] = np.hypot(table["information_err"], second_order)
    for eta in ("eta", "eta_knn"):
        table[f"{eta}_err"] = np.hypot(table[f"{eta}_err"], table[eta].abs() * relative)
    return table
