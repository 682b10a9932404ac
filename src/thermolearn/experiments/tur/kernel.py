"""Model E: currents of Model B's weights at fixed data (docs/science.md, Model E)."""

import numpy as np
from numba import njit, prange

from thermolearn.experiments.tur import CURRENTS
from thermolearn.ou import ou_step

DISPLACEMENT, WORK, HEAT = (CURRENTS.index(name) for name in ("displacement", "work", "heat"))
"""Row of each current in ``simulate_currents``'s result (numba takes integers, not names)."""


@njit(parallel=True, cache=True)
def simulate_currents(f, k, T, times, generators):
    """Independent trajectories of all weights under one fixed force f, each from the
    equilibrium without force, w_n(0) ~ N(0, T/k). Returns, per trajectory and time, the currents
    J_displacement = sum_n sgn(f_n) Delta w_n, J_work = sum_n f_n Delta w_n and the heat Q
    (sum of the exact per-interval heats): shape (CURRENTS, trajectories, len(times))."""
    n = len(generators)
    currents = np.empty((len(CURRENTS), n, times.shape[0]))
    sign = np.sign(f)
    for i in prange(n):
        rng = generators[i]
        w0 = np.sqrt(T / k) * rng.standard_normal(f.shape[0])
        w = w0.copy()
        heat = 0.0
        t = 0.0
        for j in range(times.shape[0]):
            heat += ou_step(w, f, k, T, times[j] - t, rng)
            t = times[j]
            displacement = 0.0
            work = 0.0
            for m in range(f.shape[0]):
                displacement += sign[m] * (w[m] - w0[m])
                work += f[m] * (w[m] - w0[m])
            currents[DISPLACEMENT, i, j] = displacement
            currents[WORK, i, j] = work
            currents[HEAT, i, j] = heat
    return currents
