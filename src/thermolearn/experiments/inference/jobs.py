"""Model D's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import inference, landauer
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one analog tau: work and output deviations per trajectory."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    trajectories = inference.simulate(**point, **model, seed=job.params.seed, key=point_key("inference", point))
    log.info("%d trajectories in %.2f s", len(trajectories), timer.elapsed)
    return {"trajectories": trajectories}


def estimate(job, log):
    """Stage 2: energy per inference, Jarzynski average and output relaxation at one tau."""
    c = job.params.config
    trajectories = tables.read_csv(job.input.trajectories, ["work", "msd_output", "msd_equilibrium"],
                                   {"trajectory": range(c["trajectories"])})
    table = inference.estimate(trajectories, c["T"])
    table.insert(0, "tau", job.params.point["tau"])
    return {"table": table}


def summary(job, log):
    """Analog energy with its 1/tau fit next to n erasures of Model A (a DAG edge to its summary)."""
    c = job.params.config
    analog = tables.read_tables(job.input.tables, ["tau", "dof", "energy", "energy_err", "jarzynski", "jarzynski_err"],
                                tables.point_rows(job.params.points))
    erasure = tables.read_csv(job.input.landauer, landauer.SUMMARY_COLUMNS, job.params.needs_rows["landauer"])
    table = inference.summary(analog, erasure, inference.n_neurons(c["widths"]), c["fit_min_tau"])
    log.info("analog fit: W_inf = %.3g +- %.2g, B = %.3g +- %.2g", *table[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0])
    return {"table": table}
