"""Model C's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import online
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one (rule, nu, k) point: order parameters and test errors per trial and alpha,
    and the pooled weights."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    trials, weights = online.simulate(**point | model, seed=job.params.seed, key=point_key("online", point))
    updates = model["trials"] * model["N"] * round(model["alpha"][-1] * model["N"])
    log.info("%d weight updates in %.2f s (%.3g /s)", updates, timer.elapsed, updates / timer.elapsed)
    return {"trials": trials, "weights": weights}


def estimate(job, log):
    """Stage 2: entropy change of the pooled weights, per jackknife replicate and alpha."""
    c = job.params.config
    columns = ["trial", *map(tables.weight_column, c["alpha"])]
    weights = tables.read_parquet(job.input.weights, columns, {"trial": range(c["trials"])}, per=c["N"])
    return {"entropy": online.estimate(weights, c["alpha"], job.params.point["k"], c["T"], c["jackknife_groups"])}


def information(job, log):
    """Stage 3: order parameters, eps_g, I_g, cost and eta of one point, with the ODE theory."""
    c, point = job.params.config, job.params.point
    trials = tables.read_csv(job.input.trials, [*online.ORDER_PARAMETERS, "test_errors"],
                             {"trial": range(c["trials"]), "alpha": c["alpha"]})
    entropy = tables.read_csv(job.input.entropy, ["entropy_change", "entropy_change_knn"],
                              {"alpha": c["alpha"], "replicate": range(-1, c["jackknife_groups"])})
    table = online.point_summary(trials, entropy, c["rule"], point["nu"], point["k"], c["T"], c["r"],
                                 c["jackknife_groups"])
    log.info("eta at alpha_f = %.4g +- %.2g (ODE %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary(job, log):
    """Every point and alpha, sorted."""
    table = tables.collect(job.input.tables, job.params.points, online.SUMMARY_COLUMNS, ["rule", "nu", "k", "alpha"],
                           alpha=job.params.config["alpha"])
    return {"table": table}
