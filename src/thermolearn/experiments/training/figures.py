"""Figures G1-G3 of Model G from its summary table (docs/science.md, Model G): simulation points with 68%
t-interval error bars on the exact theory (the recursion over samples). Each function returns the figure; the
caller saves it (``thermolearn.plotting.save``) after ``plotting.setup()``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from thermolearn import plotting
from thermolearn.experiments.training import theory

LINE_POINTS = 25
"""Points of each exact line (each one run of the recursion over D samples)."""

REFERENCE = {"color": "0.55", "lw": 0.8, "ls": "-."}
"""The style of the reference lines (E = 2NDT, rho = 1, the bound 1): apart from the solid exact lines."""


def _model(T, sigma, gamma, kappa, v0, epochs, ramp_steps, gap):
    return dict(T=T, sigma=sigma, gamma=gamma, kappa=kappa, v0=v0, epochs=epochs, ramp_steps=ramp_steps, gap=gap)


def exact_line(rows: pd.DataFrame, rho_targets: np.ndarray, *, T: float, sigma: float, gamma: float, kappa: float,
               v0: float | None, epochs: int, ramp_steps: int, gap: float) -> pd.DataFrame:
    """The exact theory along the rho targets at the (M, n, D, g, s) of ``rows`` (one series and s): every
    quantity of theory.point_theory per target (lambda = phi T/(rho V_inf), tau = s gamma/(lambda n))."""
    first = rows.iloc[0]
    n = int(first["n"])
    out = []
    for rho in rho_targets:
        lam, tau = theory.clamp(float(first["s"]), float(rho), n, T=T, sigma=sigma, gamma=gamma)
        out.append(theory.point_theory(M=int(first["M"]), n=n, D=int(first["D"]), lam=lam, tau=tau,
                                       g=float(first["g"]), sigma=sigma, T=T, kappa=kappa, gamma=gamma,
                                       v0=T / lam if v0 is None else v0, epochs=epochs, ramp_steps=ramp_steps,
                                       gap=gap))
    return pd.DataFrame(out)


def _parameters(T: float, sigma: float, kappa: float) -> str:
    return plotting.parameters(T=T, sigma=sigma, kappa=kappa)


def _rho_series(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of the series scanned over rho (more than one rho target at an s)."""
    counts = summary.groupby(["series", "s"])["rho_target"].transform("nunique")
    return summary[counts > 1]


MARKERS = {1: "s"}
"""Marker per number of inputs n (squares for n = 1, where the variance form fails; circles otherwise)."""


def _scans(rows: pd.DataFrame, by: list[str]) -> list[tuple]:
    """The (key, rows) groups of ``rows`` by ``by``, ordered by n (dense inputs first), then s."""
    groups = list(rows.groupby(by, sort=True))
    return sorted(groups, key=lambda group: (-int(group[1]["n"].iloc[0]), float(group[1]["s"].iloc[0])))


def _marker(rows: pd.DataFrame) -> str:
    return MARKERS.get(int(rows["n"].iloc[0]), "o")


