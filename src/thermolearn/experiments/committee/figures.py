"""Figures H1-H3 of Model H from its summary table (docs/science.md, Model H): simulation points with 68% t-interval
error bars on the ODE lines. Each function returns the figure; the caller saves it (``thermolearn.plotting.save``)
after ``plotting.setup()``. The plateau-against-nu panels of H3 are theory alone, at their own eps."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import plotting
from thermolearn.experiments.committee import lean, theory

LINE_POINTS = 300


def model(nu: float, *, K: int, M: int, k: float, T: float, r: float, epsilon: float, sigma_y: float) -> theory.Model:
    """The ODEs' parameters at one nu."""
    return theory.Model(K, M, nu, k, T, r, epsilon, sigma_y, lean(K, M))


def lines(summary: pd.DataFrame, nu: float, **params) -> tuple[np.ndarray, dict]:
    """alpha on a fine grid up to the summary's largest and the ODE solution there."""
    alpha = np.linspace(0.0, summary["alpha"].max(), LINE_POINTS)
    return alpha, theory.order_parameters(model(nu, **params), alpha / params["r"])


def plateau_state(nu: float, **params) -> np.ndarray | None:
    """The symmetric plateau at nu (``theory.plateau_state``), or None where there is none: no symmetric fixed point,
    or a stable one (``theory.escape_rate`` <= 0: the network ends there, as at high T, rather than leaving it)."""
    try:
        plateau = theory.plateau_state(model(nu, **params))
    except RuntimeError:
        return None
    return plateau if theory.escape_rate(plateau, model(nu, **params)) > 0 else None


def title(**params) -> str:
    """The parameters that define the run, for a title."""
    shown = {key: params[key] for key in ("K", "M", "k", "T", "r", "epsilon")}
    if params.get("sigma_y"):
        shown["sigma_y"] = params["sigma_y"]
    return plotting.parameters(**shown)


def generalisation(summary: pd.DataFrame, *, K: int, M: int, k: float, T: float, r: float, epsilon: float,
                   sigma_y: float) -> Figure:
    """H1: eps_g(alpha) for each nu: the closed form of the averaged order parameters (o) and held-out inputs (x),
    on the ODE lines from eps; dashed, the symmetric solution from eps = 0, which stays on the plateau."""
    params = dict(K=K, M=M, k=k, T=T, r=r, epsilon=epsilon, sigma_y=sigma_y)
    colour = plotting.colours(summary["nu"].unique())
    fig, ax = plotting.figure(height=3.2)
    for nu, rows in summary.groupby("nu"):
        alpha, ode = lines(summary, nu, **params)
        ax.plot(alpha, ode["eps_g"], color=colour[nu], lw=1, label=rf"$\nu = {nu:g}$")
        symmetric = theory.order_parameters(model(nu, **params | {"epsilon": 0.0}), alpha / r, symmetric=True)
        ax.plot(alpha, symmetric["eps_g"], color=colour[nu], lw=1, ls="--")
        ax.errorbar(rows["alpha"], rows["eps_g"], yerr=plotting.error_bar(rows, "eps_g"), fmt="o", color=colour[nu],
                    mfc="white")
        ax.errorbar(rows["alpha"], rows["eps_g_test"], yerr=plotting.error_bar(rows, "eps_g_test"), fmt="x",
                    color=colour[nu])
    ax.plot([], [], color="0.3", ls="--", lw=1, label=r"symmetric ODE, $\epsilon = 0$")
    ax.plot([], [], "o", color="0.3", mfc="white", label="from the order parameters")
    ax.plot([], [], "x", color="0.3", label="held-out inputs")
    ax.set(yscale="log", xlabel=r"samples per weight $\alpha$", ylabel=r"generalisation error $\epsilon_g$",
           title="committee machine through the plateau\n" + title(**params))
    plotting.legend(fig)
    return fig


