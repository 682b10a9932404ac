"""Model H: online backprop in a soft committee machine, in Model C's continuous time (docs/science.md, Model H)."""

import math

import numpy as np
from numba import njit, prange

from thermolearn.experiments.online.kernel import dot
from thermolearn.ou import ou_step

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT2 = 1.0 / math.sqrt(2.0)


@njit(cache=True)
def orthonormal_teacher(B, rng):
    """Fill B (M x N) with Gaussian rows, Gram-Schmidt orthonormalised and rescaled to |B_m|^2 = N."""
    M, N = B.shape
    for m in range(M):
        for n in range(N):
            B[m, n] = rng.standard_normal()
        for p in range(m):
            c = dot(B[m], B[p]) / N
            for n in range(N):
                B[m, n] -= c * B[p, n]
        scale = math.sqrt(N / dot(B[m], B[m]))
        for n in range(N):
            B[m, n] *= scale


@njit(cache=True, inline="always")
def products(X, Y, N, out, c):
    """out[c:] = the entries of X Y^T / N, row-major; returns the next free index."""
    for i in range(X.shape[0]):
        for j in range(Y.shape[0]):
            out[c] = dot(X[i], Y[j]) / N
            c += 1
    return c


@njit(cache=True)
def record(out, w, f, B, heat):
    """out = (R, Q, R^f, C, F, heat) flattened row-major, per N (heat per weight): R_im = w_i.B_m/N, Q_ij = w_i.w_j/N,
    R^f_im = f_i.B_m/N, C_ij = w_i.f_j/N, F_ij = f_i.f_j/N."""
    K, N = w.shape
    c = products(w, B, N, out, 0)
    c = products(w, w, N, out, c)
    c = products(f, B, N, out, c)
    c = products(w, f, N, out, c)
    c = products(f, f, N, out, c)
    out[c] = heat / (N * K)


@njit(cache=True)
def outputs_error(xi, w, B, h, u):
    """1/2 (y_T - y_S)^2 of one input xi, noise-free teacher output, erf units g(x) = erf(x/sqrt 2)."""
    K, N = w.shape
    M = B.shape[0]
    scale = 1.0 / math.sqrt(N)
    diff = 0.0
    for m in range(M):
        u[m] = dot(B[m], xi) * scale
        diff += math.erf(u[m] * INV_SQRT2)
    for i in range(K):
        h[i] = dot(w[i], xi) * scale
        diff -= math.erf(h[i] * INV_SQRT2)
    return 0.5 * diff * diff


@njit(cache=True, parallel=True)
def simulate_committee(N, K, M, nu, k, T, epsilon, sigma_y, lean, arrival_times, record_times, test_samples,
                       ito_heat, generators):
    """Online backprop, one orthonormal teacher per trial.

    Start: f_i = k eps sum_m O_im B_m (O = ``lean``, K x M), w_i ~ N(f_i/k, T/k) per component. Sample mu arrives
    at arrival_times[mu] (sorted): Gaussian xi ~ N(0, 1_N), label y = sum_m g(u_m) + sigma_y zeta, backprop
    delta_i = (y - y_S) g'(h_i) on the current weights, f_i += (nu/sqrt N) delta_i xi. Between events every unit
    takes the exact OU step (``ou.ou_step``) and releases the Stratonovich heat sum_i f_i.Dw_i - (k/2) D|w_i|^2
    (``ito_heat``: the wrong Ito sum sum_i (f_i - k w_i_old).Dw_i, a negative control). At each record time (after
    the arrivals at that time) per trial: (R, Q, R^f, C, F) flattened and the heat per weight (``record``), and
    the mean of 1/2 (y_T - y_S)^2 over ``test_samples`` fresh inputs.
    """
    trials = len(generators)
    n_records = record_times.shape[0]
    n_samples = arrival_times.shape[0]
    size = 2 * K * M + 3 * K * K + 1
    order = np.empty((trials, n_records, size))
    test_error = np.zeros((trials, n_records))
    scale = 1.0 / math.sqrt(N)
    for trial in prange(trials):
        rng = generators[trial]
        B = np.empty((M, N))
        orthonormal_teacher(B, rng)
        f = np.zeros((K, N))
        w = np.empty((K, N))
        w_old = np.empty((K, N))
        xi = np.empty(N)
        u = np.empty(M)
        h = np.empty(K)
        delta = np.empty(K)
        spread = math.sqrt(T / k)
        for i in range(K):
            for m in range(M):
                c = k * epsilon * lean[i, m]
                if c != 0.0:
                    for n in range(N):
                        f[i, n] += c * B[m, n]
            for n in range(N):
                w[i, n] = f[i, n] / k + spread * rng.standard_normal()
        heat = 0.0
        t = 0.0
        mu = 0
        for j in range(n_records):
            while mu < n_samples and arrival_times[mu] <= record_times[j]:
                if arrival_times[mu] > t:
                    if ito_heat:
                        w_old[:, :] = w
                    for i in range(K):
                        heat += ou_step(w[i], f[i], k, T, arrival_times[mu] - t, rng)
                    if ito_heat:
                        for i in range(K):
                            for n in range(N):
                                heat += 0.5 * k * (w[i, n] - w_old[i, n]) ** 2
                    t = arrival_times[mu]
                for n in range(N):
                    xi[n] = rng.standard_normal()
                y = 0.0
                for m in range(M):
                    y += math.erf(dot(B[m], xi) * scale * INV_SQRT2)
                if sigma_y > 0.0:
                    y += sigma_y * rng.standard_normal()
                for i in range(K):
                    h[i] = dot(w[i], xi) * scale
                    y -= math.erf(h[i] * INV_SQRT2)
                for i in range(K):
                    delta[i] = nu * scale * y * SQRT_2_OVER_PI * math.exp(-0.5 * h[i] * h[i])
                    for n in range(N):
                        f[i, n] += delta[i] * xi[n]
                mu += 1
            if record_times[j] > t:
                if ito_heat:
                    w_old[:, :] = w
                for i in range(K):
                    heat += ou_step(w[i], f[i], k, T, record_times[j] - t, rng)
                if ito_heat:
                    for i in range(K):
                        for n in range(N):
                            heat += 0.5 * k * (w[i, n] - w_old[i, n]) ** 2
                t = record_times[j]
            record(order[trial, j], w, f, B, heat)
            total = 0.0
            for _ in range(test_samples):
                for n in range(N):
                    xi[n] = rng.standard_normal()
                total += outputs_error(xi, w, B, h, u)
            test_error[trial, j] = total / max(test_samples, 1)
    return order, test_error
