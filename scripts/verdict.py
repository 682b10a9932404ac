"""Stage 4, the run's verdict: every relation of every experiment with its family-wise decision."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from pathlib import Path

from thermolearn import bounds, tables
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import start, verify

log = start(snakemake)
for path, read in zip(snakemake.input.tables, snakemake.params.reads["tables"], strict=True):
    verify(path, read)
bound_tables = {Path(path).stem: bounds.read_table(path, bounds.ROW_COLUMNS) for path in snakemake.input.tables}
relations = {name: list(REGISTRY[name].relations) for name in bound_tables}
verdict = bounds.verdict(bound_tables, relations)
tables.write_csv(bounds.with_table_rows(verdict), snakemake.output.table, snakemake.params.made)
log.info("\n%s", bounds.report(verdict))
