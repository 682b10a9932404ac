"""Model H theory for N -> infinity: the soft committee machine's order-parameter ODEs in Model C's
continuous-time form (docs/science.md, Model H).

The fields z = (u_1..u_M, h_1..h_K) = (B_m.xi, w_i.xi)/sqrt(N) are jointly Gaussian with covariance
Sigma = [[T_mn, R^T], [R, Q]] (T_mn = delta_mn: orthonormal teacher); every average of backprop's
delta_i = (y - y_S) g'(h_i), g(x) = erf(x/sqrt 2), is Saad & Solla's closed-form I2, I3 or I4 of Sigma's
entries; the force field g_i = f_i.xi/sqrt(N) enters by regression on z. ``VARIANTS`` are the wrong
versions the tests must flag (negative controls), never used by the pipeline.
"""

from dataclasses import dataclass

import numpy as np

TWO_OVER_PI = 2.0 / np.pi

VARIANTS = ("no_nu2", "g_after_jump", "wrong_I3", "no_force_field", "C_not_transposed")
"""Wrong versions of the ODEs (negative controls): drop the nu^2 <delta_i delta_j> term; use the field of f
after the arriving sample (g -> g + nu delta); I3 without its -C_ab C_ac term; drop <g_i delta_j>;
regress on C instead of C^T."""


@dataclass(frozen=True)
class Model:
    """The parameters of the ODEs: K student and M teacher units, learning rate nu, stiffness k,
    temperature T, samples per weight per unit time r, initial force epsilon, label noise sigma_y,
    ``lean`` the K x M matrix O of the initial force f_i(0) = k eps sum_m O_im B_m."""

    K: int
    M: int
    nu: float
    k: float
    T: float
    r: float = 1.0
    epsilon: float = 0.0
    sigma_y: float = 0.0
    lean: np.ndarray | None = None

    @property
    def O(self) -> np.ndarray:  # noqa: E743
        """O (default ``default_lean``)."""
        return default_lean(self.K, self.M) if self.lean is None else np.asarray(self.lean, dtype=float)


