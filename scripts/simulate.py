"""Stage 1 of any experiment: simulate one parameter point (thermolearn.experiments.<name>.jobs.simulate)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_stage

run_stage(snakemake, "simulate")
