"""Stages 1-2 of any experiment: simulate or estimate, at one point or at every point of the
experiment (thermolearn.scripting.run_stage)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_stage

run_stage(snakemake)
