"""Stage 4, the run's verdict: every relation of every experiment with its family-wise decision."""

from pathlib import Path

from thermolearn import bounds, tables
from thermolearn.scripting import start

log = start(snakemake)
relations = {Path(path).stem: tables.read_csv(path, bounds.ROW_COLUMNS) for path in snakemake.input.tables}
verdict = bounds.verdict(relations)
tables.write_csv(verdict, snakemake.output.table)
log.info("\n%s", bounds.report(verdict))
