"""Stage 1 of any experiment: simulate one parameter point (thermolearn.experiments.<name>.jobs.simulate)."""

from thermolearn.scripting import run_stage

run_stage(snakemake, "simulate")
