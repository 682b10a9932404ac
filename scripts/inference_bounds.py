"""Stage 4, Model D: <W> >= 0, Jarzynski, relaxed output, and the n ln 2 floor of digital inference."""

from thermolearn import bounds, inference, io
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, inference.SUMMARY_COLUMNS)
checks = inference.bound_checks(summary, snakemake.params.n_neurons, snakemake.params.trajectories)
io.write_csv(checks, snakemake.output.table)
for line in bounds.report(checks, "inference"):
    log.info(line)
    print(line)
