"""Stage 3, Model B: training error, information and efficiency of one point, with theory."""

from thermolearn import tables
from thermolearn.experiments import batch
from thermolearn.scripting import start

log = start(snakemake)
p = snakemake.params
alpha, nu = float(p.point["alpha"]), float(p.point["nu"])
trials = tables.read_csv(snakemake.input.trials, ["errors", "P"], {"trial": range(p.trials), "t": p.times})
replicates = tables.read_csv(
    snakemake.input.replicates, batch.ESTIMATES, {"t": p.times, "replicate": range(-1, p.groups)}
)
table = batch.point_summary(trials, replicates, alpha, nu, p.k, p.T, p.N, p.groups)
tables.write_csv(table, snakemake.output.table)
log.info("eta at t_f = %.4g +- %.2g (theory %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
