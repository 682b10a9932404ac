"""Stage 1, Model C: simulate one (rule, nu, k) point."""

from thermolearn import tables
from thermolearn.experiments import online
from thermolearn.scripting import Timer, start

log = start(snakemake)
point, model = snakemake.params.point, snakemake.params.model
timer = Timer()
trials, weights = online.simulate(
    rule=point["rule"], nu=float(point["nu"]), k=float(point["k"]), **model, seed=snakemake.params.seed,
    key=f"online/{point['rule']}/{snakemake.wildcards.nu}/{snakemake.wildcards.k}",
)
updates = model["trials"] * model["N"] * round(model["alpha"][-1] * model["N"])
log.info("%d weight updates in %.2f s (%.3g /s)", updates, timer.elapsed, updates / timer.elapsed)
tables.write_csv(trials, snakemake.output.trials)
tables.write_parquet(weights, snakemake.output.weights)
