"""The exact Ornstein-Uhlenbeck step shared by the learning models (B, C, E)."""

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def ou_step(w, f, k, T, dt):
    """Advance w in place over dt under dw = (-k w + f) dt + sqrt(2T) dW, exactly:
    w(t+dt) = w e^{-k dt} + (f/k)(1 - e^{-k dt}) + sqrt(T (1 - e^{-2k dt}) / k) z."""
    decay = np.exp(-k * dt)
    drift = (1.0 - decay) / k
    noise = np.sqrt(T * (1.0 - decay * decay) / k)
    for n in range(w.shape[0]):
        w[n] = w[n] * decay + f[n] * drift + noise * np.random.standard_normal()
