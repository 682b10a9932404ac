"""Model F theory: the steady state of a student weight y tracking a drifting teacher weight x
(docs/science.md, Model F),

    dx = -gamma x dt + sqrt(2 gamma) dW_x,    dy = (-k y + c x) dt + sqrt(2T) dW_y,

i.e. dz = A z dt + sqrt(2D) dW with z = (x, y), A = [[-gamma, 0], [c, -k]], D = diag(gamma, T).
Every current is J_g = int (g_x x + g_y y) o dy (Stratonovich); its finite-time mean and variance
in the steady state come from the cumulant generating function (``finite_time_moments``). Every function takes
gamma and c positionally and the rest by keyword, e.g. ``efficiency(gamma, c, k=1, T=1)``.
"""

import numpy as np
from numpy.typing import ArrayLike

from thermolearn.information import generalization_error


def drift(gamma: float, c: float, *, k: float) -> np.ndarray:
    """A = [[-gamma, 0], [c, -k]]."""
    return np.array([[-gamma, 0.0], [c, -k]])


def diffusion(gamma: float, T: float) -> np.ndarray:
    """D = diag(gamma, T): the noise is sqrt(2D) dW."""
    return np.diag([gamma, T])


def stationary_covariance(gamma: float, c: float, *, k: float, T: float) -> np.ndarray:
    """Sigma, from A Sigma + Sigma A^T + 2D = 0: Sigma_xx = 1, Sigma_xy = c/(k+gamma),
    Sigma_yy = T/k + c^2/(k(k+gamma))."""
    xy = c / (k + gamma)
    return np.array([[1.0, xy], [xy, T / k + c * xy / k]])


