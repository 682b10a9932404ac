"""Model D: quasi-static inference in an analog network of overdamped neurons (SCIENCE.md, Model D).

Layers l = 1..L of widths n_l are flat arrays: neuron i of layer l sits at x[offset[l-1] + i];
W^(l) (n_l x n_(l-1)) sits row-major in a flat array from weight_offset[l-1]. x^(0) = u.
H(x; u) = sum_l sum_i (K/2) (x_i^(l) - tanh(a_i^(l)))^2 with a^(l) = W^(l) x^(l-1).
"""

import numpy as np
from numba import njit, prange


@njit(cache=True)
def _forward(x, u, widths, weights, weight_offset, offset, pre, residual):
    """Fill pre-activations a^(l) and residuals e^(l) = x^(l) - tanh(a^(l)); return H/K."""
    energy = 0.0
    for l in range(1, widths.shape[0]):
        n_in, n_out = widths[l - 1], widths[l]
        for i in range(n_out):
            a = 0.0
            row = weight_offset[l - 1] + i * n_in
            for j in range(n_in):
                below = u[j] if l == 1 else x[offset[l - 2] + j]
                a += weights[row + j] * below
            pre[offset[l - 1] + i] = a
            e = x[offset[l - 1] + i] - np.tanh(a)
            residual[offset[l - 1] + i] = e
            energy += 0.5 * e * e
    return energy


@njit(cache=True)
def _input_energy(x, u, widths, weights, K):
    """The part of H that depends on u: sum_i (K/2)(x_i^(1) - tanh(W^(1) u)_i)^2."""
    energy = 0.0
    for i in range(widths[1]):
        a = 0.0
        for j in range(widths[0]):
            a += weights[i * widths[0] + j] * u[j]
        e = x[i] - np.tanh(a)
        energy += 0.5 * K * e * e
    return energy


@njit(cache=True)
def equilibrium_sample(u, widths, weights, weight_offset, offset, K, T, x):
    """Exact sample of exp(-H/T): layer by layer, x^(l) = tanh(W^(l) x^(l-1)) + sqrt(T/K) z."""
    pre = np.empty_like(x)
    residual = np.empty_like(x)
    for l in range(1, widths.shape[0]):
        x[offset[l - 1]:offset[l - 1] + widths[l]] = 0.0
        _forward(x, u, widths, weights, weight_offset, offset, pre, residual)
        for i in range(widths[l]):
            x[offset[l - 1] + i] = np.tanh(pre[offset[l - 1] + i]) + np.sqrt(T / K) * np.random.standard_normal()


@njit(cache=True)
def feedforward(u, widths, weights, weight_offset, offset):
    """The network's deterministic activations, the minimum H = 0."""
    x = np.zeros(offset[-1])
    pre = np.empty_like(x)
    residual = np.empty_like(x)
    for l in range(1, widths.shape[0]):
        _forward(x, u, widths, weights, weight_offset, offset, pre, residual)
        for i in range(widths[l]):
            x[offset[l - 1] + i] = np.tanh(pre[offset[l - 1] + i])
    return x


@njit(parallel=True, cache=True)
def simulate_inference(u_start, u_end, tau, dt, K, T, widths, weights, weight_offset, offset, trajectory_seeds):
    """Euler-Maruyama trajectories of dx = -dH/dx dt + sqrt(2T) dW while the input moves linearly
    from u_start to u_end in time tau, from equilibrium at u_start. Work per step, exact for the
    chain: W += H(x; u_(i+1)) - H(x; u_i), then x moves with the new input.
    Returns W, the mean squared deviation of the output layer from the feedforward output at
    u_end, and the same for an exact equilibrium sample at u_end."""
    n = trajectory_seeds.shape[0]
    steps = max(int(round(tau / dt)), 1)
    h = tau / steps
    noise = np.sqrt(2.0 * T * h)
    n_neurons = offset[-1]
    n_out = widths[-1]
    out = offset[-2]
    target = feedforward(u_end, widths, weights, weight_offset, offset)
    work = np.empty(n)
    msd = np.empty(n)
    msd_equilibrium = np.empty(n)
    for i in prange(n):
        np.random.seed(trajectory_seeds[i])
        x = np.empty(n_neurons)
        pre = np.empty(n_neurons)
        residual = np.empty(n_neurons)
        gradient = np.empty(n_neurons)
        equilibrium_sample(u_start, widths, weights, weight_offset, offset, K, T, x)
        u = u_start.copy()
        w = 0.0
        for step in range(steps):
            u_next = u_start + (u_end - u_start) * ((step + 1) / steps)
            w += _input_energy(x, u_next, widths, weights, K) - _input_energy(x, u, widths, weights, K)
            u = u_next
            _forward(x, u, widths, weights, weight_offset, offset, pre, residual)
            # dH/dx^(l) = K e^(l) - W^(l+1)^T (K e^(l+1) tanh'(a^(l+1)))
            for m in range(n_neurons):
                gradient[m] = K * residual[m]
            for l in range(2, widths.shape[0]):
                n_in = widths[l - 1]
                for k_out in range(widths[l]):
                    c = offset[l - 1] + k_out
                    back = K * residual[c] * (1.0 - np.tanh(pre[c]) ** 2)
                    row = weight_offset[l - 1] + k_out * n_in
                    for j in range(n_in):
                        gradient[offset[l - 2] + j] -= weights[row + j] * back
            for m in range(n_neurons):
                x[m] += -gradient[m] * h + noise * np.random.standard_normal()
        work[i] = w
        d = 0.0
        for m in range(n_out):
            d += (x[out + m] - target[out + m]) ** 2
        msd[i] = d / n_out
        equilibrium_sample(u_end, widths, weights, weight_offset, offset, K, T, x)
        d = 0.0
        for m in range(n_out):
            d += (x[out + m] - target[out + m]) ** 2
        msd_equilibrium[i] = d / n_out
    return work, msd, msd_equilibrium
