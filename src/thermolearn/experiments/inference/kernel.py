"""Model D: quasi-static inference in an analog network of overdamped neurons (docs/science.md, Model D).

Layers l = 1..L of widths n_l are flat arrays: neuron i of layer l sits at x[offset[l-1] + i];
W^(l) (n_l x n_(l-1)) sits row-major in a flat array from weight_offset[l-1]. x^(0) = u.
H(x; u) = sum_l sum_i (K/2) (x_i^(l) - tanh(a_i^(l)))^2 with a^(l) = W^(l) x^(l-1).
The first layer's targets tanh(W^(1) u) depend on the input only: they are computed once per
input (``input_targets``) and passed to the kernels, which see u through them alone.
"""

import numpy as np
from numba import njit, prange


@njit(cache=True)
def input_targets(u, widths, weights):
    """tanh(W^(1) u), the first layer's targets."""
    targets = np.empty(widths[1])
    for i in range(widths[1]):
        a = 0.0
        for j in range(widths[0]):
            a += weights[i * widths[0] + j] * u[j]
        targets[i] = np.tanh(a)
    return targets


@njit(cache=True)
def _activate(l, x, widths, weights, weight_offset, offset, act):
    """act^(l) = tanh(W^(l) x^(l-1)) for a layer l >= 2."""
    n_in = widths[l - 1]
    below = offset[l - 2]
    for i in range(widths[l]):
        a = 0.0
        row = weight_offset[l - 1] + i * n_in
        for j in range(n_in):
            a += weights[row + j] * x[below + j]
        act[offset[l - 1] + i] = np.tanh(a)


@njit(cache=True)
def energy(x, targets, widths, weights, weight_offset, offset, act, residual):
    """Fill the activations of layers l >= 2 and the residuals e = x - tanh(a); return H/K."""
    for i in range(widths[1]):
        act[i] = targets[i]
    for l in range(2, widths.shape[0]):
        _activate(l, x, widths, weights, weight_offset, offset, act)
    total = 0.0
    for m in range(x.shape[0]):
        residual[m] = x[m] - act[m]
        total += 0.5 * residual[m] * residual[m]
    return total


@njit(cache=True)
def equilibrium_sample(targets, widths, weights, weight_offset, offset, K, T, x, rng):
    """Exact sample of exp(-H/T) into x, layer by layer: x^(l) = tanh(W^(l) x^(l-1)) + sqrt(T/K) z."""
    for l in range(1, widths.shape[0]):
        if l == 1:
            x[:widths[1]] = targets
        else:
            _activate(l, x, widths, weights, weight_offset, offset, x)
        for m in range(offset[l - 1], offset[l]):
            x[m] += np.sqrt(T / K) * rng.standard_normal()


@njit(cache=True)
def feedforward(u, widths, weights, weight_offset, offset):
    """The network's deterministic activations, the minimum H = 0."""
    x = np.empty(offset[-1])
    x[:widths[1]] = input_targets(u, widths, weights)
    for l in range(2, widths.shape[0]):
        _activate(l, x, widths, weights, weight_offset, offset, x)
    return x


@njit(cache=True)
def _protocol_targets(u_start, u_end, steps, widths, weights):
    """Row s: tanh(W^(1) u_s) with u_s = u_start + (u_end - u_start) s / steps, s = 0..steps."""
    targets = np.empty((steps + 1, widths[1]))
    for s in range(steps + 1):
        targets[s] = input_targets(u_start + (u_end - u_start) * (s / steps), widths, weights)
    return targets


@njit(cache=True)
def euler_step(x, targets, widths, weights, weight_offset, offset, K, h, noise, act, residual, gradient, rng):
    """One Euler-Maruyama step of dx = -dH/dx dt + sqrt(2T) dW at the input of ``targets`` (noise = sqrt(2 T h))."""
    n_neurons = x.shape[0]
    energy(x, targets, widths, weights, weight_offset, offset, act, residual)
    # dH/dx^(l) = K e^(l) - W^(l+1)^T (K e^(l+1) tanh'(a^(l+1)))
    for m in range(n_neurons):
        gradient[m] = K * residual[m]
    for l in range(2, widths.shape[0]):
        n_in = widths[l - 1]
        for k_out in range(widths[l]):
            c = offset[l - 1] + k_out
            back = K * residual[c] * (1.0 - act[c] * act[c])
            row = weight_offset[l - 1] + k_out * n_in
            for j in range(n_in):
                gradient[offset[l - 2] + j] -= weights[row + j] * back
    for m in range(n_neurons):
        x[m] += -gradient[m] * h + noise * rng.standard_normal()


@njit(parallel=True, cache=True)
def simulate_inference(u_start, u_end, tau, dt, K, T, widths, weights, weight_offset, offset, relax_steps,
                       generators):
    """Euler-Maruyama trajectories of dx = -dH/dx dt + sqrt(2T) dW while the input moves linearly
    from u_start to u_end in time tau, from equilibrium at u_start. Work per step, exact for the
    chain: W += H(x; u_(s+1)) - H(x; u_s) (only layer 1 depends on u), then x moves with the
    new input. Returns W, the mean squared deviation of the output layer from the feedforward
    output at u_end, and the same in the chain's own equilibrium at u_end: an exact equilibrium sample
    relaxed by ``relax_steps`` steps of the same chain (its stationary law differs from the exact one by
    O(K dt): 2.4 % of the output deviation at K dt = 0.1)."""
    n = len(generators)
    steps = max(int(round(tau / dt)), 1)
    h = tau / steps
    noise = np.sqrt(2.0 * T * h)
    n_neurons = offset[-1]
    n_first = widths[1]
    n_out = widths[-1]
    out = offset[-2]
    targets = _protocol_targets(u_start, u_end, steps, widths, weights)
    final = feedforward(u_end, widths, weights, weight_offset, offset)
    work = np.empty(n)
    msd = np.empty(n)
    msd_equilibrium = np.empty(n)
    for i in prange(n):
        rng = generators[i]
        x = np.empty(n_neurons)
        act = np.empty(n_neurons)
        residual = np.empty(n_neurons)
        gradient = np.empty(n_neurons)
        equilibrium_sample(targets[0], widths, weights, weight_offset, offset, K, T, x, rng)
        w = 0.0
        for s in range(steps):
            for m in range(n_first):
                w += 0.5 * K * ((x[m] - targets[s + 1, m]) ** 2 - (x[m] - targets[s, m]) ** 2)
            euler_step(x, targets[s + 1], widths, weights, weight_offset, offset, K, h, noise, act, residual,
                       gradient, rng)
        work[i] = w
        d = 0.0
        for m in range(n_out):
            d += (x[out + m] - final[out + m]) ** 2
        msd[i] = d / n_out
        equilibrium_sample(targets[steps], widths, weights, weight_offset, offset, K, T, x, rng)
        for _ in range(relax_steps):
            euler_step(x, targets[steps], widths, weights, weight_offset, offset, K, h, noise, act, residual,
                       gradient, rng)
        d = 0.0
        for m in range(n_out):
            d += (x[out + m] - final[out + m]) ** 2
        msd_equilibrium[i] = d / n_out
    return work, msd, msd_equilibrium
