"""Stage 2, Model B: heat, entropy change and entropy production with jackknife replicates."""

from thermolearn import tables
from thermolearn.experiments import batch
from thermolearn.scripting import Timer, start

log = start(snakemake)
p = snakemake.params
timer = Timer()
columns = ["trial", "f", "w0", *map(tables.weight_column, p.times)]
weights = tables.read_parquet(snakemake.input.weights, columns, {"trial": range(p.trials)}, per=p.N)
tables.write_csv(batch.estimate(weights, p.times, p.k, p.T, p.groups), snakemake.output.replicates)
tables.write_csv(
    batch.entropy_production_histogram(weights, p.times[-1], p.k, p.T, p.bins),
    snakemake.output.histogram,
)
log.info("estimated %d weights x %d times in %.2f s", len(weights), len(p.times), timer.elapsed)
