"""Binary entropy and the information carried by a binary channel (SCIENCE.md, Conventions)."""

import numpy as np
from scipy.special import xlogy


def binary_entropy(p):
    """h(p) = -p ln p - (1-p) ln(1-p), in nats."""
    p = np.asarray(p, dtype=float)
    return -xlogy(p, p) - xlogy(1.0 - p, 1.0 - p)


def information_from_error(eps):
    """Mutual information of a symmetric binary channel with error eps: I = ln 2 - h(eps)."""
    return np.log(2.0) - binary_entropy(eps)


def generalization_error(overlap):
    """eps_g = arccos(rho) / pi for a perceptron student with teacher overlap rho."""
    return np.arccos(np.clip(overlap, -1.0, 1.0)) / np.pi


def efficiency(alpha, information, cost):
    """eta = alpha I / (Delta S + <Q>/T)."""
    return alpha * information / cost
