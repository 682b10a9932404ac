"""Estimators of heat, entropy and their errors (docs/science.md, Conventions and Model B).

scipy and the k-NN search (numba) are imported by the functions that need them: most jobs that
import this module do not."""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike


def heat(f: ArrayLike, w0: ArrayLike, w: ArrayLike, k: float) -> np.ndarray:
    """Heat released by one weight under a constant force f, exact:
    Q = f (w - w0) - (k/2)(w^2 - w0^2)."""
    return f * (w - w0) - 0.5 * k * (w * w - w0 * w0)


def entropy_change_gaussian(variance: ArrayLike, initial_variance: ArrayLike) -> np.ndarray:
    """Change of the differential entropy 1/2 ln(2 pi e var) of a Gaussian from ``initial_variance``
    to ``variance``: Delta S = 1/2 ln(var / var_0)."""
    return 0.5 * np.log(variance / initial_variance)


def entropy_nonparametric(samples: ArrayLike, k: int = 5) -> float:
    """Kozachenko-Leonenko k-nearest-neighbour estimate of the differential entropy in 1D:
    H = psi(n) - psi(k) + ln 2 + <ln rho_k>, rho_k the distance to the k-th nearest neighbour.

    Asymptotically unbiased (the digamma terms correct the plug-in bias); k = 5 keeps the
    smoothing bias below 1e-3 nats at n = 1e5 for smooth, uniform and bimodal densities.
    """
    samples = np.asarray(samples, dtype=float)
    return entropy_nonparametric_replicates(samples, np.zeros(samples.shape[0], dtype=np.int64), 0, k)[0]


def entropy_nonparametric_replicates(samples: np.ndarray, group: np.ndarray, groups: int, k: int = 5) -> np.ndarray:
    """``entropy_nonparametric`` of all samples and of the samples outside each group g = 0 ..
    groups - 1 (``group``: each sample's group), in that order: the jackknife replicates of
    :func:`thermolearn.replicates.masks`, bit for bit.

    The samples are sorted once (the order of equal samples changes no rho_k); deleting a group
    changes rho_k only for the samples that had one of its samples among their k nearest
    neighbours, and only those are searched again.
    """
    from scipy.special import digamma

    from thermolearn.knn import log_knn_distance_sums

    order = np.argsort(samples)
    sums, counts = log_knn_distance_sums(np.asarray(samples, dtype=float)[order], np.asarray(group)[order],
                                          groups, k)
    return digamma(counts) - digamma(k) + np.log(2.0) + sums / counts


def entropy_production(f: ArrayLike, w0: ArrayLike, w: ArrayLike, k: float, T: float, t: float) -> np.ndarray:
    """Total entropy production of one weight given its force (Model B fluctuation theorem):
    Delta s_tot = ln p(w0, 0) - ln p(w, t) + Q/T with p(., t) = N((f/k) a(t), T/k)."""
    a = 1.0 - np.exp(-k * t)
    delta_s_sys = 0.5 * (k / T) * ((w - f * a / k) ** 2 - w0 * w0)
    return delta_s_sys + heat(f, w0, w, k) / T


def jackknife(full: ArrayLike, leave_one_out: ArrayLike,
              bias_correct: ArrayLike = True) -> tuple[np.ndarray, np.ndarray]:
    """Delete-one-group jackknife: estimate and standard error.

    ``full`` is the estimate on all groups, ``leave_one_out`` the B estimates with one group left
    out (along axis 0): SE^2 = (B - 1)/B sum (theta_i - mean)^2. With ``bias_correct`` the
    estimate is theta_J = B theta - (B - 1) mean (removes O(1/n) bias of smooth functions of
    means); otherwise it is ``full``.
    """
    leave_one_out = np.asarray(leave_one_out, dtype=float)
    groups = leave_one_out.shape[0]
    mean = leave_one_out.mean(axis=0)
    full = np.asarray(full, dtype=float)
    estimate = np.where(bias_correct, groups * full - (groups - 1) * mean, full)
    error = np.sqrt((groups - 1) / groups * ((leave_one_out - mean) ** 2).sum(axis=0))
    return estimate, error


