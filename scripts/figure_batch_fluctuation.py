"""Figure B3: the integral fluctuation theorem <exp(-Delta s_tot)> = 1."""

import numpy as np

from thermolearn import batch, io, plotting
from thermolearn.scripting import start

start(snakemake)
point = snakemake.params.point
summary = io.read_csv(snakemake.input.summary, batch.SUMMARY_COLUMNS, snakemake.params.rows)
histogram = io.read_csv(snakemake.input.histogram, ["left", "right", "density"], snakemake.params.histogram_rows,
                        per=snakemake.params.bins)
t_f = histogram["t"].iloc[0]
at_point = summary[np.isclose(summary["alpha"], point["alpha"]) & np.isclose(summary["nu"], point["nu"])]
final = at_point[at_point["t"] == t_f].iloc[0]

plotting.setup()
fig, (hist_ax, ft_ax) = plotting.figure(2)
hist_ax.stairs(histogram["density"], np.append(histogram["left"], histogram["right"].iloc[-1]),
               fill=True, alpha=0.5, color="C0")
hist_ax.axvline(final["entropy_production"], color="C3", lw=1,
                label=rf"$\langle\Delta s_{{tot}}\rangle = {final['entropy_production']:.3f}$")
hist_ax.axvline(0, color="black", lw=0.5)
hist_ax.set(
    yscale="log", xlabel=r"total entropy production $\Delta s_{tot}$ [$k_B$]", ylabel="probability density",
    title=rf"$\alpha = {point['alpha']:g}$, $\nu = {point['nu']:g}$, $t = {t_f:g}/k$",
)
hist_ax.legend(title=rf"$\langle e^{{-\Delta s_{{tot}}}}\rangle = {final['fluctuation_theorem']:.4f} "
                     rf"\pm {final['fluctuation_theorem_err']:.4f}$", fontsize="small", loc="upper right")
hist_ax.set_ylim(top=hist_ax.get_ylim()[1] * 30)
plotting.panel_label(hist_ax, "a")

checked = summary[summary["heat_theory"] < batch.FLUCTUATION_HEAT_LIMIT]
colour = plotting.colours(checked["alpha"].unique())
for (alpha, points), marker in zip(checked.groupby("alpha"), plotting.MARKERS):
    ft_ax.errorbar(points["entropy_production"], points["fluctuation_theorem"], yerr=points["fluctuation_theorem_err"],
                   fmt=marker, mfc="white", color=colour[alpha], label=rf"$\alpha={alpha:g}$")
ft_ax.axhline(1.0, color="black", ls="--", lw=1)
ft_ax.set(xscale="log", xlabel=r"mean entropy production $\langle\Delta s_{tot}\rangle$ [$k_B$]",
          ylabel=r"$\langle e^{-\Delta s_{tot}}\rangle$",
          title=r"every $\nu$ and $t$ with $\langle Q\rangle/T < 1/12$")
ft_ax.legend(fontsize="small")
plotting.panel_label(ft_ax, "b")
plotting.save(fig, snakemake.output.figures)
