"""Stage 3, Model D: analog energy with its 1/tau fit next to n erasures of Model A (a DAG edge)."""

from thermolearn import inference, io, landauer
from thermolearn.scripting import start

log = start(snakemake)
analog = io.read_tables(snakemake.input.tables, ["tau", "dof", "energy", "energy_err", "jarzynski", "jarzynski_err"])
erasure = io.read_csv(snakemake.input.landauer, landauer.SUMMARY_COLUMNS)
table = inference.summary(analog, erasure, snakemake.params.n_neurons, snakemake.params.fit_min_tau)
io.write_csv(table, snakemake.output.table)
log.info("analog fit: W_inf = %.3g +- %.2g, B = %.3g +- %.2g", *table[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0])
