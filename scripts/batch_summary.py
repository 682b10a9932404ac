"""Stage 3, Model B: one table of every point."""

import pandas as pd

from thermolearn import io
from thermolearn.scripting import start

log = start(snakemake)
summary = pd.concat([pd.read_csv(path) for path in snakemake.input.tables], ignore_index=True)
summary = summary.sort_values(["alpha", "nu", "t"], ignore_index=True)
io.write_csv(summary, snakemake.output.table)
log.info("%d rows from %d points", len(summary), len(snakemake.input.tables))
