"""Stage 2 of any experiment: heat, work and entropy change of one point (jobs.estimate)."""

from thermolearn.scripting import run_stage

run_stage(snakemake, "estimate")
