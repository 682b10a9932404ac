"""Estimators of heat, entropy and their errors (SCIENCE.md, Conventions and Model B)."""

import numpy as np
from scipy.stats import differential_entropy


def heat(f, w0, w, k):
    """Heat released by one weight under a constant force f, exact:
    Q = f (w - w0) - (k/2)(w^2 - w0^2)."""
    return f * (w - w0) - 0.5 * k * (w * w - w0 * w0)


def entropy_gaussian(samples):
    """Differential entropy of a Gaussian with the samples' variance, 1/2 ln(2 pi e var)."""
    return 0.5 * np.log(2.0 * np.pi * np.e * np.var(samples))


def entropy_nonparametric(samples):
    """Vasicek m-spacing estimate of the differential entropy, m = round(sqrt(n)).

    Spacing estimators are scale-equivariant, H(c x) = H(x) + ln c, so their O(1/m) bias cancels
    in the entropy change between two samples of equal size and similar shape.
    """
    return differential_entropy(samples, method="vasicek")


def entropy_production(f, w0, w, k, T, t):
    """Total entropy production of one weight given its force (Model B fluctuation theorem):
    Delta s_tot = ln p(w0, 0) - ln p(w, t) + Q/T with p(., t) = N((f/k) a(t), T/k)."""
    a = 1.0 - np.exp(-k * t)
    delta_s_sys = 0.5 * (k / T) * ((w - f * a / k) ** 2 - w0 * w0)
    return delta_s_sys + heat(f, w0, w, k) / T


def jackknife(full, leave_one_out):
    """Delete-one-group jackknife: bias-corrected estimate and standard error.

    ``full`` is the estimate on all groups, ``leave_one_out`` the B estimates with one group left
    out (along axis 0): theta_J = B theta - (B - 1) mean, SE^2 = (B - 1)/B sum (theta_i - mean)^2.
    """
    leave_one_out = np.asarray(leave_one_out, dtype=float)
    groups = leave_one_out.shape[0]
    mean = leave_one_out.mean(axis=0)
    estimate = groups * np.asarray(full, dtype=float) - (groups - 1) * mean
    error = np.sqrt((groups - 1) / groups * ((leave_one_out - mean) ** 2).sum(axis=0))
    return estimate, error


def mean_and_error(values, axis=0):
    """Sample mean and its standard error, std / sqrt(n)."""
    values = np.asarray(values, dtype=float)
    n = values.shape[axis]
    return values.mean(axis=axis), values.std(axis=axis, ddof=1) / np.sqrt(n)
