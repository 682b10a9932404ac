"""Figure C3: generalization error, efficiency and cost of online learning vs alpha."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import online
from thermolearn.experiments.online.rules import spec
from thermolearn.experiments.online.theory import order_parameters
from thermolearn.scripting import start

start(snakemake)
settings = snakemake.params.online
summary = tables.read_csv(snakemake.input.summary, online.SUMMARY_COLUMNS, snakemake.params.rows)
nu, k, r, T = settings["nu_fixed"], settings["k_fixed"], settings["r"], settings["T"]
shown = summary[np.isclose(summary["nu"], nu) & np.isclose(summary["k"], k)]
alpha_line = np.linspace(0.0, shown["alpha"].max() * 1.05, 200)[1:]

specs = [spec(entry) for entry in settings["rules"]]
styles = plotting.rule_styles(specs)

plotting.setup()
fig, (eps_ax, eta_ax, cost_ax) = plotting.figure(3, height=2.6)
for rule in specs:
    style, points = styles[rule["name"]], shown[shown["rule"] == rule["name"]]
    theory = order_parameters(rule, nu, k, T, r, alpha_line / r)
    colour = style["color"]
    eps_ax.plot(alpha_line, theory["eps_g"], color=colour, lw=1)
    eps_ax.errorbar(points["alpha"], points["eps_g"], yerr=plotting.error_bar(points, "eps_g"), fmt=style["marker"],
                    color=colour, label=style["label"])
    eps_ax.errorbar(points["alpha"], points["eps_g_test"], yerr=plotting.error_bar(points, "eps_g_test"),
                    fmt=style["marker"], color=colour, mfc="white", alpha=0.7)
    eta_ax.plot(alpha_line, theory["eta"], color=colour, lw=1)
    eta_ax.errorbar(points["alpha"], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=style["marker"],
                    color=colour, mfc="white")
    cost_ax.plot(alpha_line, theory["heat"], color=colour, lw=1)
    cost_ax.plot(alpha_line, theory["entropy_change"], color=colour, lw=1, ls="--")
    cost_ax.errorbar(points["alpha"], points["heat"], yerr=plotting.error_bar(points, "heat"), fmt=style["marker"],
                     color=colour)
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
handles = [sum(pair, []) for pair in zip(eps_ax.get_legend_handles_labels(), cost_ax.get_legend_handles_labels())]
plotting.legend(fig, *handles, ncols=3)
for ax, label in zip((eps_ax, eta_ax, cost_ax), "abc"):
    plotting.panel_label(ax, label)
fig.suptitle("online learning, " + plotting.parameters(nu=nu, k=k, r=r, T=T, N=settings["N"]), fontsize="medium")
plotting.save(fig, snakemake.output.figures)