def shade_plateau(ax, alpha: np.ndarray, eps_g: np.ndarray, plateau: np.ndarray | None, colour: str, K: int,
                  M: int, sigma_y: float) -> None:
    """Shade where the ODE's eps_g is within theory.PLATEAU_BAND of the symmetric plateau's."""
    if plateau is None:
        return
    R, Q, *_ = theory.unpack(plateau, K, M)
    level = float(theory.generalisation_error(R, Q, sigma_y))
    near = np.abs(eps_g - level) <= theory.PLATEAU_BAND * level
    if near.any():
        ax.axvspan(alpha[np.argmax(near)], alpha[len(near) - 1 - np.argmax(near[::-1])], color=colour, alpha=0.12,
                   lw=0)


def heat_and_efficiency(summary: pd.DataFrame, *, K: int, M: int, k: float, T: float, r: float, epsilon: float,
                        sigma_y: float) -> Figure:
    """H2: (a) the heat rate per weight dQ/(T d alpha) and (b) eta = Delta I_uh / (Delta S + Q/T) against alpha for
    each nu, simulation (mean over each alpha interval) on the ODE lines, the plateaus shaded; the plateau's exact
    rate (gradient noise + curvature) dotted."""
    params = dict(K=K, M=M, k=k, T=T, r=r, epsilon=epsilon, sigma_y=sigma_y)
    colour = plotting.colours(summary["nu"].unique())
    fig, (rate_ax, eta_ax) = plotting.figure(2, height=3.0)
    for nu, rows in summary.groupby("nu"):
        alpha, ode = lines(summary, nu, **params)
        rate = np.array([theory.heat_rate(y, model(nu, **params)) for y in
                         theory.integrate(model(nu, **params), alpha / r)]) / r
        rate_ax.plot(alpha, rate, color=colour[nu], lw=1, label=rf"$\nu = {nu:g}$")
        plateau = plateau_state(nu, **params)
        if plateau is not None:
            Rp, Qp, *_ = theory.unpack(plateau, K, M)
            rate_ax.axhline(theory.plateau_heat_rate(Rp, Qp, model(nu, **params)) / r, color=colour[nu], lw=1, ls=":")
        for ax in (rate_ax, eta_ax):
            shade_plateau(ax, alpha, ode["eps_g"], plateau, colour[nu], K, M, sigma_y)
        middle = rows["alpha"] - 0.5 * np.diff(rows["alpha"], prepend=0.0)
        rate_ax.errorbar(middle, rows["heat_rate"], yerr=plotting.error_bar(rows, "heat_rate"), fmt="o",
                         color=colour[nu], mfc="white")
        eta_ax.plot(alpha[1:], ode["eta"][1:], color=colour[nu], lw=1)
        eta_ax.errorbar(rows["alpha"], rows["eta"], yerr=plotting.error_bar(rows, "eta"), fmt="o", color=colour[nu],
                        mfc="white")
    for ax in (rate_ax, eta_ax):
        ax.set_xlabel(r"samples per weight $\alpha$")
    rate_ax.plot([], [], color="0.3", ls=":", lw=1, label="plateau rate (identity)")
    rate_ax.set(yscale="log", ylabel=r"heat rate $\mathrm{d}Q/(T\,\mathrm{d}\alpha)$ per weight")
    plotting.panel_label(rate_ax, "a", "heat rate, plateaus shaded")
    eta_ax.axhline(0.0, color="0.6", lw=0.6)  # Delta I_uh < 0 where the lean's prior information is lost first
    eta_ax.set(ylabel=r"$\eta = \Delta I_{uh} / (\Delta S + Q/T)$")
    plotting.panel_label(eta_ax, "b", "efficiency")
    fig.suptitle(title(**params), fontsize="small")
    plotting.legend(fig, ncols=4)
    return fig


def plateau_scan(nus, *, K: int, M: int, k: float, T: float, r: float, epsilon: float,
                 sigma_y: float) -> pd.DataFrame:
    """Theory only: per nu the plateau's length in alpha, heat rate per weight and sample per weight, and the cost
    per weight paid on it and from the start to its end (``theory.escape``) from the lean ``epsilon``."""
    rows = []
    params = dict(K=K, M=M, k=k, T=T, r=r, epsilon=epsilon, sigma_y=sigma_y)
    for nu in nus:
        row = {"nu": nu, "length": np.nan, "heat_rate": np.nan, "cost": np.nan, "cost_to_escape": np.nan}
        if plateau_state(nu, **params) is not None:  # else no plateau to leave: NaN, not drawn
            try:
                found = theory.escape(model(nu, **params))
                row |= {"length": found["length"], "heat_rate": found["heat_rate"] / r, "cost": found["cost"],
                        "cost_to_escape": found["cost_to_escape"]}
            except RuntimeError:  # no escape within the integration time
                pass
        rows.append(row)
    return pd.DataFrame(rows)


