"""Model B's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import batch
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one (alpha, nu) point: training errors per trial and the pooled weights."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    trials, weights = batch.simulate(**model, **point, seed=job.params.seed, key=point_key("batch", point))
    updates = model["trials"] * model["N"] * len(model["times"])
    log.info("simulated %d weight updates in %.2f s (%.3g /s)", updates, timer.elapsed, updates / timer.elapsed)
    return {"trials": trials, "weights": weights}


def estimate(job, log):
    """Stage 2: heat, entropy change and entropy production per jackknife replicate and time; the
    Delta s_tot histogram at the last time."""
    c = job.params.config
    columns = ["trial", "f", "w0", *map(tables.weight_column, c["times"])]
    weights = tables.read_parquet(job.input.weights, columns, {"trial": range(c["trials"])}, per=c["N"])
    log.info("read %d weights x %d times", len(weights), len(c["times"]))
    return {
        "replicates": batch.estimate(weights, c["times"], c["k"], c["T"], c["jackknife_groups"]),
        "histogram": batch.entropy_production_histogram(weights, c["times"][-1], c["k"], c["T"], c["histogram_bins"]),
    }


def information(job, log):
    """Stage 3: training error, information and efficiency of one point, with the theory."""
    c, point = job.params.config, job.params.point
    trials = tables.read_csv(job.input.trials, ["errors", "P"], {"trial": range(c["trials"]), "t": c["times"]})
    replicates = tables.read_csv(
        job.input.replicates, batch.ESTIMATES, {"t": c["times"], "replicate": range(-1, c["jackknife_groups"])}
    )
    table = batch.point_summary(trials, replicates, point["alpha"], point["nu"], c["k"], c["T"], c["N"],
                                c["jackknife_groups"])
    log.info("eta at t_f = %.4g +- %.2g (theory %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary(job, log):
    """Every point and time, sorted."""
    table = tables.collect(job.input.tables, job.params.points, batch.SUMMARY_COLUMNS, ["alpha", "nu", "t"],
                           t=job.params.config["times"])
    return {"table": table}
