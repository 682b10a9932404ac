"""Model G's settings: its proposed config section (DEFAULT_CONFIG, QUICK_CONFIG, SCHEMA), its parameter space
(one simulate job per (series, s, rho target)), its config checks and its simulate jobs' resources."""

from __future__ import annotations

import math

import pandas as pd

from thermolearn.config import ConfigError
from thermolearn.experiments.training import theory

RHO_TARGETS = [0.1, 0.2154, 0.4642, 1.0, 2.154, 4.642, 10.0]
"""logspace(-1, 1, 7) to four digits."""

SATURATION_S = [0.01, 0.03162, 0.1, 0.3162, 1.0, 3.162, 10.0]
"""logspace(-2, 1, 7) to four digits."""

DEFAULT_CONFIG = {
    "gamma": 1.0,
    "sigma": 1.0,
    "T": 0.01,
    "kappa": 0.0,
    "v0": None,
    "epochs": 1,
    "ramp_steps": 1,
    "gap": 0.0,
    "trials": 100,
    "replicas": 2,
    "covariance": True,
    "jackknife_groups": 20,
    "series": [
        {"name": "main", "M": 4, "n": 8, "D": 2000, "s": [0.05, 0.3, 3.0], "rho": RHO_TARGETS},
        {"name": "fast", "M": 32, "n": 1, "D": 2000, "s": [3.0], "rho": RHO_TARGETS},
        {"name": "saturation_n1", "M": 32, "n": 1, "D": 400, "s": SATURATION_S, "rho": [1.0]},
        {"name": "saturation_n8", "M": 4, "n": 8, "D": 400, "s": SATURATION_S, "rho": [1.0]},
    ],
}
"""The proposed ``training`` section: ../shared/SCIENCE.md's default (M = 4, n = 8, D = 2000, SNR_y = 1, T = 0.01,
abrupt clamps, s in {0.05, 0.3, 3}, seven rho targets), the n = 1 fast series where the variance form fails and
G2's saturation series (n in {1, 8}, rho = 1, D = 400); 100 data sets per point, 2 thermal replicas."""

QUICK_CONFIG = {
    **DEFAULT_CONFIG,
    "trials": 40,
    "jackknife_groups": 20,
    "series": [
        {"name": "main", "M": 2, "n": 4, "D": 300, "s": [0.1, 3.0], "rho": [0.3, 1.0, 3.0]},
        {"name": "saturation_n1", "M": 8, "n": 1, "D": 100, "s": [0.1, 1.0, 10.0], "rho": [1.0]},
    ],
}
"""A tiny section for tests and CI (well under a second of kernel time)."""

LIMITS = {
    "s": (0.0, 20.0),
    "rho": (0.0, 1000.0),
    "n": (1, 256),
    "M": (1, 4096),
    "D": (1, 10**7),
}
"""Open lower, closed upper bounds of the per-series values (s: e^{-s} still resolvable; n: the n x n Sigma)."""

_NUMBER = {"type": "number"}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "description": "Model G: the energy cost of training a slow analog network (../shared/SCIENCE.md, Model G).",
    "properties": {
        "gamma": {**_NUMBER, "exclusiveMinimum": 0, "default": 1.0, "description": "friction of the weights"},
        "sigma": {**_NUMBER, "exclusiveMinimum": 0, "default": 1.0, "description": "label noise sigma"},
        "T": {**_NUMBER, "exclusiveMinimum": 0, "default": 0.01, "description": "temperature k_B T"},
        "kappa": {**_NUMBER, "minimum": 0, "default": 0.0, "description": "prior spring (kappa/2)|W|^2"},
        "v0": {"type": ["number", "null"], "exclusiveMinimum": 0, "default": None,
               "description": "initial variance of each weight; null: T/lambda (thermalised in the clamp)"},
        "epochs": {"type": "integer", "minimum": 1, "default": 1,
                   "description": "passes over the data set (theory exact only given the data for > 1)"},
        "ramp_steps": {"type": "integer", "minimum": 1, "default": 1,
                       "description": "K: staircase lambda j/K, j = 1..K..1 over tau; 1 is the abrupt clamp"},
        "gap": {**_NUMBER, "minimum": 0, "default": 0.0,
                "description": "clamp-free interval after each sample, in units of tau"},
        "trials": {"type": "integer", "minimum": 2, "default": 100, "description": "data sets per point"},
        "replicas": {"type": "integer", "minimum": 2, "default": 2, "description": "thermal replicas per data set"},
        "covariance": {"type": "boolean", "default": True,
                       "description": "propagate the exact n x n thermal covariance (ΔS, ΔF, B1, B4 for n > 1)"},
        "jackknife_groups": {"type": "integer", "minimum": 2, "default": 20,
                             "description": "delete-one-group jackknife groups of data sets"},
        "series": {
            "type": "array", "minItems": 1, "default": DEFAULT_CONFIG["series"],
            "description": "series of points: one simulate job per (s, rho target)",
            "items": {
                "type": "object", "additionalProperties": False, "required": ["name", "M", "n", "D", "s"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[A-Za-z0-9_]+$"},
                    "M": {"type": "integer", "minimum": 1, "maximum": LIMITS["M"][1], "description": "outputs"},
                    "n": {"type": "integer", "minimum": 1, "maximum": LIMITS["n"][1], "description": "inputs"},
                    "D": {"type": "integer", "minimum": 1, "maximum": LIMITS["D"][1], "description": "samples"},
                    "g": {"type": ["number", "null"], "exclusiveMinimum": 0, "default": None,
                          "description": "teacher scale; null: sigma/sqrt(n) (SNR_y = n g^2/sigma^2 = 1)"},
                    "s": {"type": "array", "minItems": 1, "items": {**_NUMBER, "exclusiveMinimum": 0,
                                                                    "maximum": LIMITS["s"][1]},
                          "description": "s = lambda n tau/gamma, increasing"},
                    "rho": {"type": "array", "minItems": 1, "items": {**_NUMBER, "exclusiveMinimum": 0,
                                                                      "maximum": LIMITS["rho"][1]},
                            "description": "targets rho = theta_inf/V_inf: lambda = phi T/(rho V_inf), increasing"},
                    "lam": {"type": "array", "minItems": 1, "items": {**_NUMBER, "exclusiveMinimum": 0},
                            "description": "lambda given instead of rho targets, increasing"},
                },
            },
        },
    },
}
"""JSON-schema fragment of the ``training`` section (types, ranges, defaults, descriptions)."""


