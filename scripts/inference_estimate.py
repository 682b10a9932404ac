"""Stage 2, Model D: energy per inference, Jarzynski average and output relaxation at one tau."""

from thermolearn import inference, io
from thermolearn.scripting import start

start(snakemake)
trajectories = io.read_csv(snakemake.input.trajectories, ["work", "msd_output", "msd_equilibrium"],
                           {"trajectory": range(snakemake.params.trajectories)})
table = inference.estimate(trajectories, snakemake.params.T)
table.insert(0, "tau", float(snakemake.wildcards.tau))
io.write_csv(table, snakemake.output.table)
