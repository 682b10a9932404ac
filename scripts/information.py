"""Stage 3 of any experiment with a per-point information stage: I, cost and eta of one point
(jobs.information)."""

from thermolearn.scripting import run_stage

run_stage(snakemake, "information")
