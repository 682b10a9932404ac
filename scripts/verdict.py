"""Stage 4, the run's verdict: every relation of every experiment with its family-wise decision."""

import importlib
from pathlib import Path

from thermolearn import bounds, io
from thermolearn.scripting import start

log = start(snakemake)
tables = {Path(path).stem: bounds.read_table(path, bounds.ROW_COLUMNS) for path in snakemake.input.tables}
relations = {name: importlib.import_module(f"thermolearn.{name}").RELATIONS for name in tables}
verdict = bounds.verdict(tables, relations)
io.write_csv(bounds.with_table_rows(verdict), snakemake.output.table)
log.info("\n%s", bounds.report(verdict))
