"""Stage 2 of any experiment: heat, work and entropy change of one point (jobs.estimate)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_stage

run_stage(snakemake, "estimate")
