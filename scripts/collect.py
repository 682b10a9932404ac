"""Stage 3: one table from the per-point tables of an experiment."""

import importlib

from thermolearn import tables
from thermolearn.scripting import start

log = start(snakemake)
experiment = importlib.import_module(f"thermolearn.experiments.{snakemake.params.experiment}")
table = tables.read_tables(snakemake.input.tables, experiment.SUMMARY_COLUMNS, snakemake.params.rows)
table = table.sort_values(snakemake.params.sort_by, ignore_index=True)
tables.write_csv(table, snakemake.output.table)
log.info("%d rows from %d points", len(table), len(snakemake.input.tables))
