"""Model B: batch Hebbian learning of random labels (SCIENCE.md, Model B)."""

import numpy as np
from numba import njit, prange

from thermolearn.dynamics.common import ou_step, random_spins

@njit(cache=True)
def hebbian_force(xi, sigma_T, nu):
    """f_n = (nu / sqrt(N)) sum_mu xi^mu_n sigma_T^mu."""
    n_samples, n_weights = xi.shape
    f = np.zeros(n_weights)
    for mu in range(n_samples):
        for n in range(n_weights):
            f[n] += xi[mu, n] * sigma_T[mu]
    return f * (nu / np.sqrt(n_weights))


@njit(cache=True)
def training_errors(xi, sigma_T, w):
    """Number of samples mu with sgn(w . xi^mu) != sigma_T^mu."""
    errors = 0
    for mu in range(xi.shape[0]):
        h = 0.0
        for n in range(w.shape[0]):
            h += w[n] * xi[mu, n]
        if sigma_T[mu] * h < 0.0:
            errors += 1
    return errors


@njit(cache=True)
def draw_force(seed, n_samples, n_weights, nu):
    """One data set (xi^mu, sigma_T^mu random, mu = 1..P) from ``seed`` and its Hebbian force f."""
    np.random.seed(seed)
    xi = np.empty((n_samples, n_weights))
    sigma_T = np.empty(n_samples)
    random_spins(xi)
    random_spins(sigma_T)
    return hebbian_force(xi, sigma_T, nu)


@njit(parallel=True, cache=True)
def simulate_batch(n_weights, n_samples, nu, k, T, times, trial_seeds):
    """Batch Hebbian learning, one independent data set per trial.

    Each trial draws xi^mu in {+-1}^N and labels sigma_T^mu in {+-1} (mu = 1..P), starts from
    w_n(0) ~ N(0, T/k) and relaxes under the constant Hebbian force with the exact OU update to
    every recorded time. Trial i uses its own seed, so results do not depend on the thread count.

    Returns w0 (trials, N), f (trials, N), w (trials, len(times), N) and the number of training
    errors (trials, len(times)).
    """
    trials = trial_seeds.shape[0]
    n_times = times.shape[0]
    w0 = np.empty((trials, n_weights))
    force = np.empty((trials, n_weights))
    w_t = np.empty((trials, n_times, n_weights))
    errors = np.empty((trials, n_times), dtype=np.int64)
    for i in prange(trials):
        np.random.seed(trial_seeds[i])
        xi = np.empty((n_samples, n_weights))
        sigma_T = np.empty(n_samples)
        random_spins(xi)
        random_spins(sigma_T)
        f = hebbian_force(xi, sigma_T, nu)
        w = np.sqrt(T / k) * np.random.standard_normal(n_weights)
        w0[i] = w
        force[i] = f
        t_prev = 0.0
        for j in range(n_times):
            ou_step(w, f, k, T, times[j] - t_prev)
            t_prev = times[j]
            w_t[i, j] = w
            errors[i, j] = training_errors(xi, sigma_T, w)
    return w0, force, w_t, errors