def exact_step(gamma: float, c: float, *, k: float, T: float, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """The exact step z(t+dt) = P z(t) + L xi, xi ~ N(0, I): P = e^{A dt} and the Cholesky factor L of
    the noise covariance int_0^dt e^{As} 2D e^{A^T s} ds, both from one matrix exponential (Van Loan):
    expm([[-A, 2D], [0, A^T]] dt) = [[., F12], [0, F22]], P = F22^T, L L^T = P F12."""
    from scipy.linalg import expm  # imported here: a job that needs no theory starts faster

    A, D = drift(gamma, c, k=k), diffusion(gamma, T)
    blocks = expm(np.block([[-A, 2.0 * D], [np.zeros((2, 2)), A.T]]) * dt)
    P = blocks[2:, 2:].T
    covariance = P @ blocks[:2, 2:]
    return P, np.linalg.cholesky(0.5 * (covariance + covariance.T))


def E(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """E = T (k+gamma)^2 + c^2 gamma."""
    return T * (k + gamma) ** 2 + c * c * gamma


def overlap(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """rho = Sigma_xy / sqrt(Sigma_xx Sigma_yy) = c / sqrt((k+gamma)(T(k+gamma) + c^2) / k)."""
    return c / np.sqrt((k + gamma) * (T * (k + gamma) + c * c) / k)


def eps_g(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """eps_g = arccos(rho)/pi."""
    return generalization_error(overlap(gamma, c, k=k, T=T))


def regression(gamma: float, c: float, *, k: float, T: float) -> tuple[float, float]:
    """x given y is Gaussian with mean a y and variance s: a = Sigma_xy/Sigma_yy, s = 1 - rho^2."""
    sigma = stationary_covariance(gamma, c, k=k, T=T)
    a = sigma[0, 1] / sigma[1, 1]
    return a, 1.0 - a * sigma[0, 1]


def current_weights(gamma: float, c: float, *, k: float, T: float) -> dict[str, tuple[float, float]]:
    """Each current as alpha J - beta B with J = int x o dy and B = int y o dy = Delta(y^2)/2:
    J itself (1, 0); the student's heat Q_y = int (c x - k y) o dy, (c, k); the information current
    i = int (a/s)(x - a y) o dy, (a/s, a^2/s)."""
    a, s = regression(gamma, c, k=k, T=T)
    return {"J": (1.0, 0.0), "heat": (c, k), "learning": (a / s, a * a / s)}


def rates(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> dict[str, np.ndarray]:
    """Mean rates of the currents: <J>/t = c gamma/(k+gamma); heat rate Q_y/t = c^2 gamma/(k+gamma);
    learning rate l = c^2 k gamma / E = gamma rho^2/(1 - rho^2)."""
    return {"J": c * gamma / (k + gamma), "heat": c * c * gamma / (k + gamma),
            "learning": c * c * k * gamma / E(gamma, c, k=k, T=T)}


def entropy_production(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """sigma_tot = Qdot_y / T = c^2 gamma / (T (k+gamma)) (the teacher's heat is a boundary term)."""
    return c * c * gamma / (T * (k + gamma))


def efficiency(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """eta_ss = T l / Qdot_y = k T (k+gamma) / E = (k - l)/(k+gamma)."""
    return k * T * (k + gamma) / E(gamma, c, k=k, T=T)


def eps_g_bound(heat_rate: ArrayLike, *, gamma: float, T: float) -> np.ndarray:
    """Dissipation bound eps_g >= arccot(sqrt(Qdot_y/(gamma T)))/pi, from l = gamma cot^2(pi eps_g) <= Qdot_y/T."""
    return np.arctan(np.sqrt(gamma * T / heat_rate)) / np.pi


def long_time_variances(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> dict[str, np.ndarray]:
    """lim Var/t: J 2 gamma E/(k+gamma)^3, Q_y c^2 times that, i 2 k l/(k+gamma)."""
    variance_J = 2.0 * gamma * E(gamma, c, k=k, T=T) / (k + gamma) ** 3
    return {"J": variance_J, "heat": c * c * variance_J,
            "learning": 2.0 * k * rates(gamma, c, k=k, T=T)["learning"] / (k + gamma)}


def long_time_ratio(gamma: ArrayLike, c: ArrayLike, *, k: float, T: float) -> np.ndarray:
    """R_inf = (v^2 R)/(sigma_tot/2) as t -> infinity = T (k+gamma)^2 / E, the same for every current."""
    return T * (k + gamma) ** 2 / E(gamma, c, k=k, T=T)


def finite_time_moments(gamma: float, c: float, *, k: float, T: float, weights: tuple[float, float],
                        times: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Exact <J_t> and Var J_t of the current alpha int x o dy - beta int y o dy from the steady state.

    With h = g.z, g = (alpha, -beta), psi(z, t) = <e^{lambda J_t} | z(0) = z> solves the backward equation
    d_t psi = L psi + lambda (h A_y z + T g_y) psi + 2 lambda T h d_y psi + lambda^2 T h^2 psi; the Gaussian
    psi = exp(z^T M z/2 + m) turns it into a Riccati equation, and averaging over z(0) ~ N(0, Sigma) gives the
    cumulant generating function m - ln det(1 - Sigma M)/2. Its first two orders in lambda, M = lambda M1 +
    lambda^2 M2, m = lambda m1 + lambda^2 m2, obey the ODEs (e_y = (0, 1))
        M1' = X1 + X1^T, X1 = A^T M1 + g e_y^T A;            m1' = tr(D M1) + T g_y
        M2' = X2 + X2^T, X2 = A^T M2 + M1 D M1 + 2T g e_y^T M1 + T g g^T;   m2' = tr(D M2)
    from zero, and <J_t> = m1 + tr(Sigma M1)/2, Var J_t = 2 m2 + tr(Sigma M2) + tr((Sigma M1)^2)/2."""
    A, D, sigma = drift(gamma, c, k=k), diffusion(gamma, T), stationary_covariance(gamma, c, k=k, T=T)
    alpha, beta = weights
    g = np.array([alpha, -beta])
    drive = np.outer(g, [0.0, 1.0])  # g e_y^T

    def derivatives(_, state):
        M1, M2 = state[:4].reshape(2, 2), state[4:8].reshape(2, 2)
        X1 = A.T @ M1 + drive @ A
        X2 = A.T @ M2 + M1 @ D @ M1 + 2.0 * T * drive @ M1 + T * np.outer(g, g)
        return np.concatenate([(X1 + X1.T).ravel(), (X2 + X2.T).ravel(), [np.trace(D @ M1) + T * g[1],
                                                                          np.trace(D @ M2)]])

    times = np.asarray(times, dtype=float)
    from scipy.integrate import solve_ivp

    solution = solve_ivp(derivatives, (0.0, times[-1]), np.zeros(10), t_eval=times, method="LSODA",
                         rtol=1e-10, atol=1e-12)
    mean, variance = np.empty(len(times)), np.empty(len(times))
    for j, state in enumerate(solution.y.T):
        M1, M2, m1, m2 = state[:4].reshape(2, 2), state[4:8].reshape(2, 2), state[8], state[9]
        sigma_M1 = sigma @ M1
        mean[j] = m1 + 0.5 * np.trace(sigma_M1)
        variance[j] = 2.0 * m2 + np.trace(sigma @ M2) + 0.5 * np.trace(sigma_M1 @ sigma_M1)
    return mean, variance


def midpoint_rate(gamma: float, c: float, *, k: float, T: float, weights: tuple[float, float], dt: float) -> float:
    """Mean per unit time of the midpoint sum sum (g.z_bar) Delta y on a grid dt, exact for the stationary
    chain: (1/2) g.[(Sigma P^T)_{:,y} - (P Sigma)_{:,y}] / dt with P = e^{A dt}; it falls short of the
    continuous rate by O(dt), about (k+gamma) dt/2 relative for J."""
    from scipy.linalg import expm

    P = expm(drift(gamma, c, k=k) * dt)
    sigma = stationary_covariance(gamma, c, k=k, T=T)
    alpha, beta = weights
    return 0.5 * np.array([alpha, -beta]) @ ((sigma @ P.T)[:, 1] - (P @ sigma)[:, 1]) / dt


def point_theory(gamma: float, c: float, *, k: float, T: float, times: ArrayLike) -> dict[str, np.ndarray]:
    """Every ``_theory`` column of one (gamma, c) point at ``times``: per current the rate, the exact
    finite-time variance and TUR ratio 2 <J_t>^2 / (Var J_t sigma_tot t); sigma_tot, eta_ss, rho, eps_g
    (also for the held-out test) and its dissipation bound."""
    times = np.asarray(times, dtype=float)
    sigma_tot = entropy_production(gamma, c, k=k, T=T)
    columns = {}
    for current, weights in current_weights(gamma, c, k=k, T=T).items():
        mean, variance = finite_time_moments(gamma, c, k=k, T=T, weights=weights, times=times)
        columns[f"{current}_rate"] = mean / times
        columns[f"{current}_variance"] = variance
        columns[f"{current}_ratio"] = 2.0 * mean**2 / (variance * sigma_tot * times)
    columns["entropy_production"] = sigma_tot
    columns["eta"] = efficiency(gamma, c, k=k, T=T)
    columns["overlap"] = overlap(gamma, c, k=k, T=T)
    columns["eps_g"] = columns["eps_g_test"] = eps_g(gamma, c, k=k, T=T)
    columns["eps_g_bound"] = eps_g_bound(rates(gamma, c, k=k, T=T)["heat"], gamma=gamma, T=T)
    return {name: np.broadcast_to(value, times.shape) for name, value in columns.items()}
