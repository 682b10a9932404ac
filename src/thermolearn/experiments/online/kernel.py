"""Model C: online learning of a teacher's rule in continuous time (docs/science.md, Model C)."""

import numpy as np
from numba import njit, prange

from thermolearn.experiments.online import ORDER_PARAMETERS
from thermolearn.ou import ou_step, random_spins

R, Q, R_F, Q_WF, Q_FF, HEAT = (ORDER_PARAMETERS.index(name) for name in ("R", "q", "R_f", "q_wf", "q_ff", "heat"))
"""Column of each order parameter in ``simulate_online``'s ``order`` (numba takes integers, not names)."""

LARGEST = 1e100
"""The largest |F(h, sigma_T)| a run uses: beyond it the order parameters' sums of squares (q_ff ~
nu^2 F^2 alpha) approach the float range (1.8e308). A larger value, an infinity or a NaN (a rule that
raises returns NaN, ``rules.guarded``) stops the trial, and the job fails naming h and sigma_T."""


@njit(cache=True, inline="always")
def dot(a, b):
    s = 0.0
    for n in range(a.shape[0]):
        s += a[n] * b[n]
    return s


@njit(parallel=True, cache=True)
def simulate_online(n_weights, F, nu, k, T, arrival_times, record_times, test_samples, random_labels,
                    generators):
    """Online learning, one teacher per trial.

    Sample mu arrives at arrival_times[mu] (sorted); its input xi in {+-1}^N is labelled
    sigma_T = sgn(B . xi) (or a random sign if ``random_labels``), the rule is evaluated on the
    current weights, h = w . xi / sqrt(N), and f += (nu / sqrt(N)) xi sigma_T F(h, sigma_T), with
    F the rule's compiled F(h, sigma_T) (``rules.bound_factor``).
    Between events the weights take the exact OU step and release the per-interval heat.
    At each record time (after the arrivals at that time) the kernel stores, per trial, the
    order parameters R, q, R_f, q_wf, q_ff (divided by N) and the heat per weight so far (``order``, columns
    ``ORDER_PARAMETERS``), the
    number of errors on ``test_samples`` fresh inputs, and the weights.
    A value of F that is NaN or beyond LARGEST in size stops its trial: ``failed[i]`` is then its
    (h, sigma_T), NaN for a trial that ran to its end.
    """
    trials = len(generators)
    n_records = record_times.shape[0]
    n_samples = arrival_times.shape[0]
    order = np.empty((trials, n_records, len(ORDER_PARAMETERS)))
    test_errors = np.zeros((trials, n_records), dtype=np.int64)
    weights = np.empty((trials, n_records, n_weights))
    failed = np.full((trials, 2), np.nan)
    scale = 1.0 / np.sqrt(n_weights)
    for i in prange(trials):
        rng = generators[i]
        teacher = rng.standard_normal(n_weights)
        teacher *= np.sqrt(n_weights / dot(teacher, teacher))
        w = np.sqrt(T / k) * rng.standard_normal(n_weights)
        f = np.zeros(n_weights)
        xi = np.empty(n_weights)
        label = np.empty(1)
        heat = 0.0
        t = 0.0
        mu = 0
        stopped = False
        for j in range(n_records):
            while mu < n_samples and arrival_times[mu] <= record_times[j]:
                if arrival_times[mu] > t:
                    heat += ou_step(w, f, k, T, arrival_times[mu] - t, rng)
                    t = arrival_times[mu]
                random_spins(xi, rng)
                if random_labels:
                    random_spins(label, rng)
                    sigma_T = label[0]
                else:
                    sigma_T = 1.0 if dot(teacher, xi) > 0.0 else -1.0
                h = dot(w, xi) * scale
                value = F(h, sigma_T)
                if not abs(value) <= LARGEST:
                    failed[i, 0], failed[i, 1] = h, sigma_T
                    stopped = True
                    break
                step = nu * scale * sigma_T * value
                if step != 0.0:
                    for n in range(n_weights):
                        f[n] += step * xi[n]
                mu += 1
            if stopped:
                break
            if record_times[j] > t:
                heat += ou_step(w, f, k, T, record_times[j] - t, rng)
                t = record_times[j]
            order[i, j, R] = dot(teacher, w) / n_weights
            order[i, j, Q] = dot(w, w) / n_weights
            order[i, j, R_F] = dot(teacher, f) / n_weights
            order[i, j, Q_WF] = dot(w, f) / n_weights
            order[i, j, Q_FF] = dot(f, f) / n_weights
            order[i, j, HEAT] = heat / n_weights
            for _ in range(test_samples):
                random_spins(xi, rng)
                if (dot(teacher, xi) > 0.0) != (dot(w, xi) > 0.0):
                    test_errors[i, j] += 1
            weights[i, j] = w
    return order, test_errors, weights, failed
