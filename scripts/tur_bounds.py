"""Stage 4, Model E: the TUR ratio <= 1 for every current, nu and time."""

from thermolearn import bounds, io, tur
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, tur.SUMMARY_COLUMNS)
checks = tur.bound_checks(summary)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, "tur"):
    log.info(line)
    print(line)
