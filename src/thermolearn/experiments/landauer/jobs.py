"""Model A's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import landauer
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one (protocol, tau) point: start, end, work and heat per trajectory."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    trajectories = landauer.simulate(**point, **model, seed=job.params.seed, key=point_key("landauer", point))
    steps = model["trajectories"] * round(point["tau"] / model["dt"])
    log.info("%d trajectory-steps in %.2f s (%.3g /s)", steps, timer.elapsed, steps / timer.elapsed)
    return {"trajectories": trajectories}


def estimate(job, log):
    """Stage 2: work, success probability and Jarzynski averages of one point."""
    c, point = job.params.config, job.params.point
    trajectories = tables.read_csv(job.input.trajectories, ["x_start", "x_end", "work", "heat"],
                                   {"trajectory": range(c["trajectories"])})
    table = landauer.estimate(trajectories, c["T"], c["E0"]).assign(**point)
    log.info("<W>/T = %.4g +- %.2g, P_s = %.4g", *table[["work", "work_err", "success"]].iloc[0])
    return {"table": table}


def summary(job, log):
    """Every point, the generalized Landauer bound and the fit W_inf + B/tau."""
    fit_min_tau = job.params.config["fit_min_tau"]
    points = tables.read_tables(job.input.tables, landauer.ESTIMATE_COLUMNS, tables.point_rows(job.params.points))
    table = landauer.summary(points, fit_min_tau)
    for protocol, rows in table.groupby("protocol"):
        fit = rows[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0]
        fitted = rows[rows["tau"] >= fit_min_tau]
        log.info("%s: W_inf = %.4g +- %.2g, B = %.4g +- %.2g (fit of %s over tau >= %g, where P_s >= %.4g)",
                 protocol, *fit, landauer.FITTED_WORK[protocol][0], fit_min_tau, fitted["success"].min())
    return {"table": table}
