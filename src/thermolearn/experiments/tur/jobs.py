"""Model E's pipeline jobs (settings.STAGES, settings.SUMMARY): checked reads of the inputs, the
stage functions, the tables to write."""

from thermolearn import tables
from thermolearn.experiments import tur
from thermolearn.scripting import Timer
from thermolearn.seeds import point_key


def simulate(job, log):
    """Stage 1 at one nu: the force of one data set and every trajectory's currents."""
    point, model = job.params.point, job.params.config
    timer = Timer()
    force, currents = tur.simulate(**model, **point, seed=job.params.seed, key=point_key("tur", point))
    log.info("%d trajectories of %d weights in %.2f s", model["trajectories"], model["N"], timer.elapsed)
    return {"force": force, "currents": currents}


def estimate(job, log):
    """Stages 2-3: moments of each current and the TUR ratio at every time."""
    c = job.params.config
    force = tables.read_csv(job.input.force, ["f"], {}, per=c["N"])
    currents = tables.read_csv(job.input.currents, tur.CURRENTS, {"trajectory": range(c["trajectories"]),
                                                                  "t": c["times"]})
    table = tur.estimate(force, currents, c["k"], c["T"])
    table.insert(1, "nu", job.params.point["nu"])
    return {"table": table}


def summary(job, log):
    """Every current, nu and time, sorted."""
    table = tables.collect(job.input.tables, job.params.points, tur.SUMMARY_COLUMNS, ["current", "nu", "t"],
                           current=tur.CURRENTS, t=job.params.config["times"])
    return {"table": table}
