"""Figures C1-C3 of Model C from its summary table (docs/science.md, Model C): simulation points with
68% t-interval error bars on the ODE theory, one colour and marker per configured rule. Each function
returns the figure; the caller saves it (``thermolearn.plotting.save``) after ``plotting.setup()``."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import plotting
from thermolearn.experiments.online.rules import spec
from thermolearn.experiments.online.theory import order_parameters


def eta(summary: pd.DataFrame, *, scan: str, alpha: list, r: float, T: float, N: int, nu_fixed: float,
        k_fixed: float, rules: list) -> Figure:
    """C1 (``scan`` "nu", at k_fixed) or C2 ("k", at nu_fixed): efficiency eta at the last alpha against
    the scanned parameter, for each rule."""
    alpha_f = alpha[-1]
    fixed = {"nu": ("k", k_fixed), "k": ("nu", nu_fixed)}[scan]
    shown = summary[np.isclose(summary[fixed[0]], fixed[1]) & np.isclose(summary["alpha"], alpha_f)]
    specs = [spec(entry) for entry in rules]
    styles = plotting.rule_styles(specs)
    fig, ax = plotting.figure(height=3.2)
    line = np.geomspace(shown[scan].min() / 1.5, shown[scan].max() * 1.5, 60)
    for rule in specs:
        style, points = styles[rule["name"]], shown[shown["rule"] == rule["name"]]
        params = {fixed[0]: fixed[1]}
        theory = [order_parameters(rule, T=T, r=r, t=alpha_f / r, **params, **{scan: x})["eta"][0] for x in line]
        ax.plot(line, theory, color=style["color"], lw=1)
        ax.errorbar(points[scan], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=style["marker"],
                    color=style["color"], mfc="white", label=style["label"])
    ax.axhline(1.0, color="black", ls=":", lw=1, label=r"bound $\eta = 1$")
    ax.set(
        xscale="log", yscale="log", xlabel={"nu": r"learning rate $\nu$", "k": r"trap stiffness $k$"}[scan],
        ylabel=r"efficiency $\eta = I_g / (\Delta S + \langle Q\rangle/T)$",
        title="online learning\n" + plotting.parameters(**{fixed[0]: fixed[1]}, alpha=alpha_f, r=r, T=T, N=N),
    )
    plotting.legend(fig)
    return fig


def cost_ax_values(ax, gid: str) -> np.ndarray:
    """The y-values of the theory lines of ``ax`` tagged ``gid`` (the heat's or Delta S's)."""
    lines = [line.get_ydata() for line in ax.get_lines() if line.get_gid() == gid]
    return np.concatenate(lines) if lines else np.array([])


def dynamics(summary: pd.DataFrame, *, r: float, T: float, N: int, nu_fixed: float, k_fixed: float,
             rules: list) -> Figure:
    """C3: generalization error, efficiency and cost (heat and entropy change) against alpha at
    (nu_fixed, k_fixed), for each rule."""
    nu, k = nu_fixed, k_fixed
    shown = summary[np.isclose(summary["nu"], nu) & np.isclose(summary["k"], k)]
    alpha_line = np.linspace(0.0, shown["alpha"].max() * 1.05, 200)[1:]
    specs = [spec(entry) for entry in rules]
    styles = plotting.rule_styles(specs)
    fig, (eps_ax, eta_ax, cost_ax) = plotting.figure(3, height=2.6)
    for rule in specs:
        style, points = styles[rule["name"]], shown[shown["rule"] == rule["name"]]
        theory = order_parameters(rule, alpha_line / r, nu=nu, k=k, T=T, r=r)
        colour = style["color"]
        eps_ax.plot(alpha_line, theory["eps_g"], color=colour, lw=1)
        eps_ax.errorbar(points["alpha"], points["eps_g"], yerr=plotting.error_bar(points, "eps_g"),
                        fmt=style["marker"], color=colour, label=style["label"])
        eps_ax.errorbar(points["alpha"], points["eps_g_test"], yerr=plotting.error_bar(points, "eps_g_test"),
                        fmt=style["marker"], color=colour, mfc="white", alpha=0.7)
        eta_ax.plot(alpha_line, theory["eta"], color=colour, lw=1)
        eta_ax.errorbar(points["alpha"], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=style["marker"],
                        color=colour, mfc="white")
        cost_ax.plot(alpha_line, theory["heat"], color=colour, lw=1, gid="heat")
        cost_ax.plot(alpha_line, theory["entropy_change"], color=colour, lw=1, ls="--", gid="entropy")
        cost_ax.errorbar(points["alpha"], points["heat"], yerr=plotting.error_bar(points, "heat"),
                         fmt=style["marker"], color=colour)
        cost_ax.errorbar(points["alpha"], points["entropy_change"], yerr=plotting.error_bar(points, "entropy_change"),
                         fmt=style["marker"], color=colour, mfc="white")
    eps_ax.errorbar([], [], fmt="ko", label="from overlap")  # after the rules in the legend
    eps_ax.errorbar([], [], fmt="ko", mfc="white", label="test set")
    eps_ax.set(xlabel=r"samples per weight $\alpha = r t$", ylabel=r"generalization error $\epsilon_g$")
    eta_ax.set(xlabel=r"samples per weight $\alpha$", ylabel=r"efficiency $\eta$")
    cost_ax.plot([], [], "k-", lw=1, label=r"heat $\langle Q\rangle / T$")
    cost_ax.plot([], [], "k--", lw=1, label=r"$\Delta S$")
    cost_ax.axhline(0.0, color="black", lw=0.5)
    cost_ax.set(xlabel=r"samples per weight $\alpha$", ylabel="per weight [nats]")
    entropy_scale = np.nanmax(np.abs(cost_ax_values(cost_ax, "entropy")), initial=0.0)
    heat_scale = np.nanmax(np.abs(cost_ax_values(cost_ax, "heat")), initial=0.0)
    if entropy_scale > 0 and heat_scale > 10 * entropy_scale:  # Delta S would be a flat line at the heat's scale
        cost_ax.set_yscale("symlog", linthresh=entropy_scale)
        cost_ax.set_ylabel("per weight [nats] (symlog)")
    handles = [sum(pair, []) for pair in zip(eps_ax.get_legend_handles_labels(), cost_ax.get_legend_handles_labels())]
    plotting.legend(fig, *handles, ncols=3)
    for ax, label in zip((eps_ax, eta_ax, cost_ax), "abc"):
        plotting.panel_label(ax, label)
    fig.suptitle("online learning, " + plotting.parameters(nu=nu, k=k, r=r, T=T, N=N), fontsize="medium")
    return fig
