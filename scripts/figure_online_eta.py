"""Figures C1/C2: efficiency eta of online learning vs nu (at k_fixed) or vs k (at nu_fixed)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import online
from thermolearn.experiments.online.rules import spec
from thermolearn.experiments.online.theory import order_parameters
from thermolearn.scripting import start

start(snakemake)
settings, scan = snakemake.params.online, snakemake.params.scan
summary = tables.read_csv(snakemake.input.summary, online.SUMMARY_COLUMNS, snakemake.params.rows)
alpha_f, r, T = settings["alpha"][-1], settings["r"], settings["T"]
fixed = {"nu": ("k", settings["k_fixed"]), "k": ("nu", settings["nu_fixed"])}[scan]
shown = summary[np.isclose(summary[fixed[0]], fixed[1]) & np.isclose(summary["alpha"], alpha_f)]

specs = [spec(entry) for entry in settings["rules"]]
styles = plotting.rule_styles(specs)

plotting.setup()
fig, ax = plotting.figure(height=3.2)
line = np.geomspace(shown[scan].min() / 1.5, shown[scan].max() * 1.5, 60)
for rule in specs:
    style, points = styles[rule["name"]], shown[shown["rule"] == rule["name"]]
    params = {fixed[0]: fixed[1]}
    eta = [order_parameters(rule, T=T, r=r, t=alpha_f / r, **params, **{scan: x})["eta"][0] for x in line]
    ax.plot(line, eta, color=style["color"], lw=1)
    ax.errorbar(points[scan], points["eta"], yerr=plotting.error_bar(points, "eta"), fmt=style["marker"],
                color=style["color"], mfc="white", label=style["label"])
ax.axhline(1.0, color="black", ls=":", lw=1, label=r"bound $\eta = 1$")
ax.set(
    xscale="log", yscale="log", xlabel={"nu": r"learning rate $\nu$", "k": r"trap stiffness $k$"}[scan],
    ylabel=r"efficiency $\eta = I_g / (\Delta S + \langle Q\rangle/T)$",
    title="online learning\n"
    + plotting.parameters(**{fixed[0]: fixed[1]}, alpha=alpha_f, r=r, T=T, N=settings["N"]),
)
plotting.legend(fig)
plotting.save(fig, snakemake.output.figures)