def default_lean(K: int, M: int) -> np.ndarray:
    """O_im = delta_{i mod M, m} / (1 + floor(i/M)) (0-based i): unit i leans towards teacher i mod M, the j-th unit
    on a teacher with 1/j; the K x M identity for K <= M. No two units lean alike, so no unit sits on a symmetric
    manifold that only finite-N noise could leave (a unit without a lean, K > M, escapes at random, docs/science.md)."""
    O = np.zeros((K, M))
    for i in range(K):
        O[i, i % M] = 1.0 / (1 + i // M)
    return O


def signs(K: int, M: int) -> np.ndarray:
    """s_c = +1 for the M teacher fields, -1 for the K student fields: y_T - y_S = sum_c s_c g(z_c)."""
    return np.concatenate([np.ones(M), -np.ones(K)])


def field_covariance(R: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """Sigma = [[T_mn, R^T], [R, Q]] of z = (u, h), T_mn = delta_mn; for stacked (..., K, M) R and (..., K, K) Q."""
    R, Q = np.asarray(R), np.asarray(Q)
    M = R.shape[-1]
    teacher = np.broadcast_to(np.eye(M), (*R.shape[:-2], M, M))
    return np.concatenate([np.concatenate([teacher, np.swapaxes(R, -1, -2)], axis=-1),
                           np.concatenate([R, Q], axis=-1)], axis=-2)


def I2(C: np.ndarray) -> np.ndarray:
    """I2(a, b) = <g(z_a) g(z_b)> = (2/pi) arcsin(C_ab / sqrt((1 + C_aa)(1 + C_bb))), all pairs (stacked C too)."""
    d = 1.0 + np.diagonal(C, axis1=-2, axis2=-1)
    return TWO_OVER_PI * np.arcsin(np.clip(C / np.sqrt(d[..., :, None] * d[..., None, :]), -1.0, 1.0))


def I3(C: np.ndarray, a: np.ndarray, *, wrong: bool = False) -> np.ndarray:
    """I3(a, b, c) = <g'(z_a) z_b g(z_c)> = (2/pi) [C_bc (1 + C_aa) - C_ab C_ac] / [(1 + C_aa) sqrt(Lambda3)],
    Lambda3 = (1 + C_aa)(1 + C_cc) - C_ac^2; array [a, b, c] for the indices ``a`` and every b, c.
    ``wrong``: without the -C_ab C_ac term (a negative control)."""
    d = 1.0 + np.diag(C)
    Caa = d[a][:, None, None]
    Cab = C[a][:, :, None]
    Cac = C[a][:, None, :]
    Cbc = C[None, :, :]
    lam3 = Caa * d[None, None, :] - Cac**2
    numerator = Cbc * Caa - (0.0 if wrong else Cab * Cac)
    return TWO_OVER_PI * numerator / (Caa * np.sqrt(lam3))


def I4(C: np.ndarray, a: np.ndarray) -> np.ndarray:
    """I4(a, b, c, d) = <g'(z_a) g'(z_b) g(z_c) g(z_d)> = (4/pi^2) Lambda4^{-1/2} arcsin(Lambda0 / sqrt(Lambda1
    Lambda2)) (Saad & Solla; valid for a = b); array [a, b, c, d] for a, b in the indices ``a``, every c, d."""
    d = 1.0 + np.diag(C)
    A = a[:, None, None, None]
    Bi = a[None, :, None, None]
    c = np.arange(len(d))[None, None, :, None]
    e = np.arange(len(d))[None, None, None, :]
    Caa, Cbb, Ccc, Cdd = d[A], d[Bi], d[c], d[e]
    Cab, Cac, Cad, Cbc, Cbd, Ccd = C[A, Bi], C[A, c], C[A, e], C[Bi, c], C[Bi, e], C[c, e]
    lam4 = Caa * Cbb - Cab**2
    lam0 = lam4 * Ccd - Cbc * Cbd * Caa - Cac * Cad * Cbb + Cab * Cac * Cbd + Cab * Cad * Cbc
    lam1 = lam4 * Ccc - Cbc**2 * Caa - Cac**2 * Cbb + 2.0 * Cab * Cac * Cbc
    lam2 = lam4 * Cdd - Cbd**2 * Caa - Cad**2 * Cbb + 2.0 * Cab * Cad * Cbd
    return 4.0 / np.pi**2 / np.sqrt(lam4) * np.arcsin(np.clip(lam0 / np.sqrt(lam1 * lam2), -1.0, 1.0))


def backprop_averages(R: np.ndarray, Q: np.ndarray, sigma_y: float = 0.0, *, wrong_I3: bool = False):
    """(Sigma, D, DD): D[j, b] = <delta_j z_b> = sum_c s_c I3(h_j, z_b, z_c) and DD[i, j] = <delta_i delta_j> =
    sum_cd s_c s_d I4(h_i, h_j, z_c, z_d) + sigma_y^2 (2/pi)/sqrt((1 + Q_ii)(1 + Q_jj) - Q_ij^2)."""
    K, M = R.shape
    C = field_covariance(R, Q)
    s = signs(K, M)
    students = np.arange(M, M + K)
    D = np.einsum("jbc,c->jb", I3(C, students, wrong=wrong_I3), s)
    DD = np.einsum("ijcd,c,d->ij", I4(C, students), s, s)
    if sigma_y:
        d = 1.0 + np.diag(Q)
        DD = DD + sigma_y**2 * TWO_OVER_PI / np.sqrt(np.outer(d, d) - Q**2)
    return C, D, DD


def force_field_average(C: np.ndarray, D: np.ndarray, Rf: np.ndarray, Cw: np.ndarray, *,
                        transposed: bool = True) -> np.ndarray:
    """GD[i, j] = <g_i delta_j> = beta_i . <z delta_j>, beta_i = Sigma^{-1} Cov(z, g_i) with Cov(u_m, g_i) = R^f_im,
    Cov(h_l, g_i) = C_li (``transposed`` False: C_il, the negative control)."""
    cov = np.vstack([Rf.T, Cw if transposed else Cw.T])  # column i: Cov(z, g_i)
    beta = np.linalg.solve(C, cov)
    return beta.T @ D.T


def unpack(y: np.ndarray, K: int, M: int):
    """State vector -> (R, Q, R^f, C, F, heat per weight)."""
    a, b = K * M, K * K
    return (y[:a].reshape(K, M), y[a:a + b].reshape(K, K), y[a + b:2 * a + b].reshape(K, M),
            y[2 * a + b:2 * a + 2 * b].reshape(K, K), y[2 * a + 2 * b:2 * a + 3 * b].reshape(K, K), y[-1])


def pack(R, Q, Rf, C, F, heat) -> np.ndarray:
    """(R, Q, R^f, C, F, heat per weight) -> state vector."""
    return np.concatenate([R.ravel(), Q.ravel(), Rf.ravel(), C.ravel(), F.ravel(), [heat]])


def initial_state(model: Model) -> np.ndarray:
    """R = eps O, Q = eps^2 O O^T + (T/k) 1, R^f = k eps O, C = k eps^2 O O^T, F = k^2 eps^2 O O^T, no heat
    (orthonormal teacher, T_mn = delta_mn): in equilibrium with the initial force."""
    O, eps, k = model.O, model.epsilon, model.k
    OO = O @ O.T
    return pack(eps * O, eps**2 * OO + (model.T / k) * np.eye(model.K), k * eps * O, k * eps**2 * OO,
                k**2 * eps**2 * OO, 0.0)


def symmetrise(y: np.ndarray, K: int, M: int) -> np.ndarray:
    """Project a state (or rate) on the symmetric manifold of the eps = 0 start: every R_im and R^f_im equal,
    equal diagonals and equal off-diagonals of Q, C and F (invariant under permutations of the students and,
    separately, of the teachers)."""
    R, Q, Rf, C, F, heat = unpack(y, K, M)
    off = ~np.eye(K, dtype=bool)

    def square(X):
        out = np.full((K, K), X[off].mean() if K > 1 else 0.0)
        np.fill_diagonal(out, np.diag(X).mean())
        return out

    return pack(np.full_like(R, R.mean()), square(Q), np.full_like(Rf, Rf.mean()), square(C), square(F), heat)


def rates(t: float, y: np.ndarray, model: Model, variant: str | None = None, symmetric: bool = False) -> np.ndarray:
    """d/dt of (R, Q, R^f, C, F, heat per weight):
    R' = -kR + R^f, Q' = -2kQ + C + C^T + 2T 1, R^f'_jm = r nu <delta_j u_m>,
    C'_ij = -kC_ij + F_ij + r nu <h_i delta_j>, F'_ij = r[nu(<g_i delta_j> + <g_j delta_i>) + nu^2 <delta_i delta_j>],
    q' = Tr(F - 2kC + k^2 Q)/K - kT. ``variant``: one of VARIANTS (negative controls); ``symmetric``: projected."""
    K, M, nu, k, T, r = model.K, model.M, model.nu, model.k, model.T, model.r
    R, Q, Rf, C, F, _ = unpack(y, K, M)
    Sigma, D, DD = backprop_averages(R, Q, model.sigma_y, wrong_I3=variant == "wrong_I3")
    GD = force_field_average(Sigma, D, Rf, C, transposed=variant != "C_not_transposed")
    if variant == "no_force_field":
        GD = np.zeros_like(GD)
    if variant == "g_after_jump":
        GD = GD + nu * DD
    noise = 0.0 if variant == "no_nu2" else nu**2 * DD
    dR = -k * R + Rf
    dQ = -2 * k * Q + C + C.T + 2 * T * np.eye(K)
    dRf = r * nu * D[:, :M]
    dC = -k * C + F + r * nu * D[:, M:].T
    dF = r * (nu * (GD + GD.T) + noise)
    dheat = np.trace(F - 2 * k * C + k**2 * Q) / K - k * T
    out = pack(dR, dQ, dRf, dC, dF, dheat)
    return symmetrise(out, K, M) if symmetric else out


def integrate(model: Model, t, *, variant: str | None = None, symmetric: bool = False, rtol: float = 1e-10,
              atol: float = 1e-12) -> np.ndarray:
    """States (len(t), size) of the ODEs from ``initial_state`` at the times t (LSODA); ``symmetric``
    integrates the rates projected on the symmetric manifold (``symmetrise``), which round-off would leave."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    y0 = initial_state(model)
    if symmetric:
        y0 = symmetrise(y0, model.K, model.M)
    if t.max() == 0.0:
        return np.tile(y0, (len(t), 1))
    from scipy.integrate import solve_ivp  # imported here: the simulate jobs and the registry do not need scipy

    solution = solve_ivp(rates, (0.0, t.max()), y0, args=(model, variant, symmetric), t_eval=t, rtol=rtol,
                         atol=atol, method="LSODA")
    if not solution.success:
        raise RuntimeError(f"Model H ODEs failed: {solution.message}")
    return solution.y.T


def irwin_hall_negentropy(M: int) -> float:
    """J(y_T) = 1/2 ln(2 pi e M/3) - H(y_T), y_T a sum of M independent uniforms on (-1, 1) (orthonormal teacher,
    erf units): 0.02306 nats at M = 2, 0.00650 at M = 3; by quadrature of the Irwin-Hall density."""
    if M == 1:
        return 0.5 * np.log(2 * np.pi * np.e / 3) - np.log(2.0)
    from math import comb, factorial

    def density(y):  # Irwin-Hall of x = (y + M)/2 on (0, M), times the Jacobian 1/2
        x = (y + M) / 2.0
        return 0.5 * sum((-1) ** j * comb(M, j) * max(x - j, 0.0) ** (M - 1) for j in range(M + 1)) / factorial(M - 1)

    points = list(range(-M + 2, M - 1, 2))
    from scipy.integrate import quad

    entropy = quad(lambda y: -density(y) * np.log(density(y)) if density(y) > 0 else 0.0, -M, M, points=points,
                   limit=200, epsabs=1e-13)[0]
    return 0.5 * np.log(2 * np.pi * np.e * M / 3.0) - entropy


def generalisation_error(R: np.ndarray, Q: np.ndarray, sigma_y: float = 0.0) -> np.ndarray:
    """eps_g = 1/2 <(y_T - y_S)^2> = (1/2) sum_cd s_c s_d I2(c, d) (+ sigma_y^2 / 2), for stacked (..., K, M) R."""
    R = np.asarray(R)
    s = signs(*R.shape[-2:])
    return 0.5 * np.einsum("c,...cd,d->...", s, I2(field_covariance(R, Q)), s) + 0.5 * sigma_y**2


def field_information(R: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """I_uh = -1/2 ln det(1 - Q^{-1} R T^{-1} R^T) nats per input (T = 1: orthonormal teacher), for stacked R, Q."""
    R, Q = np.asarray(R), np.asarray(Q)
    K = Q.shape[-1]
    return -0.5 * np.linalg.slogdet(np.eye(K) - np.linalg.solve(Q, R @ np.swapaxes(R, -1, -2)))[1]


def output_information(R: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """I_out = -1/2 ln(1 - rho_y^2) - J(y_T): rho_y = <y_T y_S>/sqrt(<y_T^2><y_S^2>) from I2, J the negentropy
    of y_T (``irwin_hall_negentropy``); a lower bound on I(y_T; y_S | W) per input."""
    R = np.asarray(R)
    M = R.shape[-1]
    i2 = I2(field_covariance(R, Q))
    rho = i2[..., :M, M:].sum(axis=(-1, -2)) / np.sqrt(i2[..., :M, :M].sum(axis=(-1, -2))
                                                        * i2[..., M:, M:].sum(axis=(-1, -2)))
    return -0.5 * np.log1p(-rho**2) - irwin_hall_negentropy(M)


def log_det(Q: np.ndarray) -> np.ndarray:
    """ln det Q for stacked Q."""
    return np.linalg.slogdet(Q)[1]


def derived(R, Q, heat, model: Model) -> dict[str, np.ndarray]:
    """The quantities of the summary from (averaged) order parameters: eps_g, the joint entropy change
    Delta S = ln(det Q / det Q(0))/(2K) per weight, I_uh and I_out per input, Delta I_uh / K per weight
    (``information``), the cost Delta S + Q/T and eta = (Delta I_uh / K) / cost; ``heat`` per weight in units of T."""
    R0, Q0, *_ = unpack(initial_state(model), model.K, model.M)
    K = model.K
    entropy_change = (log_det(Q) - log_det(Q0)) / (2 * K)
    I_uh = field_information(R, Q)
    information = (I_uh - field_information(R0, Q0)) / K
    cost = entropy_change + heat
    with np.errstate(divide="ignore", invalid="ignore"):  # eta = 0/0 at t = 0
        eta = information / cost
    return {"eps_g": generalisation_error(R, Q, model.sigma_y), "entropy_change": entropy_change, "I_uh": I_uh,
            "I_out": output_information(R, Q), "information": information, "cost": cost, "eta": eta}


def order_parameters(model: Model, t, *, variant: str | None = None, symmetric: bool = False) -> dict[str, np.ndarray]:
    """The ODE solution at the times t: matrices R, Q, Rf, C, F (len(t), ., .), heat per weight in units of T, and
    ``derived``'s quantities."""
    states = integrate(model, t, variant=variant, symmetric=symmetric)
    R, Q, Rf, C, F, heat = (np.stack(x) for x in zip(*(unpack(y, model.K, model.M) for y in states)))
    out = {"R": R, "Q": Q, "Rf": Rf, "C": C, "F": F, "heat": heat / model.T}
    return out | derived(R, Q, out["heat"], model)


def heat_rate(y: np.ndarray, model: Model) -> float:
    """The heat rate per weight in units of T from a state: [Tr(F - 2kC + k^2 Q)/K - kT] / T."""
    R, Q, Rf, C, F, _ = unpack(y, model.K, model.M)
    k = model.k
    return (np.trace(F - 2 * k * C + k**2 * Q) / model.K - k * model.T) / model.T


def plateau_heat_rate(R: np.ndarray, Q: np.ndarray, model: Model) -> float:
    """The plateau's exact heat rate per weight, Qdot/T = (r nu/(k K)) [(nu/(2T)) sum_j <delta_j^2> +
    sum_j <d^2L/dh_j^2>], d^2L/dh_j^2 = g'(h_j)^2 - (y - y_S) g''(h_j), g'' = -x g': <g'(h_j)^2> =
    (2/pi)/sqrt(1 + 2 Q_jj) and <(y - y_S) g''(h_j)> = -sum_c s_c I3(h_j, h_j, z_c); valid at a fixed point."""
    K, M = model.K, model.M
    Sigma, D, DD = backprop_averages(R, Q, model.sigma_y)
    students = np.arange(M, M + K)
    curvature = TWO_OVER_PI / np.sqrt(1.0 + 2.0 * np.diag(Q)) + D[np.arange(K), students]
    return model.r * model.nu / (model.k * K) * (model.nu / (2 * model.T) * np.trace(DD) + curvature.sum())


def plateau_state(model: Model) -> np.ndarray:
    """The symmetric plateau, the fixed point of the ODEs on the symmetric manifold (``symmetrise``) of the
    eps = 0 start: the symmetrised ODEs integrated over 200 relaxation times 1/min(k, r nu), then the root of the
    projected rates (scipy.optimize.root); the heat component is 0."""
    from scipy.optimize import root

    K, M = model.K, model.M
    sym = Model(K, M, model.nu, model.k, model.T, model.r, 0.0, model.sigma_y)
    guess = integrate(sym, [200.0 / min(model.k, model.r * model.nu)], symmetric=True, rtol=1e-8, atol=1e-10)[-1]

    def residual(y):
        y = np.append(y, 0.0)
        return (rates(0.0, symmetrise(y, K, M), sym, symmetric=True) + y - symmetrise(y, K, M))[:-1]

    solution = root(residual, guess[:-1], method="hybr", tol=1e-13)
    if not solution.success or np.abs(residual(solution.x)).max() > 1e-9:
        raise RuntimeError(f"no symmetric plateau found at nu = {model.nu}: {solution.message}")
    return np.append(solution.x, 0.0)


def escape(model: Model, *, points: int = 8000) -> dict[str, float]:
    """The plateau of a run from eps > 0 (theory): the symmetric plateau's eps_g (``plateau_state``), the times
    where eps_g first comes within PLATEAU_BAND of it and last leaves it (``t_in``, ``t_out``; linear interpolation
    on ``points`` times), the plateau's length in alpha, its heat rate per weight (the identity
    ``plateau_heat_rate``), the heat/T and the cost Delta S + Q/T per weight paid on the plateau (between t_in and
    t_out), and the cost from t = 0 to t_out."""
    K, M = model.K, model.M
    plateau = plateau_state(model)
    Rp, Qp, *_ = unpack(plateau, K, M)
    eps_plateau = float(generalisation_error(Rp, Qp, model.sigma_y))
    rate = plateau_heat_rate(Rp, Qp, model)
    t_max = 3.0 * (10.0 + np.log(1.0 / max(model.epsilon, 1e-12))) / escape_rate(plateau, model)
    t = np.linspace(0.0, t_max, points)
    theory = order_parameters(model, t)
    distance = np.abs(theory["eps_g"] - eps_plateau) / eps_plateau - PLATEAU_BAND
    near = distance <= 0.0
    if not near.any() or near[-1]:
        raise RuntimeError(f"no plateau escape before t = {t_max:g} (nu = {model.nu})")
    first, last = np.argmax(near), len(near) - 1 - np.argmax(near[::-1])

    def crossing(i, j):  # linear interpolation of distance = 0 between points i and j
        return i + distance[i] / (distance[i] - distance[j]) * (j - i)

    at_in, at_out = crossing(first - 1, first), crossing(last, last + 1)
    grid = np.arange(points)
    heat_in, heat_out = np.interp([at_in, at_out], grid, theory["heat"])
    cost_in, cost_out = np.interp([at_in, at_out], grid, theory["cost"])
    t_in, t_out = np.interp([at_in, at_out], grid, t)
    return {"eps_plateau": eps_plateau, "t_in": t_in, "t_out": t_out, "length": model.r * (t_out - t_in),
            "heat_rate": rate, "heat": heat_out - heat_in, "cost": cost_out - cost_in, "cost_to_escape": cost_out}


def escape_rate(plateau: np.ndarray, model: Model) -> float:
    """The largest real part of the eigenvalues of the ODEs' Jacobian (central differences, heat excluded) at the
    plateau: the rate at which the symmetry-breaking perturbation grows, plateau length ~ ln(1/eps)/rate."""
    size = len(plateau) - 1
    columns = []
    for e in np.eye(len(plateau))[:size]:
        step = 1e-6 * e
        columns.append((rates(0.0, plateau + step, model) - rates(0.0, plateau - step, model))[:size] / 2e-6)
    return float(np.linalg.eigvals(np.array(columns).T).real.max())


PLATEAU_BAND = 0.05
"""The plateau is where eps_g is within 5% of the symmetric plateau's."""


def erf_unit(x):
    """g(x) = erf(x / sqrt 2)."""
    from scipy.special import erf

    return erf(x / np.sqrt(2.0))
