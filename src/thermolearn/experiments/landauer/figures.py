"""Figure A1 of Model A from its summary table and the erasure trajectories at the fastest and slowest
tau (docs/science.md, Model A). The function returns the figure; the caller saves it
(``thermolearn.plotting.save``) after ``plotting.setup()``."""

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from thermolearn import estimators, plotting, tables
from thermolearn.experiments.landauer import FITTED_WORK

STYLE = {"erasure": dict(color="C0", fmt="o"), "control": dict(color="C1", fmt="s")}
"""Colour and marker of each protocol."""

OVER = {"work_success": "successful trajectories", "work": "all trajectories"}
"""What the fitted work averages over (``FITTED_WORK``), for the fit's label."""


def read_works(paths: dict, *, trajectories: int) -> dict:
    """The work W of every erasure trajectory at the fastest (``fast``) and slowest (``slow``) tau."""
    return {name: tables.read_csv(paths[name], ["work"], {"trajectory": range(trajectories)})["work"].to_numpy()
            for name in ("fast", "slow")}


def work(summary: pd.DataFrame, fast: np.ndarray, slow: np.ndarray, *, E0: float, T: float, b_min: float,
         a_max: float, fit_min_tau: float, bins: int) -> Figure:
    """A1: (a) <W>/T vs tau for erasure and control with the fit W_inf + B/tau and the bound
    ln 2 - h(P_s); (b) the success probability P_s; (c) the histograms of W/T of the ``fast`` and ``slow``
    erasures' works W."""
    fig, (work_ax, success_ax, hist_ax) = plotting.figure(3, height=2.8, width_ratios=[1.5, 1, 1])
    tau_line = np.geomspace(summary["tau"].min() / 1.3, summary["tau"].max() * 1.3, 200)
    for protocol, rows in summary.groupby("protocol", sort=False):
        work_ax.errorbar(rows["tau"], rows["work"], yerr=plotting.error_bar(rows, "work"), mfc="white",
                         label=protocol, **STYLE[protocol])
        fit = rows.iloc[0]
        slow_tau = tau_line >= fit_min_tau / 1.3
        work_ax.plot(tau_line[slow_tau], estimators.fit_line(fit, tau_line[slow_tau]), color=STYLE[protocol]["color"],
                     lw=1, label=plotting.fit_label(fit) + f"\n({OVER[FITTED_WORK[protocol][0]]})")
    erasure = summary[summary["protocol"] == "erasure"]
    work_ax.errorbar(erasure["tau"], erasure["bound"], yerr=plotting.error_bar(erasure, "bound"), fmt="v", ms=3,
                     color="C2", label=r"bound $\ln 2 - h(P_s)$")
    work_ax.axhline(np.log(2), color="black", ls="--", lw=1, label=r"$\ln 2$")
    work_ax.set(xscale="log", yscale="log", xlabel=r"protocol duration $\tau$",
                ylabel=r"mean work $\langle W\rangle / T$")
    work_ax.set_ylim(1e-3, None)
    plotting.panel_label(work_ax, "a", "erasure and control")
    fig.suptitle("erasure of a bit, " + plotting.parameters(E0=E0, T=T, b_min=b_min, a_max=a_max), fontsize="medium")
    plotting.legend(fig, *work_ax.get_legend_handles_labels(), ncols=4)

    success_ax.errorbar(erasure["tau"], erasure["success"], yerr=plotting.error_bar(erasure, "success"),
                        mfc="white", **STYLE["erasure"])
    success_ax.axhline(1.0, color="black", lw=0.5)
    success_ax.set(xscale="log", xlabel=r"protocol duration $\tau$", ylabel=r"success probability $P_s$")
    success_ax.set_ylim(top=1.02)
    plotting.panel_label(success_ax, "b", "erasure")

    works = [fast / T, slow / T]
    edges = np.histogram_bin_edges(np.concatenate(works), bins=bins)
    for work_over_T, tau, colour in zip(works, [erasure["tau"].min(), erasure["tau"].max()], ["C3", "C0"]):
        hist_ax.hist(work_over_T, bins=edges, density=True, histtype="stepfilled", alpha=0.5, color=colour,
                     label=rf"$\tau = {tau:g}$")
    hist_ax.axvline(np.log(2), color="black", ls="--", lw=1)
    hist_ax.set(xlabel=r"work $W / T$", ylabel="probability density")
    hist_ax.legend(fontsize="small", loc="upper right")
    plotting.panel_label(hist_ax, "c", "erasure")
    return fig
