"""Figures E1 and E2 of Model E from its summary table (docs/science.md, Model E): the TUR ratio over
time and the precision-dissipation trade-off. The function returns the figures by output name; the
caller saves them (``thermolearn.plotting.save``) after ``plotting.setup()``."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import plotting, statistics
from thermolearn.experiments.tur import CURRENTS

COLOUR = {"displacement": "#0072B2", "work": "#D55E00", "heat": "#009E73"}
"""The colour of each current."""

LABEL = {"displacement": r"$\sum_n \mathrm{sgn}(f_n)\,\Delta w_n$", "work": r"$\sum_n f_n \Delta w_n$",
         "heat": r"heat $Q$"}
"""The legend entry of each current."""


def ratio(summary: pd.DataFrame, *, defining: str) -> Figure:
    """E1: the TUR ratio (t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1 over time, per current and nu, with
    its closed form for the Gaussian currents."""
    markers = dict(zip(sorted(summary["nu"].unique()), plotting.MARKERS))
    fig, ax = plotting.figure(height=3.4)
    for (current, nu), rows in summary.groupby(["current", "nu"]):
        ax.errorbar(rows["t"], rows["ratio"], yerr=plotting.error_bar(rows, "ratio"), fmt=markers[nu],
                    color=COLOUR[current], mfc="white", ms=3.5)
        if rows["ratio_theory"].notna().all():
            ax.plot(rows["t"], rows["ratio_theory"], color=COLOUR[current], lw=0.8)
    for current in CURRENTS:
        ax.plot([], [], "-", color=COLOUR[current], label=LABEL[current])
    for nu, marker in markers.items():
        ax.plot([], [], marker, color="0.3", mfc="white", label=rf"$\nu = {nu:g}$")
    ax.axhline(1.0, color="black", ls="--", lw=1)
    ax.set(xscale="log", xlabel=r"time $t$",
           ylabel=r"$(t\,\partial_t\langle J\rangle)^2 / (\mathrm{Var}\,J\;\langle\Sigma\rangle/2)$",
           title="TUR at fixed data\n" + defining, ylim=(0, 1.1))
    plotting.legend(fig)
    return fig


def tradeoff(summary: pd.DataFrame, *, defining: str, tradeoff_time: float) -> Figure:
    """E2: precision (t d<J>/dt)^2 / Var J vs entropy production <Sigma_t> at ``tradeoff_time``, under
    the bound <Sigma_t>/2."""
    fig, ax = plotting.figure(height=3.4)
    at_t = summary[np.isclose(summary["t"], tradeoff_time)]
    for current, rows in at_t.groupby("current"):
        precision_err = rows["precision"] * rows["variance_err"] / rows["variance"]
        ax.errorbar(rows["entropy_production"], rows["precision"], yerr=statistics.interval(precision_err, rows["dof"]),
                    fmt="o", color=COLOUR[current], mfc="white", label=LABEL[current])
    sigma = np.geomspace(at_t["entropy_production"].min() / 2, at_t["entropy_production"].max() * 2, 50)
    ax.plot(sigma, sigma / 2, color="black", ls="--", lw=1, label=r"bound $\langle\Sigma\rangle/2$")
    ax.set(xscale="log", yscale="log", xlabel=r"entropy production $\langle\Sigma_t\rangle$ [$k_B$]",
           ylabel=r"precision $(t\,\partial_t\langle J\rangle)^2/\mathrm{Var}\,J$",
           title="speed, reliability and dissipation\n" + defining + f", $t = {tradeoff_time:g}$")
    plotting.legend(fig)
    return fig


def ratio_and_tradeoff(summary: pd.DataFrame, *, N: int, alpha: float, k: float, T: float,
                       tradeoff_time: float) -> dict[str, Figure]:
    """E1 (``ratio``) and E2 (``tradeoff``), titled with the model's parameters."""
    defining = plotting.parameters(N=N, alpha=alpha, k=k, T=T)
    return {"ratio": ratio(summary, defining=defining),
            "tradeoff": tradeoff(summary, defining=defining, tradeoff_time=tradeoff_time)}
