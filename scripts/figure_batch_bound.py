"""Figure B2: information alpha I(t) and its cost Delta S(t) + <Q>(t)/T over time."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import batch
from thermolearn.experiments.batch import theory
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
summary = tables.read_csv(snakemake.input.summary, batch.SUMMARY_COLUMNS, p.rows)
alpha = p.bound["alpha"]
shown = summary[np.isclose(summary["alpha"], alpha) & summary["nu"].apply(lambda v: np.isclose(v, p.bound["nu"]).any())]

plotting.setup()
fig, ax = plotting.figure(height=3.4)
colour = plotting.colours(shown["nu"].unique(), palette="rocket")
t_line = np.geomspace(shown["t"].min() / 1.5, shown["t"].max() * 1.5, 200)
for nu, points in shown.groupby("nu"):
    cost = theory.entropy_change(nu, alpha, p.k, p.T, t_line) + theory.heat(nu, alpha, p.k, p.T, t_line)
    ax.plot(t_line, cost, color=colour[nu], lw=1)
    ax.plot(t_line, alpha * theory.information(nu, alpha, p.k, p.T, t_line, p.N), color=colour[nu], lw=1, ls="--")
    ax.errorbar(points["t"], points["cost"], yerr=plotting.error_bar(points, "cost"), fmt="o", color=colour[nu],
                label=rf"$\nu = {nu:g}$")
    ax.errorbar(points["t"], alpha * points["information"], yerr=alpha * plotting.error_bar(points, "information"),
                fmt="s", mfc="white", color=colour[nu])
ax.plot([], [], "ko-", lw=1, label=r"$\Delta S + \langle Q\rangle/T$")
ax.plot([], [], "ks--", mfc="white", lw=1, label=r"$\alpha I$")
ax.set(
    xscale="log", yscale="log", xlabel=r"time $t$", ylabel="per weight [nats]",
    title=r"bound $\alpha I \leq \Delta S + \langle Q\rangle/T$" + "\n"
    + plotting.parameters(alpha=alpha, N=p.N, k=p.k, T=p.T),
)
plotting.legend(fig)
plotting.save(fig, snakemake.output.figures)
