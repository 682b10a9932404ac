"""Model G: a linear student trained by clamping one sample at a time, stepped exactly (docs/science.md,
Model G). Per interval of constant lambda each output row w relaxes along x_hat = x/sqrt(n) with rate
k_par = kappa + lambda n towards u = (lambda sqrt(n)/k_par) y and orthogonally with rate kappa: exact OU steps."""

import numpy as np
from numba import njit, prange

from thermolearn.ou import random_spins

REPLICA_COLUMNS = ("work", "work_switch_on", "heat", "prior_change", "error")
"""Per data set and thermal replica: the work at the jumps of lambda, the part at positive jumps, the heat (the
potential's drop in each interval), the change of the prior energy (kappa/2)|W|^2 and |W - W*|^2 at the end."""

DATASET_COLUMNS = ("transport", "dissipation_mean", "mean_error", "overlap", "teacher_norm", "spread", "logdet",
                   "trace", "work_given_data")
"""Per data set: B_W = sum gamma|Delta m|^2/d, D_mean = gamma int |m'|^2 dt, |m - W*|^2, (m - W*).W*, |W*|^2,
sum over weights of sum_r (W_r - W_bar)^2, ln det Sigma_D - n ln v0 and Tr Sigma_D (NaN unless ``covariance``),
and the work expected given the data, sum over jumps (Delta lambda/2) sum_i [(y_i - m_i.x)^2 + x^T Sigma x]."""


@njit(cache=True)
def _logdet(a):
    """ln det of a symmetric positive definite matrix (Cholesky; a is overwritten)."""
    n = a.shape[0]
    total = 0.0
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= a[j, k] * a[j, k]
        d = np.sqrt(d)
        total += 2.0 * np.log(d)
        a[j, j] = d
        for i in range(j + 1, n):
            v = a[i, j]
            for k in range(j):
                v -= a[i, k] * a[j, k]
            a[i, j] = v / d
    return total


@njit(cache=True)
def _residual2(w, x, y):
    """sum_i (y_i - w_i . x)^2 over the rows of w (M, n)."""
    total = 0.0
    for i in range(w.shape[0]):
        r = y[i]
        for a in range(w.shape[1]):
            r -= w[i, a] * x[a]
        total += r * r
    return total


@njit(cache=True)
def _norm2(w):
    total = 0.0
    for i in range(w.shape[0]):
        for a in range(w.shape[1]):
            total += w[i, a] * w[i, a]
    return total


