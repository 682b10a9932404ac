"""Stage 2, Model A: work, success probability and Jarzynski averages of one point."""

from thermolearn import tables
from thermolearn.experiments import landauer
from thermolearn.scripting import start

log = start(snakemake)
p = snakemake.params
trajectories = tables.read_csv(snakemake.input.trajectories, ["x_start", "x_end", "work", "heat"],
                           {"trajectory": range(p.trajectories)})
table = landauer.estimate(trajectories, p.T, p.E0).assign(protocol=p.point["protocol"], tau=float(p.point["tau"]))
tables.write_csv(table, snakemake.output.table)
log.info("<W>/T = %.4g +- %.2g, P_s = %.4g", *table[["work", "work_err", "success"]].iloc[0])
