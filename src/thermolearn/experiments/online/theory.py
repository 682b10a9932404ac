"""Model C theory for N -> infinity: the order-parameter ODEs (docs/science.md, Model C).

The local fields (u, h, g) = (B.xi, w.xi, f.xi)/sqrt(N) are jointly Gaussian with covariance
[[1, R, R_f], [R, q, q_wf], [R_f, q_wf, q_ff]]; the rule enters through three Gaussian averages.
"""

import numpy as np

from thermolearn.information import generalization_error, information_from_error

SQRT_2PI = np.sqrt(2.0 * np.pi)


def rule_averages(rule, R, q):
    """(<sigma_T u F>, <sigma_T h F>, <F^2>) over (u, h) ~ N(0, [[1, R], [R, q]]), closed forms."""
    rho = R / np.sqrt(q)
    if rule == "hebbian":
        return np.sqrt(2.0 / np.pi), R * np.sqrt(2.0 / np.pi), 1.0
    if rule == "perceptron":
        return (1.0 - rho) / SQRT_2PI, -np.sqrt(q) * (1.0 - rho) / SQRT_2PI, np.arccos(rho) / np.pi
    if rule == "adatron":
        c = -rho
        su = np.sqrt(q) * (np.sqrt(1.0 - c**2) + c * (np.pi / 2 + np.arcsin(c))) / np.pi
        f2 = q * (np.pi / 2 + np.arcsin(c) + c * np.sqrt(1.0 - c**2)) / np.pi
        return su, -f2, f2
    raise ValueError(f"unknown rule {rule!r}; allowed: hebbian, perceptron, adatron")


def force_field_average(su, sh, R, q, R_f, q_wf):
    """<sigma_T g F> = a <sigma_T u F> + b <sigma_T h F>, with E[g | u, h] = a u + b h:
    a = (R_f q - q_wf R)/(q - R^2), b = (q_wf - R_f R)/(q - R^2)."""
    det = q - R**2
    return (R_f * q - q_wf * R) / det * su + (q_wf - R_f * R) / det * sh


def order_parameter_rates(t, y, rule, nu, k, T, r):
    """d/dt of (R, q, R_f, q_wf, q_ff, heat per weight), docs/science.md Model C."""
    R, q, R_f, q_wf, q_ff, _ = y
    su, sh, f2 = rule_averages(rule, R, q)
    sg = force_field_average(su, sh, R, q, R_f, q_wf)
    return [
        -k * R + R_f,
        -2 * k * q + 2 * q_wf + 2 * T,
        r * nu * su,
        -k * q_wf + q_ff + r * nu * sh,
        r * (2 * nu * sg + nu**2 * f2),
        q_ff - 2 * k * q_wf + k**2 * q - k * T,
    ]


def order_parameters(rule, nu, k, T, r, t):
    """Integrate the ODEs from q(0) = T/k (all else 0) to the times t; returns a dict of arrays
    R, q, R_f, q_wf, q_ff, heat (per weight, units of T), overlap, eps_g, information,
    entropy_change (Gaussian, 1/2 ln(q k/T)), cost and eta."""
    from scipy.integrate import solve_ivp  # imported here: only the information and figure jobs need it

    t = np.atleast_1d(np.asarray(t, dtype=float))
    solution = solve_ivp(
        order_parameter_rates, (0.0, t.max()), [0.0, T / k, 0.0, 0.0, 0.0, 0.0],
        args=(rule, nu, k, T, r), t_eval=t, rtol=1e-10, atol=1e-12, method="LSODA",
    )
    R, q, R_f, q_wf, q_ff, heat = solution.y
    overlap = R / np.sqrt(q)
    eps_g = generalization_error(overlap)
    information = information_from_error(eps_g)
    entropy_change = 0.5 * np.log(q * k / T)
    cost = entropy_change + heat / T
    return {
        "R": R, "q": q, "R_f": R_f, "q_wf": q_wf, "q_ff": q_ff, "heat": heat / T, "overlap": overlap,
        "eps_g": eps_g, "information": information, "entropy_change": entropy_change, "cost": cost,
        "eta": information / cost, "weight_information": -0.5 * np.log1p(-overlap**2),
    }
