"""Stage 1, Model E: one data set at this nu and many trajectories of its weights."""

from thermolearn import tables
from thermolearn.experiments import tur
from thermolearn.scripting import Timer, start

log = start(snakemake)
model = snakemake.params.model
timer = Timer()
force, currents = tur.simulate(
    **model, nu=float(snakemake.wildcards.nu), seed=snakemake.params.seed, key=f"tur/{snakemake.wildcards.nu}"
)
log.info("%d trajectories of %d weights in %.2f s", model["trajectories"], model["N"], timer.elapsed)
tables.write_csv(force, snakemake.output.force)
tables.write_csv(currents, snakemake.output.currents)
