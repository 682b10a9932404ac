"""Stage 3: one table from the per-point tables of an experiment."""

import pandas as pd

from thermolearn import io
from thermolearn.scripting import start

log = start(snakemake)
table = pd.concat([pd.read_csv(path) for path in snakemake.input.tables], ignore_index=True)
table = table.sort_values(snakemake.params.sort_by, ignore_index=True)
io.write_csv(table, snakemake.output.table)
log.info("%d rows from %d points", len(table), len(snakemake.input.tables))