def series_g(series: dict, sigma: float) -> float:
    """The teacher scale of a series: g, or sigma/sqrt(n) (SNR_y = 1)."""
    g = series.get("g")
    return sigma / math.sqrt(series["n"]) if g is None else float(g)


def space(section: dict) -> pd.DataFrame:
    """One row per simulated point: its keys (series, s, rho_target) and values (M, n, D, g, lambda, tau, v0);
    lambda = phi T/(rho V_inf) and tau = s gamma/(lambda n), or lambda given (rho_target its steady rho)."""
    rows = []
    for series in section["series"]:
        n = series["n"]
        g = series_g(series, section["sigma"])
        for s in map(float, series["s"]):
            if series.get("lam") is not None:
                pairs = []
                for lam in map(float, series["lam"]):
                    rho = float(theory.thermal_variance_limit(s, n, lam=lam, T=section["T"])
                                / theory.stat_variance_limit(s, n, sigma=section["sigma"]))
                    pairs.append((rho, lam, s * section["gamma"] / (lam * n)))
            else:
                pairs = [(float(rho), *theory.clamp(s, float(rho), n, T=section["T"], sigma=section["sigma"],
                                                     gamma=section["gamma"]))
                         for rho in series["rho"]]
            for rho, lam, tau in pairs:
                v0 = section["T"] / lam if section.get("v0") is None else float(section["v0"])
                rows.append({"series": series["name"], "s": s, "rho_target": rho, "M": series["M"], "n": n,
                             "D": series["D"], "g": g, "lam": lam, "tau": tau, "v0": v0})
    return pd.DataFrame(rows, columns=["series", "s", "rho_target", "M", "n", "D", "g", "lam", "tau", "v0"])


def _fail(key: str, value, allowed: str):
    raise ConfigError(f"training.{key} = {value!r}: must be {allowed}")


def _positive(value, key: str, strict: bool = True):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or (value <= 0 if strict else value < 0):
        _fail(key, value, "a finite number " + ("> 0" if strict else ">= 0"))


def _integer(value, key: str, minimum: int, maximum: float = math.inf):
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        _fail(key, value, f"an integer in [{minimum}, {maximum:g}]")


def _grid(values, key: str, low: float, high: float):
    if not isinstance(values, list) or not values or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or not low < v <= high for v in values):
        _fail(key, values, f"a non-empty list of numbers in ({low:g}, {high:g}]")
    if any(b <= a for a, b in zip(values, values[1:])):
        _fail(key, values, "strictly increasing")


