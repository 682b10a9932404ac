"""Stage 2, Model D: energy per inference, Jarzynski average and output relaxation at one tau."""

from thermolearn import tables
from thermolearn.experiments import inference
from thermolearn.scripting import start

start(snakemake)
trajectories = tables.read_csv(snakemake.input.trajectories, ["work", "msd_output", "msd_equilibrium"],
                           {"trajectory": range(snakemake.params.trajectories)})
table = inference.estimate(trajectories, snakemake.params.T)
table.insert(0, "tau", float(snakemake.wildcards.tau))
tables.write_csv(table, snakemake.output.table)
