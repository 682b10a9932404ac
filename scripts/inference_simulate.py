"""Stage 1, Model D: trajectories of the analog network for one ramp duration tau."""

from thermolearn import tables
from thermolearn.experiments import inference
from thermolearn.scripting import Timer, start

log = start(snakemake)
timer = Timer()
trajectories = inference.simulate(float(snakemake.wildcards.tau), **snakemake.params.model, seed=snakemake.params.seed)
log.info("%d trajectories in %.2f s", len(trajectories), timer.elapsed)
tables.write_csv(trajectories, snakemake.output.trajectories)
