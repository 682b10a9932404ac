"""Stage 3, Model C: order parameters, eps_g, I_g, cost and eta of one point, with ODE theory."""

from thermolearn import tables
from thermolearn.experiments import online
from thermolearn.scripting import start

log = start(snakemake)
p = snakemake.params
trials = tables.read_csv(snakemake.input.trials, [*online.ORDER_PARAMETERS, "test_errors"],
                     {"trial": range(p.trials), "alpha": p.alpha})
entropy = tables.read_csv(snakemake.input.entropy, ["entropy_change", "entropy_change_knn"],
                      {"alpha": p.alpha, "replicate": range(-1, p.groups)})
table = online.point_summary(
    trials, entropy, p.point["rule"], float(p.point["nu"]), float(p.point["k"]), p.T, p.r, p.groups
)
tables.write_csv(table, snakemake.output.table)
log.info("eta at alpha_f = %.4g +- %.2g (ODE %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
