"""Figure B3: the integral fluctuation theorem <exp(-Delta s_tot)> = 1."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import numpy as np

from thermolearn import plotting, tables
from thermolearn.experiments import batch
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
summary = tables.read_csv(snakemake.input.summary, batch.SUMMARY_COLUMNS, p.rows)
histogram = tables.read_csv(snakemake.input.histogram, ["t", "left", "right", "density"], p.histogram_rows, per=p.bins)
t_f = histogram["t"].iloc[0]
at_point = summary[np.isclose(summary["alpha"], p.point["alpha"]) & np.isclose(summary["nu"], p.point["nu"])]
final = at_point[at_point["t"] == t_f].iloc[0]

plotting.setup()
fig, (hist_ax, ft_ax) = plotting.figure(2, height=2.8)
hist_ax.stairs(histogram["density"], np.append(histogram["left"], histogram["right"].iloc[-1]),
               fill=True, alpha=0.5, color="C0")
hist_ax.set(yscale="log", xlabel=r"total entropy production $\Delta s_{tot}$ [$k_B$]", ylabel="probability density")
bottom = hist_ax.get_ylim()[0]
peak = histogram["density"].max()
hist_ax.set_ylim(bottom, peak * (peak / bottom) ** (2 / 3))  # the histogram in the lower 60 %, the legend above
# markers up to the histogram's peak only, so that they stay clear of the legend
hist_ax.vlines(final["entropy_production"], bottom, peak, color="C3", lw=1,
               label=rf"$\langle\Delta s_{{tot}}\rangle = {final['entropy_production']:.3f}$")
hist_ax.vlines(0.0, bottom, peak, color="black", lw=0.5)
hist_ax.legend(title=rf"$\langle e^{{-\Delta s_{{tot}}}}\rangle = {final['fluctuation_theorem']:.4f} "
                     rf"\pm {plotting.error_bar(final, 'fluctuation_theorem'):.4f}$",
               fontsize="small", loc="upper right")
plotting.panel_label(hist_ax, "a", plotting.parameters(alpha=p.point["alpha"], nu=p.point["nu"], t=t_f))

checked = summary[summary["heat_theory"] < batch.FLUCTUATION_HEAT_LIMIT]
colour = plotting.colours(checked["alpha"].unique())
for (alpha, points), marker in zip(checked.groupby("alpha"), plotting.MARKERS):
    ft_ax.errorbar(points["entropy_production"], points["fluctuation_theorem"],
                   yerr=plotting.error_bar(points, "fluctuation_theorem"), fmt=marker, mfc="white",
                   color=colour[alpha], label=rf"$\alpha={alpha:g}$")
ft_ax.axhline(1.0, color="black", ls="--", lw=1)
ft_ax.set(xscale="log", xlabel=r"mean entropy production $\langle\Delta s_{tot}\rangle$ [$k_B$]",
          ylabel=r"$\langle e^{-\Delta s_{tot}}\rangle$")
plotting.panel_label(ft_ax, "b", r"every $\nu$, $t$ with $\langle Q\rangle/T < 1/12$")
fig.suptitle(f"integral fluctuation theorem, {plotting.parameters(N=p.N, k=p.k, T=p.T)}", fontsize="medium")
plotting.legend(fig, *ft_ax.get_legend_handles_labels())
plotting.save(fig, snakemake.output.figures)
