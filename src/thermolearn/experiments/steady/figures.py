"""Figures F1-F3 of Model F from its summary table (docs/science.md, Model F): simulation points with
68% t-interval error bars on the closed forms. Each function returns the figure; the caller saves it
(``thermolearn.plotting.save``) after ``plotting.setup()``; ``steady`` draws all three for the
figure job."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import plotting
from thermolearn.experiments.steady import theory

CURRENT_STYLE = {
    "J": dict(color="#0072B2", marker="o", label=r"$J = \int x \circ dy$"),
    "heat": dict(color="#D55E00", marker="s", label=r"heat $Q_y$"),
    "learning": dict(color="#009E73", marker="D", label=r"information $i_t$"),
}


def longest_time(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows at the longest recorded time: the rates are exact at every t in the steady state, and
    most precise at the longest."""
    return summary[np.isclose(summary["t"], summary["t"].max())]


def learning_strength(c: float, k: float, T: float) -> str:
    """Legend label of one c: its c^2/(kT)."""
    return rf"$c^2/(kT) = {c * c / (k * T):.3g}$"


def data_limits(values, errors, least: tuple[float, float], margin: float = 0.04) -> tuple[float, float]:
    """y-limits that hold ``least`` and every error bar values +- errors (NaN ignored), with a margin."""
    low, high = np.asarray(values, dtype=float) - errors, np.asarray(values, dtype=float) + errors
    bottom = min(least[0], np.nanmin(low, initial=np.inf))
    top = max(least[1], np.nanmax(high, initial=-np.inf))
    pad = margin * (top - bottom)
    return (bottom - pad if bottom < least[0] else bottom, top + pad if top > least[1] else top)


def efficiency(summary: pd.DataFrame, *, k: float, T: float) -> Figure:
    """F1: eta_ss = T l / Qdot_y against gamma/k for each c, closed form kT(k+gamma)/E, with its limits
    1 (gamma/k -> 0) and k/(k+gamma) (c^2/T -> 0)."""
    rows = longest_time(summary)
    colour = plotting.colours(rows["c"].unique())
    gamma = np.geomspace(rows["gamma"].min() / 3, rows["gamma"].max() * 3, 200)
    fig, ax = plotting.figure(height=3.2)
    for c, at_c in rows.groupby("c"):
        ax.plot(gamma / k, theory.efficiency(gamma, c, k=k, T=T), color=colour[c], lw=1)
        ax.errorbar(at_c["gamma"] / k, at_c["eta"], yerr=plotting.error_bar(at_c, "eta"), fmt="o",
                    color=colour[c], mfc="white", label=learning_strength(c, k, T))
    ax.plot(gamma / k, k / (k + gamma), color="0.4", ls=":", lw=1, label=r"$c^2/T \to 0$: $k/(k+\gamma)$")
    ax.axhline(1.0, color="black", ls="--", lw=1, label=r"bound $\eta_\mathrm{ss} = 1$")
    ax.set(xscale="log", ylim=data_limits(rows["eta"], plotting.error_bar(rows, "eta"), (0.0, 1.08)),
           xlabel=r"teacher drift rate $\gamma/k$",
           ylabel=r"efficiency $\eta_\mathrm{ss} = T\ell/\dot Q_y$",
           title="steady-state learning\n" + plotting.parameters(k=k, T=T, t=rows["t"].iloc[0]))
    plotting.legend(fig)
    return fig


