"""Estimators of heat, entropy and their errors (docs/science.md, Conventions and Model B).

scipy is imported by the functions that need it: most jobs that import this module do not."""

import numpy as np
from numba import njit


def heat(f, w0, w, k):
    """Heat released by one weight under a constant force f, exact:
    Q = f (w - w0) - (k/2)(w^2 - w0^2)."""
    return f * (w - w0) - 0.5 * k * (w * w - w0 * w0)


def entropy_gaussian(samples):
    """Differential entropy of a Gaussian with the samples' variance, 1/2 ln(2 pi e var)."""
    return 0.5 * np.log(2.0 * np.pi * np.e * np.var(samples))


def entropy_nonparametric(samples, k=5):
    """Kozachenko-Leonenko k-nearest-neighbour estimate of the differential entropy in 1D:
    H = psi(n) - psi(k) + ln 2 + <ln rho_k>, rho_k the distance to the k-th nearest neighbour.

    Asymptotically unbiased (the digamma terms correct the plug-in bias); k = 5 keeps the
    smoothing bias below 1e-3 nats at n = 1e5 for smooth, uniform and bimodal densities.
    """
    from scipy.special import digamma

    x = np.sort(np.asarray(samples, dtype=float))
    n = x.shape[0]
    return digamma(n) - digamma(k) + np.log(2.0) + _mean_log_knn_distance(x, k)


@njit(cache=True)
def _mean_log_knn_distance(x, k):
    """<ln rho_k> over sorted samples x. The k nearest neighbours of x[i] fill a window
    x[i - left .. i + right] with left + right = k, grown one nearest neighbour at a time;
    rho_k is the distance to the last one added."""
    n = x.shape[0]
    total = 0.0
    for i in range(n):
        left = 0
        right = 0
        rho = 0.0
        for _ in range(k):
            gap_left = x[i] - x[i - left - 1] if i - left - 1 >= 0 else np.inf
            gap_right = x[i + right + 1] - x[i] if i + right + 1 < n else np.inf
            if gap_left <= gap_right:
                left += 1
                rho = gap_left
            else:
                right += 1
                rho = gap_right
        total += np.log(rho)
    return total / n


def entropy_production(f, w0, w, k, T, t):
    """Total entropy production of one weight given its force (Model B fluctuation theorem):
    Delta s_tot = ln p(w0, 0) - ln p(w, t) + Q/T with p(., t) = N((f/k) a(t), T/k)."""
    a = 1.0 - np.exp(-k * t)
    delta_s_sys = 0.5 * (k / T) * ((w - f * a / k) ** 2 - w0 * w0)
    return delta_s_sys + heat(f, w0, w, k) / T


def jackknife(full, leave_one_out, bias_correct=True):
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


def mean_and_error(values, axis=0):
    """Sample mean and its standard error, std / sqrt(n)."""
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    return values.mean(axis=axis), values.std(axis=axis, ddof=1) / np.sqrt(n)


def fit_inverse_time(tau, value, error):
    """Weighted least-squares fit value = W_inf + B/tau; returns W_inf, its SE, B, its SE."""
    from scipy.optimize import curve_fit

    (w_inf, b), covariance = curve_fit(
        lambda x, w_inf, b: w_inf + b / x, tau, value, sigma=error, absolute_sigma=True
    )
    return w_inf, np.sqrt(covariance[0, 0]), b, np.sqrt(covariance[1, 1])
