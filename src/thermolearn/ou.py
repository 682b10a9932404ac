"""Pieces shared by the learning kernels (Models B, C, E): the exact OU step and random spins."""

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def ou_step(w: np.ndarray, f: np.ndarray, k: float, T: float, dt: float, rng: np.random.Generator) -> float:
    """Advance w in place over dt under dw = (-k w + f) dt + sqrt(2T) dW, exactly:
    w(t+dt) = w e^{-k dt} + (f/k)(1 - e^{-k dt}) + sqrt(T (1 - e^{-2k dt}) / k) z.

    Returns the heat released, summed over weights, exact for the constant force:
    Q = sum_n f_n Delta w_n - (k/2) Delta(w_n^2)."""
    decay = np.exp(-k * dt)
    drift = (1.0 - decay) / k
    noise = np.sqrt(T * (1.0 - decay * decay) / k)
    heat = 0.0
    for n in range(w.shape[0]):
        old = w[n]
        w[n] = old * decay + f[n] * drift + noise * rng.standard_normal()
        heat += f[n] * (w[n] - old) - 0.5 * k * (w[n] * w[n] - old * old)
    return heat


_TWO_POW_52 = 4503599627370496.0


@njit(cache=True)
def random_spins(out: np.ndarray, rng: np.random.Generator) -> None:
    """Fill ``out`` with i.i.d. uniform +-1, 52 spins per uniform draw."""
    flat = out.reshape(-1)
    bits = np.uint64(0)
    left = 0
    for i in range(flat.shape[0]):
        if left == 0:
            bits = np.uint64(rng.random() * _TWO_POW_52)
            left = 52
        flat[i] = 2.0 * np.float64(bits & np.uint64(1)) - 1.0
        bits >>= np.uint64(1)
        left -= 1
