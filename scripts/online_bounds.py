"""Stage 4, Model C: eta <= 1 and I_g <= -ln(1 - rho^2)/2 <= Delta S + <Q>/T."""

from thermolearn import bounds, io, online
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, online.SUMMARY_COLUMNS)
checks = online.bound_checks(summary)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, "online"):
    log.info(line)
    print(line)
