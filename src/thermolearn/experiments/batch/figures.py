"""Figures B1-B3 of Model B from its summary table (docs/science.md, Model B): simulation points with
68% t-interval error bars on the closed forms. Each function returns the figure; the caller saves it
(``thermolearn.plotting.save``) after ``plotting.setup()``."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import plotting, tables
from thermolearn.experiments.batch import FLUCTUATION_HEAT_LIMIT, theory


def eta(summary: pd.DataFrame, *, k: float, T: float, N: int) -> Figure:
    """B1: efficiency eta vs learning rate nu at t -> infinity, for several alpha."""
    final = summary[summary["t"] == summary["t"].max()]
    t_f = final["t"].iloc[0]
    fig, ax = plotting.figure(height=3.2)
    colour = plotting.colours(final["alpha"].unique())
    nu_line = np.geomspace(final["nu"].min() / 1.5, final["nu"].max() * 1.5, 200)
    for (alpha, points), marker in zip(final.groupby("alpha"), plotting.MARKERS):
        ax.plot(nu_line, theory.eta(nu_line, alpha, k=k, T=T, t=t_f, N=N), color=colour[alpha], lw=1)
        ax.errorbar(
            points["nu"], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=marker, color=colour[alpha],
            mfc="white", label=rf"$\alpha = {alpha:g}$",
        )
    ax.axhline(1.0, color="black", ls=":", lw=1, label=r"bound $\eta = 1$")
    ax.axhline(theory.ETA_SMALL_NU, color="0.4", ls="--", lw=1, label=r"$1/\pi$ ($\nu \to 0$)")
    ax.set(
        xscale="log", yscale="log", xlabel=r"learning rate $\nu$",
        ylabel=r"efficiency $\eta = \alpha I / (\Delta S + \langle Q\rangle/T)$",
        title="batch Hebbian learning\n" + plotting.parameters(N=N, k=k, T=T, t_f=t_f),
    )
    ax.set_ylim(top=1.6)
    plotting.legend(fig)
    return fig


def bound(summary: pd.DataFrame, *, k: float, T: float, N: int, bound: dict) -> Figure:
    """B2: information alpha I(t) and its cost Delta S(t) + <Q>(t)/T over time at ``bound``'s alpha
    and nus."""
    alpha = bound["alpha"]
    shown = summary[np.isclose(summary["alpha"], alpha)
                    & summary["nu"].apply(lambda v: np.isclose(v, bound["nu"]).any())]
    fig, ax = plotting.figure(height=3.4)
    colour = plotting.colours(shown["nu"].unique(), palette="rocket")
    t_line = np.geomspace(shown["t"].min() / 1.5, shown["t"].max() * 1.5, 200)
    for nu, points in shown.groupby("nu"):
        cost = theory.entropy_change(nu, alpha, k=k, T=T, t=t_line) + theory.heat(nu, alpha, k=k, T=T, t=t_line)
        ax.plot(t_line, cost, color=colour[nu], lw=1)
        ax.plot(t_line, alpha * theory.information(nu, alpha, k=k, T=T, t=t_line, N=N), color=colour[nu], lw=1, ls="--")
        ax.errorbar(points["t"], points["cost"], yerr=plotting.error_bar(points, "cost"), fmt="o", color=colour[nu],
                    label=rf"$\nu = {nu:g}$")
        ax.errorbar(points["t"], alpha * points["information"],
                    yerr=alpha * plotting.error_bar(points, "information"), fmt="s", mfc="white", color=colour[nu])
    ax.plot([], [], "ko-", lw=1, label=r"$\Delta S + \langle Q\rangle/T$")
    ax.plot([], [], "ks--", mfc="white", lw=1, label=r"$\alpha I$")
    ax.set(
        xscale="log", yscale="log", xlabel=r"time $t$", ylabel="per weight [nats]",
        title=r"bound $\alpha I \leq \Delta S + \langle Q\rangle/T$" + "\n"
        + plotting.parameters(alpha=alpha, N=N, k=k, T=T),
    )
    plotting.legend(fig)
    return fig


HISTOGRAM_COLUMNS = ["t", "left", "right", "density"]


def read_histogram(paths: dict, *, t: float, bins: int) -> dict:
    """The Delta s_tot histogram at the last time (``bins`` rows)."""
    return {"histogram": tables.read_csv(paths["histogram"], HISTOGRAM_COLUMNS, {"t": [t]}, per=bins)}


def fluctuation(summary: pd.DataFrame, histogram: pd.DataFrame, *, k: float, T: float, N: int,
                point: dict) -> Figure:
    """B3: the Delta s_tot histogram at ``point`` and the integral fluctuation theorem
    <exp(-Delta s_tot)> = 1 where it can be tested."""
    t_f = histogram["t"].iloc[0]
    at_point = summary[np.isclose(summary["alpha"], point["alpha"]) & np.isclose(summary["nu"], point["nu"])]
    final = at_point[at_point["t"] == t_f].iloc[0]
    fig, (hist_ax, ft_ax) = plotting.figure(2, height=2.8)
    hist_ax.stairs(histogram["density"], np.append(histogram["left"], histogram["right"].iloc[-1]),
                   fill=True, alpha=0.5, color="C0")
    hist_ax.set(yscale="log", xlabel=r"total entropy production $\Delta s_{tot}$ [$k_B$]",
                ylabel="probability density")
    bottom = hist_ax.get_ylim()[0]
    peak = histogram["density"].max()
    hist_ax.set_ylim(bottom, peak * (peak / bottom) ** (2 / 3))  # the histogram in the lower 60 %, the legend above
    # markers up to the histogram's peak only, so that they stay clear of the legend
    hist_ax.vlines(final["entropy_production"], bottom, peak, color="C3", lw=1,
                   label=rf"$\langle\Delta s_{{tot}}\rangle = {final['entropy_production']:.3f}$")
    hist_ax.vlines(0.0, bottom, peak, color="black", lw=0.5)
    hist_ax.legend(title=rf"$\langle e^{{-\Delta s_{{tot}}}}\rangle = {final['fluctuation_theorem']:.4f} "
                         rf"\pm {plotting.error_bar(final, 'fluctuation_theorem'):.4f}$",
                   fontsize="small", loc="upper right")
    plotting.panel_label(hist_ax, "a", plotting.parameters(alpha=point["alpha"], nu=point["nu"], t=t_f))
    checked = summary[summary["heat_theory"] < FLUCTUATION_HEAT_LIMIT]
    colour = plotting.colours(checked["alpha"].unique())
    for (alpha, points), marker in zip(checked.groupby("alpha"), plotting.MARKERS):
        ft_ax.errorbar(points["entropy_production"], points["fluctuation_theorem"],
                       yerr=plotting.error_bar(points, "fluctuation_theorem"), fmt=marker, mfc="white",
                       color=colour[alpha], label=rf"$\alpha={alpha:g}$")
    ft_ax.axhline(1.0, color="black", ls="--", lw=1)
    ft_ax.set(xscale="log", xlabel=r"mean entropy production $\langle\Delta s_{tot}\rangle$ [$k_B$]",
              ylabel=r"$\langle e^{-\Delta s_{tot}}\rangle$")
    plotting.panel_label(ft_ax, "b", r"every $\nu$, $t$ with $\langle Q\rangle/T < 1/12$")
    fig.suptitle(f"integral fluctuation theorem, {plotting.parameters(N=N, k=k, T=T)}", fontsize="medium")
    plotting.legend(fig, *ft_ax.get_legend_handles_labels())
    return fig
