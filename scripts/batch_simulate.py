"""Stage 1, Model B: simulate one (alpha, nu) point."""

from thermolearn import tables
from thermolearn.experiments import batch
from thermolearn.scripting import Timer, start

log = start(snakemake)
point, model = snakemake.params.point, snakemake.params.model
timer = Timer()
trials, weights = batch.simulate(
    **model,
    alpha=float(point["alpha"]),
    nu=float(point["nu"]),
    seed=snakemake.params.seed,
    key=snakemake.wildcards.alpha + "/" + snakemake.wildcards.nu,
)
updates = model["trials"] * model["N"] * len(model["times"])
log.info("simulated %d weight updates in %.2f s (%.3g /s)", updates, timer.elapsed, updates / timer.elapsed)
tables.write_csv(trials, snakemake.output.trials)
tables.write_parquet(weights, snakemake.output.weights)
log.info("done in %.2f s", timer.elapsed)
