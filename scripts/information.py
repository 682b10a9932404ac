"""Stage 3 of any experiment with a per-point information stage: I, cost and eta of one point
(jobs.information)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_stage

run_stage(snakemake, "information")