def check_config(section: dict) -> None:
    """ConfigError (one line naming training.<key>, its value and the allowed range) for anything out of range:
    positive gamma, sigma, T, v0 (or null), kappa >= 0, gap >= 0, integers epochs, ramp_steps >= 1, replicas >= 2,
    2 <= jackknife_groups <= trials, and per series unique names, M, n, D in range, g > 0 (or null), increasing
    s in (0, 20] and rho targets in (0, 1000] (or lam > 0 instead of rho)."""
    for key in ("gamma", "sigma", "T"):
        _positive(section[key], key)
    for key in ("kappa", "gap"):
        _positive(section[key], key, strict=False)
    if section.get("v0") is not None:
        _positive(section["v0"], "v0")
    for key, minimum in (("epochs", 1), ("ramp_steps", 1), ("replicas", 2), ("trials", 2)):
        _integer(section[key], key, minimum)
    _integer(section["jackknife_groups"], "jackknife_groups", 2, section["trials"])
    if not isinstance(section["covariance"], bool):
        _fail("covariance", section["covariance"], "true or false")
    series = section["series"]
    if not isinstance(series, list) or not series:
        _fail("series", series, "a non-empty list of series")
    names = [entry.get("name") for entry in series]
    for place, entry in enumerate(series):
        prefix = f"series[{place}]"
        name = entry.get("name")
        if not isinstance(name, str) or not name.replace("_", "").isalnum():
            _fail(f"{prefix}.name", name, "a name of letters, digits and _")
        if name in names[:place]:
            _fail(f"{prefix}.name", name, "unique among the series")
        for key in ("M", "n", "D"):
            _integer(entry.get(key), f"{prefix}.{key}", *LIMITS[key])
        g = entry.get("g")
        if g is not None and (isinstance(g, bool) or not isinstance(g, (int, float)) or not 0 < g < math.inf):
            _fail(f"{prefix}.g", g, "a finite number > 0 or null (sigma/sqrt(n))")
        _grid(entry.get("s"), f"{prefix}.s", *LIMITS["s"])
        if (entry.get("rho") is None) == (entry.get("lam") is None):
            _fail(f"{prefix}.rho", entry.get("rho"), "given, or lam given instead (exactly one of rho, lam)")
        if entry.get("rho") is not None:
            _grid(entry["rho"], f"{prefix}.rho", *LIMITS["rho"])
        else:
            _grid(entry["lam"], f"{prefix}.lam", 0.0, math.inf)


def intervals(section: dict) -> int:
    """Intervals of constant lambda per sample: 2K - 1 of the staircase and the gap's."""
    return 2 * section["ramp_steps"] - 1 + (section["gap"] > 0)


MEMORY = ("training.trials * (1 kB + 8 B * (5 * replicas + 9) + 8 B * D * (n + M)) + 8 B * threads * "
          "(replicas + 1) * M * n, the largest series")
"""What one simulate job holds (the formula of ``job_bytes``): per data set its Generator, its output rows and,
while it runs, its inputs and labels (held by all data sets at once as the worst case)."""

WORK = ("training.trials * D * epochs * intervals * (M * (n + 4) * (replicas + 1) + n^2 if covariance), the "
        "largest point; intervals = 2 ramp_steps - 1 + (gap > 0)")
"""The work of one simulate job (the formula of ``simulate_work``): weight updates of the replicas and of the mean
(with a per-row overhead worth 4 weights: the projection on x_hat and the residual), and the n x n covariance
update, per interval of constant lambda."""

RATE = 1.3e8
"""``simulate_work`` per second and thread: the kernel alone on one thread (NUMBA_NUM_THREADS=1), best of 4, at the
default M = 4, n = 8 (1.7e8) and M = 32, n = 1 (1.3e8) points, on the shared 2-core development machine under a load
average of 8 (2026-12-05): a lower bound."""


def point_bytes(section: dict, M: int, n: int, D: int) -> float:
    """``MEMORY`` at one point."""
    replicas = section["replicas"]
    return section["trials"] * (1000 + 8 * (5 * replicas + 9) + 8 * D * (n + M)) + 16 * (replicas + 1) * M * n


def job_bytes(section: dict) -> float:
    """``MEMORY``: the largest simulate job of the section."""
    return max(point_bytes(section, entry["M"], entry["n"], entry["D"]) for entry in section["series"])


def point_work(section: dict, M: int, n: int, D: int) -> float:
    """``WORK`` at one point."""
    per_interval = M * (n + 4) * (section["replicas"] + 1) + (n * n if section["covariance"] else 0)
    return section["trials"] * D * section["epochs"] * intervals(section) * per_interval


def simulate_work(section: dict, duration: float | None = None) -> float:
    """``WORK``: the largest simulate job of the section (``duration`` unused: the protocol time is D tau)."""
    return max(point_work(section, entry["M"], entry["n"], entry["D"]) for entry in section["series"])


def total_work(section: dict) -> float:
    """``WORK`` summed over every point of the section."""
    points = space(section)
    return float(sum(point_work(section, row.M, row.n, row.D) for row in points.itertuples()))


def seconds(section: dict) -> float:
    """Predicted kernel seconds of the whole section on one thread: total_work / RATE."""
    return total_work(section) / RATE

