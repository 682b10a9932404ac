"""Model F's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import steady
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one (gamma, c) point: the trajectories' states and midpoint sums at every recorded
    time, and the held-out errors of the networks they form."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    trajectories, tests = steady.simulate(**point, **model, seed=job.params.seed, key=point_key("steady", point))
    steps = model["trajectories"] * round(model["times"][-1] / model["dt"])
    log.info("%d trajectory-steps in %.2f s (%.3g /s)", steps, timer.elapsed, steps / timer.elapsed)
    return {"trajectories": trajectories, "tests": tests}


def estimate(job, log):
    """Stages 2-3: rates, variances, TUR ratios, eta_ss and eps_g per recorded time, with the theory."""
    c, point = job.params.config, job.params.point
    trajectories = tables.read_csv(job.input.trajectories, ["x", "y", "J", "J_coarse"],
                                   {"trajectory": range(c["trajectories"]), "t": [0.0, *c["times"]]})
    tests = tables.read_csv(job.input.tests, ["errors", "samples"],
                            {"network": range(c["trajectories"] // c["N"]), "t": c["times"]})
    table = steady.estimate(trajectories, tests, point["gamma"], point["c"], c["k"], c["T"], c["jackknife_groups"])
    log.info("eta_ss = %.4g +- %.2g (theory %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary(job, log):
    """Every point and time, sorted."""
    table = tables.collect(job.input.tables, job.params.points, steady.SUMMARY_COLUMNS, ["gamma", "c", "t"],
                           t=job.params.config["times"])
    return {"table": table}
