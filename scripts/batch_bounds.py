"""Stage 4, Model B: check alpha I <= Delta S + <Q>/T and the fluctuation theorem."""

from thermolearn import batch, bounds, io
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, batch.SUMMARY_COLUMNS)
checks = batch.bound_checks(summary)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, "batch"):
    log.info(line)
    print(line)
