"""Figure D1: energy per inference vs protocol time, analog (reversible) vs digital (Landauer)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import inference
from thermolearn.scripting import start

start(snakemake)
settings = snakemake.params.inference
n_neurons = inference.n_neurons(settings["widths"])
summary = tables.read_csv(snakemake.input.summary, inference.SUMMARY_COLUMNS, snakemake.params.rows)
analog = summary[summary["kind"] == "analog"]
digital = summary[summary["kind"] == "digital"]

plotting.setup()
fig, ax = plotting.figure(height=3.4)
ax.errorbar(digital["tau"], digital["energy"], yerr=plotting.error_bar(digital, "energy"), fmt="s",
            color="#D55E00", mfc="white", label=r"digital: $n\,\langle W_\mathrm{erase}\rangle/T$ (Model A)")
ax.errorbar(analog["tau"], analog["energy"], yerr=plotting.error_bar(analog, "energy"), fmt="o",
            color="#0072B2", mfc="white", label="analog network (quasi-static)")
fit = analog.iloc[0]
tau = np.geomspace(settings["fit_min_tau"] / 1.5, summary["tau"].max() * 1.5, 100)
ax.plot(tau, fit["w_inf"] + fit["b"] / tau, color="#0072B2", lw=1,
        label=rf"fit ${fit['w_inf']:.2f}({100 * fit['w_inf_err']:.0f}) + {fit['b']:.0f}/\tau$")
ax.axhline(n_neurons * np.log(2), color="black", ls="--", lw=1, label=rf"$n \ln 2$, $n = {n_neurons}$")
ax.set(xscale="log", yscale="log", xlabel=r"protocol time $\tau$", ylabel=r"energy per inference $/ T$",
       title=f"inference in a {'-'.join(map(str, settings['widths']))} network\n"
       + plotting.parameters(g=settings["g"], K=settings["K"], T=settings["T"]))
plotting.legend(fig)
plotting.save(fig, snakemake.output.figures)
