"""Model G's spec: one simulate job per (series, s, rho target), the estimate (every quantity with its jackknife
error and exact theory: milliseconds per point) of every point in one job, and the summary. The parameter space
holds only a point's keys, so its paths stay short; the values a job needs at its point (M, n, D, g, lambda, tau,
v0) come from ``training.point_values`` (``point_keys``), so editing one scan reruns only its points."""

from thermolearn import tables
from thermolearn.checks import ConfigError, require_increasing
from thermolearn.experiments import training
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary, collect
from thermolearn.experiments.training import POINT_KEYS

ESTIMATE = (*(key for key in training.MODEL if key != "covariance"), "jackknife_groups")
"""The estimate stage's keys shared by every point (the simulate stage's are ``training.MODEL``)."""

FIGURE = ("T", "sigma", "gamma", "kappa", "v0", "epochs", "ramp_steps", "gap")
"""What every Model G figure reads for its exact lines and title."""

REQUIRED = [*training.KEY_COLUMNS, *(f"{q}{suffix}" for q in ("E_train", "transport", "dissipation_mean", "V_th",
                                                              "V_stat", "rho", "energy_ratio", "error_ratio",
                                                              "dissipation_excess", "mean_dissipation_residual")
                                      for suffix in ("", "_err")), "equality_premises", "abrupt"]
"""The summary's columns that every point has (the others are NaN where a quantity has no theory or, for n > 1
without the covariance, no estimate): what its readers check."""


def space(config):
    """The (series, s, rho_target) points, scan by scan."""
    return training.point_table(config["training"])[list(POINT_KEYS)]


def point_values(section, point):
    """What a point's jobs read beyond the stage's keys: its M, n, D, g, lambda, tau and v0."""
    return training.point_values(section, point)


def estimate(job, log):
    """Every quantity of one point with its jackknife error and exact theory (one row)."""
    c, point = job.params.config, job.params.point
    replicas = tables.read_csv(job.input.replicas, training.REPLICA_COLUMNS,
                               {"trial": range(c["trials"]), "replica": range(c["replicas"])})
    datasets = tables.read_csv(job.input.datasets, ("transport", "dissipation_mean", "mean_error", "spread"),
                               {"trial": range(c["trials"])})
    keys = {key: c[key] for key in (*ESTIMATE, *training.POINT_VALUES) if key not in ("trials", "replicas")}
    row = training.estimate(replicas, datasets, **keys, **point)
    log.info("%s: E_train/(NDT) = %.4g +- %.2g (theory %.4g)", point,
             *row[["energy_ratio", "energy_ratio_err", "energy_ratio_theory"]].iloc[0])
    return {"table": row}


def summary_rows(config):
    """The rows of results/<run>/tables/training_summary.csv: the points are not a product of grids."""
    return {POINT_KEYS: list(space(config).itertuples(index=False, name=None))}


def check_config(section):
    """What the schema cannot say: jackknife groups at most the data sets, scans with distinct names, increasing
    s and rho targets (or lambda), exactly one of rho and lam per scan."""
    if section["jackknife_groups"] > section["trials"]:
        raise ConfigError(f"training.jackknife_groups must be <= training.trials ({section['trials']}), "
                          f"got {section['jackknife_groups']}")
    names = []
    for place, scan in enumerate(section["scans"]):
        key = f"training.scans.{place}"
        if scan["name"] in names:
            raise ConfigError(f"{key}.name = {scan['name']!r}: must be unique among the scans")
        names.append(scan["name"])
        if (scan.get("rho") is None) == (scan.get("lam") is None):
            raise ConfigError(f"{key}: give exactly one of rho (targets) and lam, got "
                              f"{'both' if scan.get('rho') is not None else 'neither'}")
        for grid in ("s", "rho", "lam"):
            values = scan.get(grid)
            if values is not None:
                require_increasing(values, f"{key}.{grid}")


def intervals(section):
    """Intervals of constant lambda per sample: 2K - 1 of the staircase and the gap's."""
    return 2 * section["ramp_steps"] - 1 + (section["gap"] > 0)


def point_bytes(section, scan):
    """``job_bytes`` at a point of ``scan``: per data set its Generator, its output rows and, while it runs, its
    inputs and labels (held by all data sets at once as the worst case); per thread the replicas and the mean."""
    replicas, M, n = section["replicas"], scan["M"], scan["n"]
    return section["trials"] * (1000 + 8 * (5 * replicas + 9) + 8 * scan["D"] * (n + M)) + 16 * (replicas + 1) * M * n


def scan_of(section, point):
    """The scan a point belongs to."""
    return next(scan for scan in section["scans"] if scan["name"] == point["series"])


def job_bytes(section, point):
    """``point_bytes`` of the point's scan."""
    return point_bytes(section, scan_of(section, point))


def point_work(section, scan):
    """``simulate_work`` at a point of ``scan``: per data set, sample, epoch and interval the weight updates of the
    replicas and of the mean (with a per-row overhead worth 4 weights: the projection on x_hat and the residual)
    and the n x n covariance update."""
    per_interval = scan["M"] * (scan["n"] + 4) * (section["replicas"] + 1) + (scan["n"] ** 2 if section["covariance"]
                                                                             else 0)
    return section["trials"] * scan["D"] * section["epochs"] * intervals(section) * per_interval


def simulate_work(section, point):
    """``point_work`` of the point's scan (the protocol time D tau does not set it)."""
    return point_work(section, scan_of(section, point))


def total_work(section):
    """``point_work`` summed over every point of the section."""
    return float(sum(point_work(section, scan) * len(training.scan_points(section, scan))
                     for scan in section["scans"]))


SPEC = ExperimentSpec(
    name="training",
    category="Model G: the energy cost of training",
    space=space,
    simulate=Stage(training.simulate, outputs={"replicas": ".csv", "datasets": "_datasets.csv"}, keys=training.MODEL,
                   point_keys=point_values, per_point=True),
    estimate=Stage(estimate, outputs={"table": ".csv"}, inputs={"replicas": "simulate", "datasets": "simulate"},
                   keys=ESTIMATE, point_keys=point_values),
    summary=Summary(collect(REQUIRED, list(POINT_KEYS)), REQUIRED, summary_rows),
    relations=tuple(training.RELATIONS),
    bound_checks=training.bound_checks,
    figures=tuple(Figure(f"training_{name}", draw, {"figures": f"training_{name}"},
                         params=lambda section: {key: section[key] for key in FIGURE})
                  for name, draw in (("energy", "energy_vs_rho"), ("saturation", "saturation"),
                                     ("tradeoff", "tradeoff"))),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="training.trials * (1 kB + 8 B * (5 training.replicas + 9) + 8 B * D * (n + M)) + 16 B * "
               "(training.replicas + 1) * M * n, the largest scan",
        work=simulate_work,
        work_formula="training.trials * D * training.epochs * (2 training.ramp_steps - 1 + (training.gap > 0)) * "
                     "(M * (n + 4) * (training.replicas + 1) + n^2 if training.covariance), the largest scan",
        unit="weight-updates",
        gaussians=0.3,
    ),
)
