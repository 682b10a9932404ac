"""Model F: a drifting teacher weight x and the student weight y that tracks it, stepped exactly
(docs/science.md, Model F)."""

import numpy as np
from numba import njit, prange

STATE_COLUMNS = ("x", "y", "J", "J_coarse")
"""The columns of ``simulate_pairs``'s result: x, y, and the midpoint sum J on the grids dt and 2 dt."""
X, Y, J_FINE, J_COARSE = range(len(STATE_COLUMNS))
"""Their indices (numba takes integers, not names)."""


@njit(parallel=True, cache=True)
def simulate_pairs(start, propagator, noise, record_steps, generators):
    """Independent trajectories of z = (x, y), each from the steady state z(0) = start xi (``start`` the
    Cholesky factor of the stationary covariance), with the exact step z' = propagator z + noise xi,
    xi ~ N(0, I). Along the way the midpoint sum J = sum x_bar Delta y over steps dt, and the same sum
    over pairs of steps (grid 2 dt) for the Richardson extrapolation.

    Returns, per trajectory, at the start and after each record_steps[j] steps (even, increasing),
    (x, y, J on grid dt, J on grid 2 dt): shape (trajectories, 1 + len(record_steps), STATE_COLUMNS)."""
    n = len(generators)
    out = np.empty((n, 1 + record_steps.shape[0], len(STATE_COLUMNS)))
    for i in prange(n):
        rng = generators[i]
        first = rng.standard_normal()
        x = start[0, 0] * first
        y = start[1, 0] * first + start[1, 1] * rng.standard_normal()
        out[i, 0, X] = x
        out[i, 0, Y] = y
        out[i, 0, J_FINE] = 0.0
        out[i, 0, J_COARSE] = 0.0
        fine = 0.0
        coarse = 0.0
        x_even = x
        y_even = y
        step = 0
        for j in range(record_steps.shape[0]):
            while step < record_steps[j]:
                xi_x = rng.standard_normal()
                xi_y = rng.standard_normal()
                x_new = propagator[0, 0] * x + propagator[0, 1] * y + noise[0, 0] * xi_x
                y_new = propagator[1, 0] * x + propagator[1, 1] * y + noise[1, 0] * xi_x + noise[1, 1] * xi_y
                fine += 0.5 * (x + x_new) * (y_new - y)
                x = x_new
                y = y_new
                step += 1
                if step % 2 == 0:
                    coarse += 0.5 * (x_even + x) * (y - y_even)
                    x_even = x
                    y_even = y
            out[i, j + 1, X] = x
            out[i, j + 1, Y] = y
            out[i, j + 1, J_FINE] = fine
            out[i, j + 1, J_COARSE] = coarse
    return out


@njit(parallel=True, cache=True)
def held_out_errors(teachers, students, test_samples, generators):
    """Per network and record, the number of test inputs xi ~ N(0, I_N), out of ``test_samples``, on
    which teacher and student disagree, sgn(B . xi) != sgn(w . xi). ``teachers`` and ``students`` are
    (networks, records, N); network m draws from generators[m]."""
    networks, records, n_weights = teachers.shape
    errors = np.zeros((networks, records), dtype=np.int64)
    for m in prange(networks):
        rng = generators[m]
        for j in range(records):
            for _ in range(test_samples):
                teacher_field = 0.0
                student_field = 0.0
                for n in range(n_weights):
                    xi = rng.standard_normal()
                    teacher_field += teachers[m, j, n] * xi
                    student_field += students[m, j, n] * xi
                if (teacher_field > 0.0) != (student_field > 0.0):
                    errors[m, j] += 1
    return errors
