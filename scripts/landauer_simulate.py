"""Stage 1, Model A: trajectories of one (protocol, tau) point."""

from thermolearn import tables
from thermolearn.experiments import landauer
from thermolearn.scripting import Timer, start

log = start(snakemake)
point, model = snakemake.params.point, snakemake.params.model
timer = Timer()
trajectories = landauer.simulate(
    protocol=point["protocol"],
    tau=float(point["tau"]),
    **model,
    seed=snakemake.params.seed,
    key=f"landauer/{point['protocol']}/{snakemake.wildcards.tau}",
)
steps = model["trajectories"] * round(float(point["tau"]) / model["dt"])
log.info("%d trajectory-steps in %.2f s (%.3g /s)", steps, timer.elapsed, steps / timer.elapsed)
tables.write_csv(trajectories, snakemake.output.trajectories)
