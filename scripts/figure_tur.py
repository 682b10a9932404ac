"""Figures E1/E2: the TUR ratio over time, and precision vs entropy production."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, statistics, tables
from thermolearn.experiments import tur
from thermolearn.scripting import start

start(snakemake)
settings = snakemake.params.tur
summary = tables.read_csv(snakemake.input.summary, tur.SUMMARY_COLUMNS, snakemake.params.rows)
colour = {"displacement": "#0072B2", "work": "#D55E00", "heat": "#009E73"}
label = {"displacement": r"$\sum_n \mathrm{sgn}(f_n)\,\Delta w_n$", "work": r"$\sum_n f_n \Delta w_n$",
         "heat": r"heat $Q$"}
markers = dict(zip(sorted(summary["nu"].unique()), plotting.MARKERS))

plotting.setup()
fig, ax = plotting.figure(height=3.4)
for (current, nu), rows in summary.groupby(["current", "nu"]):
    ax.errorbar(rows["t"], rows["ratio"], yerr=plotting.error_bar(rows, "ratio"), fmt=markers[nu],
                color=colour[current], mfc="white", ms=3.5)
    if rows["ratio_theory"].notna().all():
        ax.plot(rows["t"], rows["ratio_theory"], color=colour[current], lw=0.8)
for current in tur.CURRENTS:
    ax.plot([], [], "-", color=colour[current], label=label[current])
for nu, marker in markers.items():
    ax.plot([], [], marker, color="0.3", mfc="white", label=rf"$\nu = {nu:g}$")
ax.axhline(1.0, color="black", ls="--", lw=1)
defining = plotting.parameters(N=settings["N"], alpha=settings["alpha"], k=settings["k"], T=settings["T"])
ax.set(xscale="log", xlabel=r"time $t$",
       ylabel=r"$(t\,\partial_t\langle J\rangle)^2 / (\mathrm{Var}\,J\;\langle\Sigma\rangle/2)$",
       title="TUR at fixed data\n" + defining, ylim=(0, 1.1))
plotting.legend(fig)
plotting.save(fig, snakemake.output.ratio)

fig, ax = plotting.figure(height=3.4)
at_t = summary[np.isclose(summary["t"], settings["tradeoff_time"])]
for current, rows in at_t.groupby("current"):
    precision_err = rows["precision"] * rows["variance_err"] / rows["variance"]
    ax.errorbar(rows["entropy_production"], rows["precision"], yerr=statistics.interval(precision_err, rows["dof"]),
                fmt="o", color=colour[current], mfc="white", label=label[current])
sigma = np.geomspace(at_t["entropy_production"].min() / 2, at_t["entropy_production"].max() * 2, 50)
ax.plot(sigma, sigma / 2, color="black", ls="--", lw=1, label=r"bound $\langle\Sigma\rangle/2$")
ax.set(xscale="log", yscale="log", xlabel=r"entropy production $\langle\Sigma_t\rangle$ [$k_B$]",
       ylabel=r"precision $(t\,\partial_t\langle J\rangle)^2/\mathrm{Var}\,J$",
       title="speed, reliability and dissipation\n" + defining + f", $t = {settings['tradeoff_time']:g}$")
plotting.legend(fig)
plotting.save(fig, snakemake.output.tradeoff)