def information_cost(summary: pd.DataFrame, *, K: int, M: int, k: float, T: float, r: float, epsilon: float,
                     sigma_y: float, plateau_epsilon: float, plateau_nu) -> Figure:
    """H3: (a) the learning path Delta I_uh against Delta S + Q/T per weight (simulation on the ODE lines, eta = 1
    dashed, eta = 0.1 and 0.01 dotted); (b-d) theory alone from the lean ``plateau_epsilon``: the plateau's length,
    heat rate and the cost paid on it (eps_g within theory.PLATEAU_BAND of the plateau's) and from the start to its
    end, against nu."""
    params = dict(K=K, M=M, k=k, T=T, r=r, epsilon=epsilon, sigma_y=sigma_y)
    colour = plotting.colours(summary["nu"].unique())
    fig, axes = plt.subplots(2, 2, figsize=(2 * plotting.COLUMN_WIDTH, 5.4), layout="constrained")
    path = axes[0, 0]
    for nu, rows in summary.groupby("nu"):
        alpha, ode = lines(summary, nu, **params)
        path.plot(ode["cost"][1:], ode["information"][1:], color=colour[nu], lw=1, label=rf"$\nu = {nu:g}$")
        path.errorbar(rows["cost"], rows["information"], xerr=plotting.error_bar(rows, "cost"),
                      yerr=plotting.error_bar(rows, "information"), fmt="o", color=colour[nu], mfc="white")
    low = max(min(summary["information"].min(), summary["cost"].min()) / 2, 1e-4)
    high = 2 * max(summary["information"].max(), summary["cost"].max())
    diagonal = np.geomspace(low, high, 50)
    path.plot(diagonal, diagonal, color="black", ls="--", lw=1, label=r"$\eta = 1$")
    for eta in (0.1, 0.01):  # guides: the efficiency is the distance below the diagonal
        path.plot(diagonal, eta * diagonal, color="0.6", ls=":", lw=0.8)
        x = high / 1.5
        if eta * x > low:
            path.text(x, eta * x * 1.3, rf"$\eta = {eta:g}$", color="0.4", fontsize="x-small", ha="right",
                      va="bottom")
    path.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high),
             xlabel=r"cost $\Delta S + Q/T$ per weight", ylabel=r"$\Delta I_{uh}$ per weight")
    plotting.panel_label(path, "a", "learning path")
    scan = plateau_scan(plateau_nu, **params | {"epsilon": plateau_epsilon})
    theory_only = rf"theory only, $\epsilon = {plateau_epsilon:g}$"
    for ax, (column, label, ylabel) in zip(axes.flat[1:], [
        ("length", "b", r"plateau length in $\alpha$"),
        ("heat_rate", "c", r"plateau heat rate $\mathrm{d}Q/(T\,\mathrm{d}\alpha)$"),
        ("cost", "d", r"cost $\Delta S + Q/T$ (nats per weight)"),
    ]):
        ax.plot(scan["nu"], scan[column], "k-", marker="s", ms=3, lw=1, label="cost on the plateau")
        ax.set(xscale="log", xlabel=r"learning rate $\nu$", ylabel=ylabel)
        if scan[column].notna().any():
            ax.set_yscale("log")
        else:
            ax.text(0.5, 0.5, "no plateau to leave\nat these parameters", transform=ax.transAxes, ha="center",
                    va="center", fontsize="small")
        plotting.panel_label(ax, label, theory_only)
    cost = axes[1, 1]
    cost.plot(scan["nu"], scan["cost_to_escape"], "k--", marker="o", mfc="white", ms=3, lw=1,
              label="cost from the start to its end")
    fig.suptitle(title(**params), fontsize="small")
    handles, labels = path.get_legend_handles_labels()
    more, more_labels = cost.get_legend_handles_labels()
    plotting.legend(fig, handles + more, labels + more_labels, ncols=3)
    return fig