def _label(rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    return f"$s = {first['s']:g}$, $n = {int(first['n'])}$"


def _rho_scans(summary: pd.DataFrame, model: dict):
    """(key, rows, rho targets, exact line, colour) of every series scanned over rho, in ``_scans``' order, one
    colour each; the exact line runs over the simulated rho targets widened by 1.5 either side."""
    groups = _scans(_rho_series(summary), ["series", "s"])
    for (key, at), colour in zip(groups, plotting.colours(range(len(groups))).values()):
        targets = np.geomspace(at["rho_target"].min() / 1.5, at["rho_target"].max() * 1.5, LINE_POINTS)
        yield key, at, targets, exact_line(at, targets, **model), colour


def energy_vs_rho(summary: pd.DataFrame, *, T: float, sigma: float, gamma: float, kappa: float = 0.0,
                  v0: float | None = None, epochs: int = 1, ramp_steps: int = 1, gap: float = 0.0):
    """G1: E_train/(N D T) against rho = V_th/V_stat (log-log) for every series scanned over rho, one colour per
    (series, s), with the exact finite-D lines, the steady state (2 - a) phi/rho + (n - 1)s/n ((1 + e^{-s})/rho at
    n = 1) as dotted lines, the slow limit 2/rho and the lines E = 2NDT and rho = 1."""
    fig, ax = plotting.figure(height=3.4)
    for key, at, targets, line, colour in _rho_scans(summary, _model(T, sigma, gamma, kappa, v0, epochs, ramp_steps,
                                                                      gap)):
        ax.plot(line["rho"], line["energy_ratio"], color=colour, lw=1)
        ax.plot(targets, theory.steady_energy_ratio(key[1], targets, int(at["n"].iloc[0])), color=colour,
                lw=0.8, ls=":")
        ax.errorbar(at["rho"], at["energy_ratio"], xerr=plotting.error_bar(at, "rho"),
                    yerr=plotting.error_bar(at, "energy_ratio"), fmt=_marker(at), color=colour,
                    mfc="white", zorder=3, label=_label(at))
    ax.set(xscale="log", yscale="log")
    rho = np.geomspace(*ax.get_xlim(), 100)
    ax.plot(rho, 2.0 / rho, color="black", ls="--", lw=1, label=r"slow limit $2/\rho$")
    ax.axhline(2.0, **REFERENCE, label=r"$E_\mathrm{train} = 2NDk_BT$ and $\rho = 1$")
    ax.axvline(1.0, **REFERENCE)
    ax.plot([], [], color="0.3", lw=1, label="exact, finite $D$")
    ax.plot([], [], color="0.3", lw=0.8, ls=":", label=r"steady state, $(2-a)\varphi/\rho + (n-1)s/n$")
    ax.set(xlabel=r"thermal over statistical variance $\rho = V_\mathrm{th}/V_\mathrm{stat}$",
           ylabel=r"training energy $E_\mathrm{train}/(NDk_BT)$",
           title="the energy cost of training\n" + _parameters(T, sigma, kappa))
    plotting.legend(fig)
    return fig


def saturation(summary: pd.DataFrame, *, T: float, sigma: float, gamma: float, kappa: float = 0.0,
               v0: float | None = None, epochs: int = 1, ramp_steps: int = 1, gap: float = 0.0):
    """G2: (E_train - ΔF)/(2NT sum r_mu) = (E_train - ΔF)/B_W against s for the series scanned over s (one rho
    target), with the exact lines (for n > 1 without ΔF, which has no closed form there: E_train/B_W, off by
    O(1/D)), the n = 1 equality (s/2)coth(s/2) and the exact bound 1 (B4)."""
    by_series = summary.groupby("series")
    scanned = (by_series["s"].transform("nunique") > 1) & (by_series["rho_target"].transform("nunique") == 1)
    rows = summary[scanned & summary["bound_ratio"].notna()]
    groups = _scans(rows, ["series"])
    colour = dict(zip([key for key, _ in groups], plotting.colours(range(len(groups)), "rocket").values()))
    fig, ax = plotting.figure(height=3.2)
    for key, at in groups:
        first = at.iloc[0]
        n = int(first["n"])
        s_grid = np.geomspace(at["s"].min() / 1.5, at["s"].max() * 1.5, 2 * LINE_POINTS)
        ratio = []
        for s in s_grid:
            lam, tau = theory.clamp(float(s), float(first["rho_target"]), n, T=T, sigma=sigma, gamma=gamma)
            t = theory.point_theory(M=int(first["M"]), n=n, D=int(first["D"]), lam=lam, tau=tau, g=float(first["g"]),
                                    sigma=sigma, T=T, kappa=kappa, gamma=gamma, v0=T / lam if v0 is None else v0,
                                    epochs=epochs, ramp_steps=ramp_steps, gap=gap)
            ratio.append(t["bound_ratio"] if np.isfinite(t["bound_ratio"]) else t["E_train"] / t["transport"])
        ax.plot(s_grid, ratio, color=colour[key], lw=1)
        ax.errorbar(at["s"], at["bound_ratio"], yerr=plotting.error_bar(at, "bound_ratio"), fmt=_marker(at),
                    color=colour[key], mfc="white", zorder=3,
                    label=f"$n = {n}$, $M = {int(first['M'])}$, $D = {int(first['D'])}$")
    ax.set_xscale("log")
    s = np.geomspace(*ax.get_xlim(), 200)
    ax.plot(s, theory.relaxation_factor(s), color="black", ls="--", lw=1,
            label=r"$n = 1$ equality $(s/2)\coth(s/2)$")
    ax.axhline(1.0, **REFERENCE, label="exact bound 1 (B4)")
    ax.plot([], [], color="0.3", lw=1, label=r"exact ($n > 1$: $E_\mathrm{train}/B_W$)")
    ax.set(yscale="log", xlabel=r"relaxation per sample $s = \lambda n\tau/\gamma$",
           ylabel=r"bound ratio $(E_\mathrm{train} - \Delta F)/B_W$",
           title="saturation of the exact bound\n" + _parameters(T, sigma, kappa))
    plotting.legend(fig)
    return fig


def tradeoff(summary: pd.DataFrame, *, T: float, sigma: float, gamma: float, kappa: float = 0.0,
             v0: float | None = None, epochs: int = 1, ramp_steps: int = 1, gap: float = 0.0):
    """G3: the energy-accuracy trade-off, (V_th + V_stat + B^2)/V_stat against E_train/(NDT) for every series
    scanned over rho, with the exact lines and the slow limit 1 + 2/(E_train/(NDT))."""
    fig, ax = plotting.figure(height=3.4)
    for _, at, _, line, colour in _rho_scans(summary, _model(T, sigma, gamma, kappa, v0, epochs, ramp_steps, gap)):
        ax.plot(line["energy_ratio"], line["error_ratio"], color=colour, lw=1)
        ax.errorbar(at["energy_ratio"], at["error_ratio"], xerr=plotting.error_bar(at, "energy_ratio"),
                    yerr=plotting.error_bar(at, "error_ratio"), fmt=_marker(at), color=colour,
                    mfc="white", zorder=3, label=_label(at))
    ax.set(xscale="log", yscale="log")
    energy = np.geomspace(*ax.get_xlim(), 100)
    ax.plot(energy, 1.0 + 2.0 / energy, color="black", ls="--", lw=1,
            label=r"slow limit $1 + 2NDk_BT/E_\mathrm{train}$")
    ax.plot([], [], color="0.3", lw=1, label="exact, finite $D$")
    ax.set(xlabel=r"training energy $E_\mathrm{train}/(NDk_BT)$",
           ylabel=r"error $(V_\mathrm{th} + V_\mathrm{stat} + B^2)/V_\mathrm{stat}$",
           title="energy-accuracy trade-off\n" + _parameters(T, sigma, kappa))
    plotting.legend(fig)
    return fig

