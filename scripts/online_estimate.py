"""Stage 2, Model C: entropy change of the pooled weights, with jackknife replicates."""

import pandas as pd

from thermolearn import io, online
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
weights = pd.read_parquet(snakemake.input.weights)
io.write_csv(online.estimate(weights, p.alpha, float(p.point["k"]), p.T, p.groups), snakemake.output.entropy)
