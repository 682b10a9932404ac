"""Figure B1: efficiency eta vs learning rate nu at t -> infinity, for several alpha."""

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
final = summary[summary["t"] == summary["t"].max()]
t_f = final["t"].iloc[0]

plotting.setup()
fig, ax = plotting.figure(height=3.2)
colour = plotting.colours(final["alpha"].unique())
nu_line = np.geomspace(final["nu"].min() / 1.5, final["nu"].max() * 1.5, 200)
for (alpha, points), marker in zip(final.groupby("alpha"), plotting.MARKERS):
    ax.plot(nu_line, theory.eta(nu_line, alpha, p.k, p.T, t_f, p.N), color=colour[alpha], lw=1)
    ax.errorbar(
        points["nu"], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=marker, color=colour[alpha],
        mfc="white", label=rf"$\alpha = {alpha:g}$",
    )
ax.axhline(1.0, color="black", ls=":", lw=1, label=r"bound $\eta = 1$")
ax.axhline(theory.ETA_SMALL_NU, color="0.4", ls="--", lw=1, label=r"$1/\pi$ ($\nu \to 0$)")
ax.set(
    xscale="log", yscale="log", xlabel=r"learning rate $\nu$",
    ylabel=r"efficiency $\eta = \alpha I / (\Delta S + \langle Q\rangle/T)$",
    title="batch Hebbian learning\n" + plotting.parameters(N=p.N, k=p.k, T=p.T, t_f=t_f),
)
ax.set_ylim(top=1.6)
plotting.legend(fig)
plotting.save(fig, snakemake.output.figures)
