"""Figure D1 of Model D from its summary table (docs/science.md, Model D). The function returns the
figure; the caller saves it (``thermolearn.plotting.save``) after ``plotting.setup()``."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import estimators, plotting
from thermolearn.experiments.inference import n_neurons


def energy(summary: pd.DataFrame, *, widths: list[int], g: float, K: float, T: float, fit_min_tau: float) -> Figure:
    """D1: energy per inference vs protocol time tau, the analog network's <W>/T with its fit
    W_inf + B/tau against the digital network's n <W_erase>/T >= n ln 2."""
    n = n_neurons(widths)
    analog = summary[summary["kind"] == "analog"]
    digital = summary[summary["kind"] == "digital"]
    fig, ax = plotting.figure(height=3.4)
    erase = plotting.parameters(E0=digital["erase_E0"].iloc[0], T=digital["erase_T"].iloc[0]) if len(digital) else ""
    ax.errorbar(digital["tau"], digital["energy"], yerr=plotting.error_bar(digital, "energy"), fmt="s",
                color="#D55E00", mfc="white",
                label=rf"digital: $n\,\langle W_\mathrm{{erase}}\rangle/T$ (Model A at {erase})")
    ax.errorbar(analog["tau"], analog["energy"], yerr=plotting.error_bar(analog, "energy"), fmt="o",
                color="#0072B2", mfc="white", label=f"analog network (quasi-static) at $T = {T:g}$")
    fit = analog.iloc[0]
    tau = np.geomspace(fit_min_tau / 1.5, summary["tau"].max() * 1.5, 100)
    ax.plot(tau, estimators.fit_line(fit, tau), color="#0072B2", lw=1, label=plotting.fit_label(fit))
    ax.axhline(n * np.log(2), color="black", ls="--", lw=1, label=rf"$n \ln 2$, $n = {n}$")
    ax.set(xscale="log", yscale="log", xlabel=r"protocol time $\tau$", ylabel=r"energy per inference $/ T$",
           title=f"inference in a {'-'.join(map(str, widths))} network\n" + plotting.parameters(g=g, K=K, T=T))
    plotting.legend(fig)
    return fig
