"""Stage 3 of any experiment: its summary table from the per-point tables (jobs.summary)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_stage

run_stage(snakemake, "summary")
