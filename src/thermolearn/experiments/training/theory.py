"""Model G, exact theory (docs/science.md, Model G): the recursion over samples for any clamp schedule,
kappa and v0 (one epoch, fresh inputs), the closed forms of the abrupt clamp at kappa = 0, and the dimensionless
groups that place a point (s, rho) in (lambda, tau).

Per weight and averaged over teachers, data sets and thermal noise. The state of the recursion after sample mu:
eps = E|m - W*|^2/N, chi = E[(m - W*) . W*]/N, the bias coefficient b (E[m - W* | W*] = b W*) and the thermal
variance V = Tr Sigma/(N/M). Inputs x in {+-1}^n have E[x_hat x_hat^T] = I/n exactly, and every map of a sample
is a combination of I and P = x_hat x_hat^T, so these averages close (the same for Gaussian inputs).
"""

from __future__ import annotations

import numpy as np


def groups(s: np.ndarray | float, n: int) -> dict[str, np.ndarray]:
    """a = 1 - e^{-s}, c = 1 - e^{-2s} = a(2 - a), q = 1 - c/n, phi = 1/n + ((n-1)/n) 2s/c."""
    s = np.asarray(s, dtype=float)
    a = -np.expm1(-s)
    c = -np.expm1(-2.0 * s)
    return {"a": a, "c": c, "q": 1.0 - c / n, "phi": 1.0 / n + (n - 1) / n * 2.0 * s / c}


def stat_variance_limit(s: np.ndarray | float, n: int, *, sigma: float) -> np.ndarray:
    """V_inf = a sigma^2 / (n (2 - a)): the steady statistical error per weight of the mean (abrupt, kappa = 0)."""
    a = groups(s, n)["a"]
    return a * sigma**2 / (n * (2.0 - a))


def thermal_variance_limit(s: np.ndarray | float, n: int, *, lam: float, T: float) -> np.ndarray:
    """theta_inf = T/(lambda n) + (n - 1) 2 T tau/(gamma c) = phi T / lambda (abrupt, kappa = 0)."""
    return groups(s, n)["phi"] * T / lam


def clamp(s: float, rho: float, n: int, *, T: float, sigma: float, gamma: float) -> tuple[float, float]:
    """(lambda, tau) of a point: lambda = phi T/(rho V_inf) (steady rho = theta_inf/V_inf), tau = s gamma/(lambda n)."""
    lam = float(groups(s, n)["phi"] * T / (rho * stat_variance_limit(s, n, sigma=sigma)))
    return lam, s * gamma / (lam * n)


