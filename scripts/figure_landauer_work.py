"""Figure A1: work of erasing a bit vs protocol duration, success probability, work histograms."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import landauer
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
summary = tables.read_csv(snakemake.input.summary, landauer.SUMMARY_COLUMNS, p.rows)
style = {"erasure": dict(color="C0", fmt="o"), "control": dict(color="C1", fmt="s")}
over = {"work_success": "successful trajectories", "work": "all trajectories"}

plotting.setup()
fig, (work_ax, success_ax, hist_ax) = plotting.figure(3, height=2.8, width_ratios=[1.5, 1, 1])
tau_line = np.geomspace(summary["tau"].min() / 1.3, summary["tau"].max() * 1.3, 200)
for protocol, rows in summary.groupby("protocol", sort=False):
    work_ax.errorbar(rows["tau"], rows["work"], yerr=plotting.error_bar(rows, "work"), mfc="white", label=protocol,
                     **style[protocol])
    fit = rows.iloc[0]
    slow = tau_line >= p.fit_min_tau / 1.3
    work_ax.plot(tau_line[slow], fit["w_inf"] + fit["b"] / tau_line[slow], color=style[protocol]["color"], lw=1,
                 label=rf"fit ${fit['w_inf']:.3f}({1000 * fit['w_inf_err']:.0f}) + {fit['b']:.1f}/\tau$"
                       f"\n({over[landauer.FITTED_WORK[protocol][0]]})")
erasure = summary[summary["protocol"] == "erasure"]
work_ax.errorbar(erasure["tau"], erasure["bound"], yerr=plotting.error_bar(erasure, "bound"), fmt="v", ms=3, color="C2",
                 label=r"bound $\ln 2 - h(P_s)$")
work_ax.axhline(np.log(2), color="black", ls="--", lw=1, label=r"$\ln 2$")
work_ax.set(xscale="log", yscale="log", xlabel=r"protocol duration $\tau$", ylabel=r"mean work $\langle W\rangle / T$")
work_ax.set_ylim(1e-3, None)
plotting.panel_label(work_ax, "a", "erasure and control")
fig.suptitle("erasure of a bit, " + plotting.parameters(E0=p.E0, T=p.T, b_min=p.b_min, a_max=p.a_max),
             fontsize="medium")
plotting.legend(fig, *work_ax.get_legend_handles_labels(), ncols=4)

success_ax.errorbar(erasure["tau"], erasure["success"], yerr=plotting.error_bar(erasure, "success"), mfc="white",
                    **style["erasure"])
success_ax.axhline(1.0, color="black", lw=0.5)
success_ax.set(xscale="log", xlabel=r"protocol duration $\tau$", ylabel=r"success probability $P_s$")
success_ax.set_ylim(top=1.02)
plotting.panel_label(success_ax, "b", "erasure")

trajectories = {name: tables.read_csv(snakemake.input[name], ["work"], {"trajectory": range(p.trajectories)})
                for name in ("fast", "slow")}
works = {name: t["work"].to_numpy() / p.T for name, t in trajectories.items()}
edges = np.histogram_bin_edges(np.concatenate(list(works.values())), bins=p.bins)
for work, tau, colour in zip(works.values(), [erasure["tau"].min(), erasure["tau"].max()], ["C3", "C0"]):
    hist_ax.hist(work, bins=edges, density=True, histtype="stepfilled", alpha=0.5, color=colour,
                 label=rf"$\tau = {tau:g}$")
hist_ax.axvline(np.log(2), color="black", ls="--", lw=1)
hist_ax.set(xlabel=r"work $W / T$", ylabel="probability density")
hist_ax.legend(fontsize="small", loc="upper right")
plotting.panel_label(hist_ax, "c", "erasure")
plotting.save(fig, snakemake.output.figures)