@njit(parallel=True, cache=True)
def simulate_training(M, n, D, epochs, levels, durations, e_par, e_perp, sd_par, sd_perp, target, f_par, f_perp,
                      gamma, kappa, sigma, g, v0, replicas, covariance, generators):
    """One data set per generator: teacher W* (M, n) ~ N(0, g^2), inputs x_mu in {+-1}^n, labels
    y_mu = W* x_mu + sigma xi_mu, presented in order for ``epochs`` epochs; each sample's intervals have
    levels[j] (lambda) and durations[j], lambda = 0 before and after (per-interval factors precomputed:
    theory.interval_factors, sd = sqrt of the noise variances). ``replicas`` thermal copies start from
    W(0) ~ N(0, v0) and take the exact step with n normals z per row (x_hat.z along x_hat, the rest across);
    the noiseless mean m (from 0) takes the same step without noise; with ``covariance`` the n x n thermal
    covariance Sigma (from v0 I) is propagated exactly.

    Returns (per_replica (data sets, replicas, len(REPLICA_COLUMNS)), per_dataset (data sets,
    len(DATASET_COLUMNS)))."""
    trials = len(generators)
    n_intervals = levels.shape[0]
    per_replica = np.empty((trials, replicas, 5))
    per_dataset = np.empty((trials, 9))
    root_n = np.sqrt(n)
    for t in prange(trials):
        rng = generators[t]
        teacher = g * rng.standard_normal((M, n))
        inputs = np.empty((D, n))
        random_spins(inputs, rng)
        labels = sigma * rng.standard_normal((D, M))
        for mu in range(D):
            for i in range(M):
                for a in range(n):
                    labels[mu, i] += teacher[i, a] * inputs[mu, a]
        w = np.sqrt(v0) * rng.standard_normal((replicas, M, n))
        m = np.zeros((M, n))
        cov = np.zeros((n, n))
        for a in range(n):
            cov[a, a] = v0
        start_prior = np.empty(replicas)
        for r in range(replicas):
            start_prior[r] = 0.5 * kappa * _norm2(w[r])
        work = np.zeros(replicas)
        work_on = np.zeros(replicas)
        heat = np.zeros(replicas)
        residual = np.empty(replicas)
        transport = 0.0
        dissipation = 0.0
        work_given = 0.0
        xh = np.empty(n)
        z = np.empty(n)
        v = np.empty(n)
        for _ in range(epochs):
            for mu in range(D):
                x = inputs[mu]
                y = labels[mu]
                for a in range(n):
                    xh[a] = x[a] / root_n
                previous = 0.0
                for j in range(n_intervals + 1):
                    level = levels[j] if j < n_intervals else 0.0
                    jump = level - previous
                    for r in range(replicas):
                        residual[r] = _residual2(w[r], x, y)
                        if jump != 0.0:
                            dw = 0.5 * jump * residual[r]
                            work[r] += dw
                            if jump > 0.0:
                                work_on[r] += dw
                    if jump != 0.0 and covariance:
                        spread_x = 0.0
                        for a in range(n):
                            for b in range(n):
                                spread_x += x[a] * cov[a, b] * x[b]
                        work_given += 0.5 * jump * (_residual2(m, x, y) + M * spread_x)
                    previous = level
                    if j == n_intervals:
                        break
                    ep, eo, sp, so, rate = e_par[j], e_perp[j], sd_par[j], sd_perp[j], gamma / durations[j]
                    for r in range(replicas):
                        heat[r] += 0.5 * kappa * _norm2(w[r]) + 0.5 * level * residual[r]
                    for i in range(M):
                        centre = target[j] * y[i]
                        u = 0.0
                        norm = 0.0
                        for a in range(n):
                            u += xh[a] * m[i, a]
                            norm += m[i, a] * m[i, a]
                        u_new = centre + (u - centre) * ep
                        du = u_new - u
                        across = (eo - 1.0) * (eo - 1.0) * max(norm - u * u, 0.0)
                        transport += rate * (du * du + across)
                        dissipation += rate * (f_par[j] * du * du + f_perp[j] * across)
                        for a in range(n):
                            m[i, a] = eo * (m[i, a] - u * xh[a]) + u_new * xh[a]
                        for r in range(replicas):
                            u = 0.0
                            along = 0.0
                            for a in range(n):
                                z[a] = rng.standard_normal()
                                u += xh[a] * w[r, i, a]
                                along += xh[a] * z[a]
                            u_new = centre + (u - centre) * ep + sp * along
                            for a in range(n):
                                w[r, i, a] = (eo * (w[r, i, a] - u * xh[a]) + so * (z[a] - along * xh[a])
                                              + u_new * xh[a])
                    for r in range(replicas):
                        residual[r] = _residual2(w[r], x, y)
                        heat[r] -= 0.5 * kappa * _norm2(w[r]) + 0.5 * level * residual[r]
                    if covariance:
                        # Sigma' = A Sigma A + sp^2 P + so^2 (I - P), A = eo I + (ep - eo) P
                        delta = ep - eo
                        along = 0.0
                        for a in range(n):
                            va = 0.0
                            for b in range(n):
                                va += cov[a, b] * xh[b]
                            v[a] = va
                            along += xh[a] * va
                        for a in range(n):
                            for b in range(n):
                                cov[a, b] = (eo * eo * cov[a, b] + eo * delta * (xh[a] * v[b] + v[a] * xh[b])
                                             + (delta * delta * along + sp * sp - so * so) * xh[a] * xh[b])
                            cov[a, a] += so * so
        spread = 0.0
        for i in range(M):
            for a in range(n):
                mean = 0.0
                for r in range(replicas):
                    mean += w[r, i, a]
                mean /= replicas
                for r in range(replicas):
                    spread += (w[r, i, a] - mean) ** 2
        for r in range(replicas):
            error = 0.0
            for i in range(M):
                for a in range(n):
                    error += (w[r, i, a] - teacher[i, a]) ** 2
            per_replica[t, r, 0] = work[r]
            per_replica[t, r, 1] = work_on[r]
            per_replica[t, r, 2] = heat[r]
            per_replica[t, r, 3] = 0.5 * kappa * _norm2(w[r]) - start_prior[r]
            per_replica[t, r, 4] = error
        mean_error = 0.0
        overlap = 0.0
        for i in range(M):
            for a in range(n):
                e = m[i, a] - teacher[i, a]
                mean_error += e * e
                overlap += e * teacher[i, a]
        per_dataset[t, 0] = transport
        per_dataset[t, 1] = dissipation
        per_dataset[t, 2] = mean_error
        per_dataset[t, 3] = overlap
        per_dataset[t, 4] = _norm2(teacher)
        per_dataset[t, 5] = spread
        if covariance:
            trace = 0.0
            for a in range(n):
                trace += cov[a, a]
            per_dataset[t, 6] = _logdet(cov) - n * np.log(v0)
            per_dataset[t, 7] = trace
            per_dataset[t, 8] = work_given
        else:
            per_dataset[t, 6] = np.nan
            per_dataset[t, 7] = np.nan
            per_dataset[t, 8] = np.nan
    return per_replica, per_dataset