def schedule(lam: float, tau: float, *, ramp_steps: int = 1, gap: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Levels and durations of the intervals of one sample: a staircase up and down, lambda j/K for j = 1..K..1
    (2K - 1 intervals of tau/(2K - 1); K = 1 is the abrupt clamp), then a clamp-free gap of gap * tau if gap > 0."""
    K = int(ramp_steps)
    steps = np.concatenate([np.arange(1, K + 1), np.arange(K - 1, 0, -1)])
    levels = lam * steps / K
    durations = np.full(levels.shape, tau / (2 * K - 1))
    if gap > 0.0:
        levels = np.append(levels, 0.0)
        durations = np.append(durations, gap * tau)
    return levels, durations


def relaxation_factor(x: np.ndarray | float) -> np.ndarray:
    """(x/2) coth(x/2) -> 1 (x -> 0): gamma int |m'|^2 dt over gamma |Delta m|^2/d in an interval of k d/gamma = x."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-4
    safe = np.where(small, 1.0, x)
    return np.where(small, 1.0 + x * x / 12.0, 0.5 * safe / np.tanh(0.5 * safe))


def interval_factors(levels: np.ndarray, durations: np.ndarray, n: int, *, kappa: float, gamma: float,
                     T: float) -> dict[str, np.ndarray]:
    """Per interval of constant lambda: k_par = kappa + lambda n, e_par = e^{-k_par d/gamma},
    e_perp = e^{-kappa d/gamma}, the noise variances T(1 - e^2)/k (2 T d/gamma at k = 0), the target coefficient
    lambda sqrt(n)/k_par (u -> coefficient y) and the factors (x/2)coth(x/2) of the mean's dissipation."""
    levels = np.asarray(levels, dtype=float)
    durations = np.asarray(durations, dtype=float)
    k_par = kappa + levels * n

    def noise(k):
        safe = np.where(k > 0, k, 1.0)
        return np.where(k > 0, -T * np.expm1(-2.0 * safe * durations / gamma) / safe, 2.0 * T * durations / gamma)

    return {
        "k_par": k_par,
        "e_par": np.exp(-k_par * durations / gamma),
        "e_perp": np.exp(-kappa * durations / gamma) * np.ones_like(durations),
        "var_par": noise(k_par),
        "var_perp": noise(np.full_like(k_par, kappa)),
        "target": np.where(k_par > 0, levels * np.sqrt(n) / np.where(k_par > 0, k_par, 1.0), 0.0),
        "f_par": relaxation_factor(k_par * durations / gamma),
        "f_perp": relaxation_factor(kappa * durations / gamma * np.ones_like(durations)),
    }


def sample_map(n: int, levels: np.ndarray, durations: np.ndarray, *, g: float, sigma: float, T: float,
               kappa: float, gamma: float) -> dict[str, np.ndarray]:
    """One sample's exact map, affine in the state (eps, chi, V) and linear in b: rows "eps", "chi", "V" (the next
    state) and "work", "work_on", "transport", "dissipation_mean" (per weight, this sample's), each as coefficients
    of (eps, chi, V, 1); "b" as (coefficient of b, constant). Along x_hat e_u = al e_u0 + be w_u + ze sigma xi and
    var_u = al^2 V + Np; across (per direction) e_perp = ao e0 + bo w, var = ao^2 V + No; at each jump of lambda the
    work is (Delta lambda/2) E(y - w.x)^2 = (Delta lambda/2)[n E e_u^2 - 2 sqrt(n) sigma^2 ze + sigma^2 + n var_u]."""
    f = interval_factors(levels, durations, n, kappa=kappa, gamma=gamma, T=T)
    g2, s2 = g * g, sigma * sigma

    def quadratic(a, b_, z=0.0):  # E[(a e0 + b_ w + z sigma xi)^2] as coefficients of (eps, chi, V, 1)
        return np.array([a * a, 2.0 * a * b_, 0.0, b_ * b_ * g2 + z * z * s2])

    al, be, ze, Np, ao, bo, No = 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0
    totals = {name: np.zeros(4) for name in ("work", "work_on", "transport", "dissipation_mean")}
    previous = 0.0
    all_levels = np.append(np.asarray(levels, dtype=float), 0.0)
    for j, level in enumerate(all_levels):
        jump = level - previous
        if jump != 0.0:
            dw = 0.5 * jump * (n * quadratic(al, be, ze) + np.array([0.0, 0.0, n * al * al,
                                                                  n * Np + s2 - 2.0 * np.sqrt(n) * s2 * ze]))
            totals["work"] += dw
            if jump > 0:
                totals["work_on"] += dw
        previous = level
        if j == len(levels):
            break
        ep, eo, kp = f["e_par"][j], f["e_perp"][j], f["k_par"][j]
        al_new = ep * al
        be_new = ep * be - ((1.0 - ep) * kappa / kp if kp > 0 else 0.0)
        ze_new = ep * ze + (1.0 - ep) * f["target"][j]
        ao_new, bo_new = eo * ao, eo * bo + (eo - 1.0)
        par = quadratic(al_new - al, be_new - be, ze_new - ze)
        orth = (n - 1) * quadratic(ao_new - ao, bo_new - bo)
        rate = gamma / durations[j]
        totals["transport"] += rate * (par + orth)
        totals["dissipation_mean"] += rate * (f["f_par"][j] * par + f["f_perp"][j] * orth)
        al, be, ze, ao, bo = al_new, be_new, ze_new, ao_new, bo_new
        Np = ep * ep * Np + f["var_par"][j]
        No = eo * eo * No + f["var_perp"][j]
    out = {name: value / n for name, value in totals.items()}
    out["eps"] = (quadratic(al, be, ze) + (n - 1) * quadratic(ao, bo)) / n
    out["chi"] = np.array([0.0, al + (n - 1) * ao, 0.0, be * g2 + (n - 1) * bo * g2]) / n
    out["V"] = np.array([0.0, 0.0, al * al + (n - 1) * ao * ao, Np + (n - 1) * No]) / n
    out["b"] = np.array([al + (n - 1) * ao, be + (n - 1) * bo]) / n
    return out


def recursion(*, n: int, D: int, levels: np.ndarray, durations: np.ndarray, g: float, sigma: float, T: float,
              kappa: float, gamma: float, v0: float) -> dict[str, np.ndarray]:
    """The exact recursion over samples (one epoch, fresh inputs), per weight: eps, chi, b, V after mu = 0..D samples
    (from m = 0, W(0) ~ N(0, v0)) and the running totals of work, work at switch-on (positive jumps),
    B_W = sum gamma|Delta m|^2/d and D_mean, by ``sample_map``."""
    step = sample_map(n, levels, durations, g=g, sigma=sigma, T=T, kappa=kappa, gamma=gamma)
    names = ("work", "work_on", "transport", "dissipation_mean")
    rows = np.array([step[name] for name in ("eps", "chi", "V", *names)])  # (7, 4) on (eps, chi, V, 1)
    states = np.empty((D + 1, 4))
    states[0] = (g * g, -g * g, float(v0), 1.0)
    per_sample = np.empty((D, len(names)))
    for mu in range(D):
        image = rows @ states[mu]
        states[mu + 1, :3] = image[:3]
        states[mu + 1, 3] = 1.0
        per_sample[mu] = image[3:]
    b = np.empty(D + 1)
    b[0] = -1.0
    for mu in range(D):
        b[mu + 1] = step["b"][0] * b[mu] + step["b"][1]
    out = {"eps": states[:, 0], "chi": states[:, 1], "b": b, "V": states[:, 2]}
    for column, name in enumerate(names):
        out[name] = np.concatenate([[0.0], np.cumsum(per_sample[:, column])])
    return out


def thermal_covariance(inputs: np.ndarray, *, levels: np.ndarray, durations: np.ndarray, kappa: float,
                       gamma: float, T: float, v0: float) -> np.ndarray:
    """The exact n x n thermal covariance after the inputs (D, n) in order: Sigma' = A Sigma A + var_par P
    + var_perp (I - P), A = e_perp I + (e_par - e_perp) P, P = x_hat x_hat^T, from Sigma = v0 I."""
    n = inputs.shape[1]
    f = interval_factors(levels, durations, n, kappa=kappa, gamma=gamma, T=T)
    sigma = v0 * np.eye(n)
    for x in np.asarray(inputs, dtype=float):
        P = np.outer(x, x) / n
        for j in range(len(levels)):
            A = f["e_perp"][j] * np.eye(n) + (f["e_par"][j] - f["e_perp"][j]) * P
            sigma = A @ sigma @ A + f["var_par"][j] * P + f["var_perp"][j] * (np.eye(n) - P)
    return sigma


def energy_closed_form(*, n: int, D: int, lam: float, tau: float, g: float, sigma: float, T: float, gamma: float,
                       v0: float) -> float:
    """E_train/N = D[lambda a sigma^2/n + (n-1) T s/n] + (lambda n/2)(1 - q^D)[(g^2 - V_inf) + (v0 - theta_inf)]
    (abrupt clamp, kappa = 0, one epoch)."""
    s = lam * n * tau / gamma
    G = groups(s, n)
    V_inf = stat_variance_limit(s, n, sigma=sigma)
    theta = G["phi"] * T / lam
    return float(D * (lam * G["a"] * sigma**2 / n + (n - 1) * T * s / n)
                 + 0.5 * lam * n * (1.0 - G["q"] ** D) * ((g * g - V_inf) + (v0 - theta)))


def transport_closed_form(*, n: int, D: int, lam: float, tau: float, g: float, sigma: float, gamma: float) -> float:
    """B_W/N = (lambda a^2/s)[D(sigma^2/n + V_inf) + (g^2 - V_inf) n (1 - q^D)/c] (abrupt clamp, kappa = 0)."""
    s = lam * n * tau / gamma
    G = groups(s, n)
    V_inf = stat_variance_limit(s, n, sigma=sigma)
    windows = n * (1 - G["q"] ** D) / G["c"]
    return float(lam * G["a"] ** 2 / s * (D * (sigma**2 / n + V_inf) + (g * g - V_inf) * windows))


def steady_energy_ratio(s: np.ndarray | float, rho: np.ndarray | float, n: int) -> np.ndarray:
    """E_train/(N D T) = (2 - a) phi/rho + (n - 1) s/n in the steady state (D >> n/a), -> 2/rho as s -> 0."""
    G = groups(s, n)
    return (2.0 - G["a"]) * G["phi"] / np.asarray(rho, dtype=float) + (n - 1) * np.asarray(s) / n


def steady_crossing(s: np.ndarray | float, n: int) -> np.ndarray:
    """rho* = (2 - a) phi / (2 - (n - 1) s/n): where the steady E_train = 2 N D T."""
    G = groups(s, n)
    return (2.0 - G["a"]) * G["phi"] / (2.0 - (n - 1) * np.asarray(s) / n)


def point_theory(*, M: int, n: int, D: int, lam: float, tau: float, g: float, sigma: float, T: float,
                 kappa: float, gamma: float, v0: float, epochs: int = 1, ramp_steps: int = 1,
                 gap: float = 0.0) -> dict[str, float]:
    """Every summary quantity's exact expectation at one point (totals over the N = M n weights): from
    ``recursion``; ΔS and ΔF exact only for n = 1 (Sigma is then the same for every data set), NaN for n > 1;
    NaN for epochs > 1 (exact only given the data) except the thermal quantities at n = 1."""
    N = M * n
    levels, durations = schedule(lam, tau, ramp_steps=ramp_steps, gap=gap)
    r = recursion(n=n, D=D * epochs, levels=levels, durations=durations, g=g, sigma=sigma, T=T, kappa=kappa,
                  gamma=gamma, v0=v0)
    eps, chi, b, V = r["eps"][-1], r["chi"][-1], r["b"][-1], r["V"][-1]
    prior = 0.5 * kappa * N * ((eps + 2 * chi + g * g + V) - v0)
    entropy = 0.5 * N * np.log(V / v0) if n == 1 else np.nan
    bias2 = b * b * g * g
    out = {
        "E_train": N * r["work"][-1],
        "work_switch_on": N * r["work_on"][-1],
        "heat": N * r["work"][-1] - prior,
        "transport": N * r["transport"][-1],
        "dissipation_mean": N * r["dissipation_mean"][-1],
        "entropy_change": entropy,
        "free_energy_change": prior - T * entropy,
        "entropy_production": N * r["work"][-1] - prior + T * entropy,
        "eps": eps,
        "bias": b,
        "bias2": bias2,
        "V_stat": eps - bias2,
        "V_th": V,
        "test_error": sigma**2 + n * (eps + V),
        "total_error": eps + V,
    }
    out["rho"] = out["V_th"] / out["V_stat"]
    out["energy_ratio"] = out["E_train"] / (N * D * T)
    out["bound_ratio"] = (out["E_train"] - out["free_energy_change"]) / out["transport"]
    out["error_ratio"] = (eps + V) / out["V_stat"]
    out["E_train_given_data"] = out["E_train"]
    out["thermal_variance_ddof0"] = np.nan
    if epochs > 1:
        thermal = {"V_th", "entropy_change"} if n == 1 else set()
        out = {name: (value if name in thermal else np.nan) for name, value in out.items()}
    return {name: float(value) for name, value in out.items()}


def crossing(*, M: int, n: int, D: int, s: float, g: float, sigma: float, T: float, gamma: float,
             kappa: float = 0.0, bracket: tuple[float, float] = (0.05, 20.0)) -> float:
    """The target rho (lambda = phi T/(rho V_inf), v0 = T/lambda) at which the exact finite-D E_train = 2 N D T."""
    from scipy.optimize import brentq

    def excess(rho):
        lam, tau = clamp(s, rho, n, T=T, sigma=sigma, gamma=gamma)
        energy = point_theory(M=M, n=n, D=D, lam=lam, tau=tau, g=g, sigma=sigma, T=T, kappa=kappa, gamma=gamma,
                              v0=T / lam)["energy_ratio"]
        return energy - 2.0

    return float(brentq(excess, *bracket, xtol=1e-10))
