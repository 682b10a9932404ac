"""Stage 2, Model C: entropy change of the pooled weights, with jackknife replicates."""

from thermolearn import tables
from thermolearn.experiments import online
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
columns = ["trial", *map(tables.weight_column, p.alpha)]
weights = tables.read_parquet(snakemake.input.weights, columns, {"trial": range(p.trials)}, per=p.N)
tables.write_csv(online.estimate(weights, p.alpha, float(p.point["k"]), p.T, p.groups), snakemake.output.entropy)
