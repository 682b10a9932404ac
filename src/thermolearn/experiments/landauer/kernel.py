"""Model A: erasure of one bit in a double well (docs/science.md, Model A)."""

import numpy as np
from numba import njit, prange

from thermolearn.experiments.landauer import PROTOCOLS, theory

ERASURE, CONTROL = PROTOCOLS["erasure"], PROTOCOLS["control"]
"""Protocols: erasure tilts the well towards x > 0 while the barrier is low; control does not."""

potential = njit(cache=True, inline="always")(theory.potential)


@njit(cache=True, inline="always")
def force(x, b, a, E0):
    """F = -dV/dx = -E0 [4 b x (x^2 - 1) - a]."""
    return -E0 * (4.0 * b * x * (x * x - 1.0) - a)


@njit(cache=True)
def controls(s, b_min, a_max, tilt):
    """(b, a) at the fraction s in [0, 1] of the protocol: four equal stages, each control ramped
    linearly: lower the barrier 1 -> b_min, tilt 0 -> a_max, raise the barrier, remove the tilt.
    The control protocol (tilt = 0) has a = 0 throughout."""
    stage = min(int(s * 4.0), 3)
    u = s * 4.0 - stage
    if stage == 0:
        return 1.0 - (1.0 - b_min) * u, 0.0
    if stage == 1:
        return b_min, tilt * a_max * u
    if stage == 2:
        return b_min + (1.0 - b_min) * u, tilt * a_max
    return 1.0, tilt * a_max * (1.0 - u)


def equilibrium_grid(E0, T, points=20001):
    """Grid and CDF of the Boltzmann density exp(-V(x; 1, 0)/T), for inverse-CDF sampling of
    the initial state (one bit of entropy: both wells equally likely)."""
    span = 1.0 + 1.0 / np.sqrt(E0 / T)
    x = np.linspace(-1.0 - 8 * (span - 1.0) - 0.5, 1.0 + 8 * (span - 1.0) + 0.5, points)
    density = np.exp(-E0 * (x * x - 1.0) ** 2 / T)
    cdf = np.concatenate(([0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * np.diff(x))))
    return x, cdf / cdf[-1]


@njit(parallel=True, cache=True)
def simulate_erasure(protocol, tau, dt, E0, T, b_min, a_max, grid, cdf, generators):
    """Euler-Maruyama trajectories of dx = F dt + sqrt(2T) dW under the protocol of duration tau.

    Work per step, exact for the simulated chain: W += V(x_i; lambda_{i+1}) - V(x_i; lambda_i),
    then x moves with the new lambda. Heat is the potential drop at fixed lambda, so that
    W = Delta V + Q holds per trajectory to round-off.
    Returns x(0), x(tau), W and Q per trajectory.
    """
    n = len(generators)
    steps = max(int(round(tau / dt)), 1)
    h = tau / steps
    noise = np.sqrt(2.0 * T * h)
    tilt = 1.0 if protocol == ERASURE else 0.0
    x_start = np.empty(n)
    x_end = np.empty(n)
    work = np.empty(n)
    heat = np.empty(n)
    for i in prange(n):
        rng = generators[i]
        x = np.interp(rng.random(), cdf, grid)
        x_start[i] = x
        b, a = 1.0, 0.0
        w = 0.0
        q = 0.0
        for step in range(steps):
            b_next, a_next = controls((step + 1) / steps, b_min, a_max, tilt)
            v_old = potential(x, b_next, a_next, E0)
            w += v_old - potential(x, b, a, E0)
            b, a = b_next, a_next
            x += force(x, b, a, E0) * h + noise * rng.standard_normal()
            q += v_old - potential(x, b, a, E0)
        x_end[i] = x
        work[i] = w
        heat[i] = q
    return x_start, x_end, work, heat
