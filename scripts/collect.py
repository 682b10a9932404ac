"""Stage 3: one table from the per-point tables of an experiment."""

import importlib

from thermolearn import io
from thermolearn.scripting import start

log = start(snakemake)
experiment = importlib.import_module(f"thermolearn.{snakemake.params.experiment}")
table = io.read_tables(snakemake.input.tables, experiment.SUMMARY_COLUMNS, snakemake.params.rows)
table = table.sort_values(snakemake.params.sort_by, ignore_index=True)
io.write_csv(table, snakemake.output.table)
log.info("%d rows from %d points", len(table), len(snakemake.input.tables))
