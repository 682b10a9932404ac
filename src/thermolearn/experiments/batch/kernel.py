"""Model B: batch Hebbian learning of random labels (docs/science.md, Model B)."""

import numpy as np
from numba import njit, prange

from thermolearn.ou import ou_step, random_spins


@njit(cache=True)
def hebbian_force(xi, sigma_T, nu):
    """f_n = (nu / sqrt(N)) sum_mu xi^mu_n sigma_T^mu, with xi[n, mu] = xi^mu_n."""
    return (nu / np.sqrt(xi.shape[0])) * (xi @ sigma_T)


@njit(cache=True)
def training_errors(xi, sigma_T, w):
    """Number of samples mu with sgn(w(t) . xi^mu) != sigma_T^mu, for every row w(t) of w
    (the fields of all samples and times are one matrix product, xi[n, mu] = xi^mu_n)."""
    fields = w @ xi
    errors = np.zeros(w.shape[0], dtype=np.int64)
    for j in range(w.shape[0]):
        for mu in range(xi.shape[1]):
            if sigma_T[mu] * fields[j, mu] < 0.0:
                errors[j] += 1
    return errors


@njit(cache=True)
def draw_data(n_samples, n_weights, rng):
    """Random inputs xi[n, mu] = xi^mu_n and labels sigma_T^mu, all uniform +-1."""
    xi = np.empty((n_weights, n_samples))
    sigma_T = np.empty(n_samples)
    random_spins(xi, rng)
    random_spins(sigma_T, rng)
    return xi, sigma_T


@njit(cache=True)
def draw_force(rng, n_samples, n_weights, nu):
    """The Hebbian force f of one data set (P = n_samples) drawn from the Generator ``rng``."""
    xi, sigma_T = draw_data(n_samples, n_weights, rng)
    return hebbian_force(xi, sigma_T, nu)


@njit(parallel=True, cache=True)
def simulate_batch(n_weights, n_samples, nu, k, T, times, generators):
    """Batch Hebbian learning, one independent data set per trial.

    Each trial draws xi^mu in {+-1}^N and labels sigma_T^mu in {+-1} (mu = 1..P), starts from
    w_n(0) ~ N(0, T/k) and relaxes under the constant Hebbian force with the exact OU update to
    every recorded time. Trial i draws from its own Generator, so results do not depend on the
    thread count.

    Returns w0 (trials, N), f (trials, N), w (trials, len(times), N) and the number of training
    errors (trials, len(times)).
    """
    trials = len(generators)
    n_times = times.shape[0]
    w0 = np.empty((trials, n_weights))
    force = np.empty((trials, n_weights))
    w_t = np.empty((trials, n_times, n_weights))
    errors = np.empty((trials, n_times), dtype=np.int64)
    for i in prange(trials):
        rng = generators[i]
        xi, sigma_T = draw_data(n_samples, n_weights, rng)
        f = hebbian_force(xi, sigma_T, nu)
        w = np.sqrt(T / k) * rng.standard_normal(n_weights)
        w0[i] = w
        force[i] = f
        t_prev = 0.0
        for j in range(n_times):
            ou_step(w, f, k, T, times[j] - t_prev, rng)
            t_prev = times[j]
            w_t[i, j] = w
        errors[i] = training_errors(xi, sigma_T, w_t[i])
    return w0, force, w_t, errors
