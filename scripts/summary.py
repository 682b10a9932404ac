"""Stage 3 of any experiment: its summary table from the per-point tables (jobs.summary)."""

from thermolearn.scripting import run_stage

run_stage(snakemake, "summary")
