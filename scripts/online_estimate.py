"""Stage 2, Model C: entropy change of the pooled weights, with jackknife replicates."""

from thermolearn import io, online
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
columns = ["trial", *map(io.weight_column, p.alpha)]
weights = io.read_parquet(snakemake.input.weights, columns, {"trial": range(p.trials)}, per=p.N)
io.write_csv(online.estimate(weights, p.alpha, float(p.point["k"]), p.T, p.groups), snakemake.output.entropy)
