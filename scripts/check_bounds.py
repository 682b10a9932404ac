"""Stage 4: check an experiment's bounds and equalities, print how many hold."""

import importlib

from thermolearn import bounds, io
from thermolearn.scripting import start

log = start(snakemake)
experiment = importlib.import_module(f"thermolearn.{snakemake.params.experiment}")
summary = io.read_csv(snakemake.input.summary, experiment.SUMMARY_COLUMNS, snakemake.params.rows)
checks = experiment.bound_checks(summary, **snakemake.params.options)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, snakemake.params.experiment):
    log.info(line)
    print(line)
