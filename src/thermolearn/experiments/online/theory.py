"""Model C theory for N -> infinity: the order-parameter ODEs (docs/science.md, Model C).

The local fields (u, h, g) = (B.xi, w.xi, f.xi)/sqrt(N) are jointly Gaussian with covariance
[[1, R, R_f], [R, q, q_wf], [R_f, q_wf, q_ff]]; the rule enters through three Gaussian averages,
closed forms for Hebbian, Perceptron and AdaTron and quadrature for any rule.
"""

import math
from collections.abc import Callable
from functools import cache

import numpy as np
from numba import cfunc, types
from numpy.typing import ArrayLike
from scipy import LowLevelCallable
from scipy.integrate import quad, solve_ivp

from thermolearn.experiments.online import rules
from thermolearn.information import generalization_error, information_from_error

SQRT_2PI = np.sqrt(2.0 * np.pi)

CLOSED_FORMS = ("hebbian", "perceptron", "adatron")
"""The shipped rules whose averages have closed forms."""


def closed_form_averages(function: str, R: float, q: float) -> tuple[float, float, float]:
    """(<sigma_T u F>, <sigma_T h F>, <F^2>) over (u, h) ~ N(0, [[1, R], [R, q]]) of a rule in CLOSED_FORMS."""
    rho = R / np.sqrt(q)
    if function == "hebbian":
        return np.sqrt(2.0 / np.pi), R * np.sqrt(2.0 / np.pi), 1.0
    if function == "perceptron":
        return (1.0 - rho) / SQRT_2PI, -np.sqrt(q) * (1.0 - rho) / SQRT_2PI, np.arccos(rho) / np.pi
    c = -rho
    su = np.sqrt(q) * (np.sqrt(1.0 - c**2) + c * (np.pi / 2 + np.arcsin(c))) / np.pi
    f2 = q * (np.pi / 2 + np.arcsin(c) + c * np.sqrt(1.0 - c**2)) / np.pi
    return su, -f2, f2


FIELD_RANGE = 12.0
"""The quadrature runs over |x| <= 12, x = h / sqrt(q) ~ N(0, 1): the Gaussian beyond weighs < 1e-32."""


@cache
def field_integrands(rule: rules.Rule) -> LowLevelCallable:
    """The integrands over x = h / sqrt(q) of the three averages, u integrated out given x:
    u | x ~ N(rho x, 1 - rho^2), so with a = rho x / sqrt(1 - rho^2), P(sigma_T = +-1 | x) = Phi(+-a) and
    E[+-u; sigma_T = +-1 | x] = +-rho x Phi(+-a) + sqrt(1 - rho^2) phi(a). A scipy LowLevelCallable of
    (x, rho, sqrt q, i), i = 0, 1, 2 for <sigma_T u F>, <sigma_T h F>, <F^2>."""
    F = rules.guarded(rule)  # NaN where the rule raises: a C callback cannot pass an exception on

    @cfunc(types.float64(types.intc, types.CPointer(types.float64)))
    def integrand(n, xx):
        x, rho, root_q, average = xx[0], xx[1], xx[2], xx[3]
        spread = max(math.sqrt(max(1.0 - rho * rho, 0.0)), 1e-300)
        a = rho * x / spread
        up, down = 0.5 * math.erfc(-a / math.sqrt(2.0)), 0.5 * math.erfc(a / math.sqrt(2.0))
        F_up, F_down = F(root_q * x, 1.0), F(root_q * x, -1.0)
        density = math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        if average == 0.0:
            tail = spread * math.exp(-0.5 * a * a) / math.sqrt(2.0 * math.pi)
            return density * (F_up * (rho * x * up + tail) + F_down * (tail - rho * x * down))
        if average == 1.0:
            return density * root_q * x * (F_up * up - F_down * down)
        return density * (F_up * F_up * up + F_down * F_down * down)

    return LowLevelCallable(integrand.ctypes)


def quadrature_averages(rule: rules.Rule, R: float, q: float) -> tuple[float, float, float]:
    """(<sigma_T u F>, <sigma_T h F>, <F^2>) over (u, h) ~ N(0, [[1, R], [R, q]]) of any rule: one
    adaptive quadrature over x = h / sqrt(q) each (``field_integrands``), to 1e-11, broken at x = 0
    and at the rule's jumps (``rules.jumps``)."""
    integrands, rho, root_q = field_integrands(rule), float(np.clip(R / np.sqrt(q), -1.0, 1.0)), float(np.sqrt(q))
    x = rules.jumps(rule) / root_q
    points = np.union1d(0.0, x[np.abs(x) < FIELD_RANGE])
    averages = tuple(
        quad(integrands, -FIELD_RANGE, FIELD_RANGE, args=(rho, root_q, float(average)), points=points,
             epsabs=1e-11, epsrel=1e-11, limit=500)[0]
        for average in range(3)
    )
    if not all(math.isfinite(average) for average in averages):
        raise rules.RuleError(unusable_in_quadrature(rule, R, q))
    return averages


def unusable_in_quadrature(rule: rules.Rule, R: float, q: float) -> str:
    """One line for a rule whose Gaussian averages at (R, q) are not finite: the first field of the
    quadrature's range (|h| <= 12 sqrt(q), steps of 1e-3 sqrt(q)) where it raises or is unusable."""
    fields = np.sqrt(q) * np.linspace(-FIELD_RANGE, FIELD_RANGE, 24001)
    index, sigma_T = rules.first_unusable(rules.bound_factor(rule), fields)
    where = (rules.failure(rule, fields[index], sigma_T) if index >= 0 else
             f"{rule}: its Gaussian averages are not finite")
    return f"{where} (theory's quadrature at R = {R:.6g}, q = {q:.6g})"


def rule_averages(rule: rules.Rule, R: float, q: float) -> tuple[float, float, float]:
    """(<sigma_T u F>, <sigma_T h F>, <F^2>) of a Rule: closed forms for CLOSED_FORMS, quadrature otherwise."""
    if rule.function in CLOSED_FORMS:
        return closed_form_averages(rule.function, R, q)
    return quadrature_averages(rule, R, q)


def force_field_average(su: float, sh: float, R: float, q: float, R_f: float, q_wf: float) -> float:
    """<sigma_T g F> = a <sigma_T u F> + b <sigma_T h F>, with E[g | u, h] = a u + b h:
    a = (R_f q - q_wf R)/(q - R^2), b = (q_wf - R_f R)/(q - R^2)."""
    det = q - R**2
    return (R_f * q - q_wf * R) / det * su + (q_wf - R_f * R) / det * sh


def order_parameter_rates(t: float, y: np.ndarray, rule: rules.Rule, nu: float, k: float, T: float,
                          r: float) -> list[float]:
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


def order_parameters(rule: rules.Rule | dict | str | Callable, t: ArrayLike, *, nu: float, k: float, T: float,
                     r: float) -> dict[str, np.ndarray]:
    """Integrate the ODEs of a rule (a config entry, a rule function or a Rule) from q(0) = T/k (all else 0) to the
    times t (``order_parameter_rates`` stays positional: solve_ivp passes its ``args`` so); returns a dict of arrays
    R, q, R_f, q_wf, q_ff, heat (per weight, units of T), overlap, eps_g, information,
    entropy_change (Gaussian, 1/2 ln(q k/T)), cost and eta."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    rule = rules.resolve(rule)
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