def tur(summary: pd.DataFrame, gamma: float, c: float, *, k: float, T: float) -> Figure:
    """F2: the TUR ratio v^2 R / (sigma_tot/2) of the three currents against t at one (gamma, c): exact
    finite-time lines, the common limit R_inf = T(k+gamma)^2/E and the bound 1."""
    rows = summary[np.isclose(summary["gamma"], gamma) & np.isclose(summary["c"], c)]
    times = np.geomspace(rows["t"].min() / 2, rows["t"].max() * 2, 120)
    sigma_tot = theory.entropy_production(gamma, c, k=k, T=T)
    fig, ax = plotting.figure(height=3.4)
    for current, weights in theory.current_weights(gamma, c, k=k, T=T).items():
        style = CURRENT_STYLE[current]
        mean, variance = theory.finite_time_moments(gamma, c, k=k, T=T, weights=weights, times=times)
        ax.plot(times, 2.0 * mean**2 / (variance * sigma_tot * times), color=style["color"], lw=1)
        ax.errorbar(rows["t"], rows[f"{current}_ratio"], yerr=plotting.error_bar(rows, f"{current}_ratio"),
                    fmt=style["marker"], color=style["color"], mfc="white", ms=3.5, label=style["label"])
    ax.axhline(theory.long_time_ratio(gamma, c, k=k, T=T), color="0.4", ls="--", lw=1,
               label=r"$R_\infty = T(k+\gamma)^2/E$")
    ax.axhline(1.0, color="black", ls="--", lw=1, label="bound 1")
    ax.set(xscale="log", ylim=(0, 1.1), xlabel=r"time $t$",
           ylabel=r"TUR ratio $v^2 R\,/\,(\sigma_\mathrm{tot}/2)$",
           title="speed, reliability and dissipation in the steady state\n"
           + plotting.parameters(gamma=gamma, c=c, k=k, T=T))
    plotting.legend(fig)
    return fig


def generalisation(summary: pd.DataFrame, *, k: float, T: float, held_out_weights: int) -> Figure:
    """F3: eps_g from the overlap and on held-out inputs against the dissipation Qdot_y/(gamma T) (both
    measured; held-out inputs of networks of ``held_out_weights`` weights), the closed form along gamma for each
    c, and the bound arccot(sqrt(Qdot_y/(gamma T)))/pi, a function of Qdot_y/(gamma T) alone."""
    rows = longest_time(summary)
    colour = plotting.colours(rows["c"].unique())
    gamma = np.geomspace(rows["gamma"].min() / 3, rows["gamma"].max() * 3, 200)
    fig, ax = plotting.figure(height=3.4)
    for c, at_c in rows.groupby("c"):
        ax.plot(theory.rates(gamma, c, k=k, T=T)["heat"] / (gamma * T), theory.eps_g(gamma, c, k=k, T=T),
                color=colour[c], lw=1, label=learning_strength(c, k, T))
        dissipation = at_c["heat_rate"] / (at_c["gamma"] * T)
        xerr = plotting.error_bar(at_c, "heat_rate") / (at_c["gamma"] * T)
        for estimate, marker in (("eps_g", "o"), ("eps_g_test", "x")):
            ax.errorbar(dissipation, at_c[estimate], xerr=xerr, yerr=plotting.error_bar(at_c, estimate), fmt=marker,
                        color=colour[c], mfc="white")
    ax.plot([], [], "o", color="0.3", mfc="white", label=r"from the overlap, $\arccos(\rho)/\pi$")
    ax.plot([], [], "x", color="0.3", label=f"held-out inputs, $N = {held_out_weights}$")
    ax.set_xscale("log")
    dissipation = np.geomspace(*ax.get_xlim(), 200)
    ax.plot(dissipation, theory.eps_g_bound(dissipation, gamma=1.0, T=1.0),  # dissipation: Qdot_y/(gamma T)
            color="black", ls="--", lw=1, label=r"bound $\mathrm{arccot}\sqrt{\dot Q_y/(\gamma T)}\,/\pi$")
    ax.set(ylim=(0, 0.52), xlabel=r"dissipation per drift $\dot Q_y/(\gamma T)$",
           ylabel=r"generalisation error $\epsilon_g$",
           title="generalisation error and its dissipation bound\n"
           + plotting.parameters(k=k, T=T, t=rows["t"].iloc[0]))
    plotting.legend(fig)
    return fig


def steady(summary: pd.DataFrame, *, k: float, T: float, N: int, ratio_point: dict) -> dict[str, Figure]:
    """F1-F3 by output name: the TUR ratio at ``ratio_point`` (gamma, c), held-out inputs of networks
    of N weights."""
    return {
        "efficiency": efficiency(summary, k=k, T=T),
        "tur": tur(summary, ratio_point["gamma"], ratio_point["c"], k=k, T=T),
        "generalisation": generalisation(summary, k=k, T=T, held_out_weights=N),
    }
