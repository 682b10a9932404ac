"""Stage 3, Model D: analog energy with its 1/tau fit next to n erasures of Model A (a DAG edge)."""

import pandas as pd

from thermolearn import inference, io, landauer
from thermolearn.scripting import start

log = start(snakemake)
analog = pd.concat([pd.read_csv(path) for path in snakemake.input.tables], ignore_index=True)
erasure = io.read_csv(snakemake.input.landauer, landauer.SUMMARY_COLUMNS)
table = inference.summary(analog, erasure, snakemake.params.n_neurons, snakemake.params.fit_min_tau)
io.write_csv(table, snakemake.output.table)
log.info("analog fit: W_inf = %.3g +- %.2g, B = %.3g +- %.2g", *table[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0])