def mean_and_error(values: ArrayLike, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sample mean and its standard error, std / sqrt(n)."""
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    return values.mean(axis=axis), values.std(axis=axis, ddof=1) / np.sqrt(n)


def fit_inverse_powers(tau: ArrayLike, value: ArrayLike, error: ArrayLike,
                       order: int = 1) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Weighted least-squares fit value = sum_{j <= order} a_j / tau^j (linear in a_j, so exact): the
    coefficients (W_inf, B, C, ...), their covariance (from the absolute errors), chi^2 and its degrees
    of freedom (points - order - 1)."""
    tau, value, error = (np.asarray(x, dtype=float) for x in (tau, value, error))
    design = tau[:, None] ** -np.arange(order + 1) / error[:, None]
    covariance = np.linalg.inv(design.T @ design)
    coefficients = covariance @ design.T @ (value / error)
    chi2 = float((((design @ coefficients) - value / error) ** 2).sum())
    return coefficients, covariance, chi2, len(tau) - order - 1


def fit_inverse_time(tau: ArrayLike, value: ArrayLike, error: ArrayLike) -> tuple[float, float, float, float]:
    """Weighted least-squares fit value = W_inf + B/tau; returns W_inf, its SE, B, its SE."""
    (w_inf, b), covariance, _, _ = fit_inverse_powers(tau, value, error, 1)
    return w_inf, np.sqrt(covariance[0, 0]), b, np.sqrt(covariance[1, 1])


FIT_MIN_P = 0.01
"""A fit's form fits where its chi^2 p-value is at least this; below, W_inf + B/tau gives way to
W_inf + B/tau + C/tau^2, and where that fails too W_inf is not tested (``fit_slow_protocols``)."""

FIT_COLUMNS = ["w_inf", "w_inf_err", "b", "b_err", "c", "c_err", "fit_order", "fit_chi2", "fit_chi2_dof", "fit_p"]


def fit_slow_protocols(rows: pd.DataFrame, value: str, fit_min_tau: float) -> dict[str, float]:
    """Fit of column ``value`` (error ``value_err``) over the rows with tau >= fit_min_tau: W_inf + B/tau,
    or, where its chi^2 p-value is below FIT_MIN_P and there are four points or more, the next order
    W_inf + B/tau + C/tau^2 (its larger error of W_inf propagated). Returns FIT_COLUMNS: the coefficients and
    errors (c = c_err = 0 at order 1), the order, chi^2, its dof and p-value (1 for a fit with no dof:
    nothing to test its form against). The form fits where fit_p >= FIT_MIN_P."""
    from scipy import stats

    slow = rows[rows["tau"] >= fit_min_tau]
    arguments = slow["tau"], slow[value], slow[f"{value}_err"]
    for order in (1, 2):
        coefficients, covariance, chi2, dof = fit_inverse_powers(*arguments, order)
        chi2 = chi2 if dof > 0 else 0.0  # round-off of an exact fit
        p = float(stats.chi2.sf(chi2, dof)) if dof > 0 else 1.0
        if p >= FIT_MIN_P or order == 2 or len(slow) < 4:
            break
    errors = np.sqrt(np.diag(covariance))
    c, c_err = (coefficients[2], errors[2]) if order == 2 else (0.0, 0.0)
    return dict(zip(FIT_COLUMNS, [coefficients[0], errors[0], coefficients[1], errors[1], c, c_err, order, chi2,
                                  dof, p]))


def fit_line(fit: pd.Series, tau: ArrayLike) -> np.ndarray:
    """The fitted W_inf + B/tau + C/tau^2 at ``tau`` (a row holding FIT_COLUMNS)."""
    tau = np.asarray(tau, dtype=float)
    return fit["w_inf"] + fit["b"] / tau + fit["c"] / tau**2
