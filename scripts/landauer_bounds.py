"""Stage 4, Model A: Landauer's bound, the Jarzynski equalities and the slow limits."""

from thermolearn import bounds, io, landauer
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, landauer.SUMMARY_COLUMNS)
checks = landauer.bound_checks(summary, snakemake.params.detailed_min_tau)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, "landauer"):
    log.info(line)
    print(line)
