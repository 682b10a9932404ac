"""Stage 3, Model D: analog energy with its 1/tau fit next to n erasures of Model A (a DAG edge)."""

from thermolearn import tables
from thermolearn.experiments import inference, landauer
from thermolearn.scripting import start

log = start(snakemake)
p = snakemake.params
analog = tables.read_tables(
    snakemake.input.tables, ["tau", "dof", "energy", "energy_err", "jarzynski", "jarzynski_err"], p.rows
)
erasure = tables.read_csv(snakemake.input.landauer, landauer.SUMMARY_COLUMNS, p.landauer_rows)
table = inference.summary(analog, erasure, p.n_neurons, p.fit_min_tau)
tables.write_csv(table, snakemake.output.table)
log.info("analog fit: W_inf = %.3g +- %.2g, B = %.3g +- %.2g", *table[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0])
