"""Model C's spec: one simulate job per (rule, nu, k) (the nu scan at k_fixed and the k scan at
nu_fixed), one estimate job per point (its nonparametric entropy of the pooled weights takes seconds at
paper scale), the information and summary of every point in one job. A point's jobs read the spec of
its rule, so editing one rule reruns only its points."""

import pandas as pd

from thermolearn import tables
from thermolearn.checks import ConfigError, require_distinct, require_increasing, select_on_grids
from thermolearn.experiments import online
from thermolearn.experiments.spec import ExperimentSpec, Figure, Resources, Stage, Summary, collect

MODEL = ("N", "T", "r", "alpha", "trials", "test_samples")
"""The parameters shared by every (rule, nu, k) point."""


def rule_specs(section):
    """The configured rules as mappings name, function, params and, for a user's rule, the code of its
    function (``rules.tracked``), in config order: what the figure jobs take."""
    from thermolearn.experiments.online import rules  # numba: only where the config is read, not in every job

    return [rules.tracked(entry) for entry in section["rules"]]


def rule_names(section):
    """The configured rules' names, in config order: the values of the points' ``rule``."""
    return [spec["name"] for spec in rule_specs(section)]


def rule_spec(section, name):
    """The configured rule ``name`` as a mapping name, function, params (and code): what the simulate
    and information jobs of its points take, so that changing a rule's function, its code or its
    parameters reruns only its points."""
    return next(spec for spec in rule_specs(section) if spec["name"] == name)


def point_rule(section, point):
    """What a point's jobs read beyond the stage's keys: the spec of its rule."""
    return {"rule": rule_spec(section, point["rule"])}


def space(config):
    """The (rule, nu, k) points, sorted, with the rules' names."""
    section = config["online"]
    names = rule_names(section)
    nu_scan = {(rule, float(nu), float(section["k_fixed"])) for rule in names for nu in section["nu"]}
    k_scan = {(rule, float(section["nu_fixed"]), float(k)) for rule in names for k in section["k"]}
    return pd.DataFrame(sorted(nu_scan | k_scan), columns=["rule", "nu", "k"])


def estimate(job, log):
    """Entropy change of the pooled weights, per jackknife replicate and alpha."""
    c = job.params.config
    columns = ["trial", *map(tables.weight_column, c["alpha"])]
    weights = tables.read_parquet(job.input.weights, columns, {"trial": range(c["trials"])}, per=c["N"])
    return {"entropy": online.estimate(weights, alpha=c["alpha"], k=job.params.point["k"], T=c["T"],
                                               groups=c["jackknife_groups"])}


def information(job, log):
    """Order parameters, eps_g, I_g, cost and eta of one point, with the ODE theory."""
    c, point = job.params.config, job.params.point
    trials = tables.read_csv(job.input.trials, [*online.ORDER_PARAMETERS, "test_errors"],
                             {"trial": range(c["trials"]), "alpha": c["alpha"]})
    entropy = tables.read_csv(job.input.entropy, ["entropy_change", "entropy_change_knn"],
                              {"alpha": c["alpha"], "replicate": range(-1, c["jackknife_groups"])})
    table = online.point_summary(trials, entropy, rule=c["rule"], nu=point["nu"], k=point["k"], T=c["T"], r=c["r"],
                                 groups=c["jackknife_groups"])
    log.info("eta at alpha_f = %.4g +- %.2g (ODE %.4g)", *table[["eta", "eta_err", "eta_theory"]].iloc[-1])
    return {"table": table}


def summary_rows(config):
    """The rows of results/<run>/tables/online_summary.csv: the points are not a product of grids, so
    they are listed as tuples."""
    return {("rule", "nu", "k"): list(space(config).itertuples(index=False, name=None)),
            "alpha": config["online"]["alpha"]}


def check_rules(section):
    """Every rule has its own name, its function exists with the signature F(h, sigma_T, *params) and
    its parameters, numba compiles it, and it is finite on the probe grid (rules.resolve, rules.check)."""
    from thermolearn.experiments.online import rules

    names = []
    try:
        for entry in section["rules"]:
            rule = rules.resolve(entry)
            if rule.name in names:
                raise rules.RuleError(f"two rules are named {rule.name!r}; give each its own name")
            names.append(rule.name)
            rules.check(rule)
    except rules.RuleError as error:
        raise ConfigError(f"online.rules: {error}") from None


def check_config(section):
    """The rules (``check_rules``), increasing alpha with at least one sample, the fixed point on both
    grids."""
    check_rules(section)
    alpha = section["alpha"]
    require_increasing(alpha, "online.alpha")
    if round(alpha[0] * section["N"]) < 1:
        raise ConfigError(f"online.alpha: alpha N must round to at least one sample, got {alpha[0]} * {section['N']}")
    if len({round(a * section["N"]) for a in alpha}) < len(alpha):
        raise ConfigError(f"online.alpha: two values round to the same number of samples at N = {section['N']}")
    for name in ("nu", "k"):
        require_distinct(section[name], f"online.{name}")
    select_on_grids(section, "online", {"nu": ["nu_fixed"], "k": ["k_fixed"]})
    if section["jackknife_groups"] > section["trials"]:
        raise ConfigError(f"online.jackknife_groups must be <= online.trials ({section['trials']}), "
                          f"got {section['jackknife_groups']}")


def job_bytes(section, point):
    """The pooled weights."""
    return 24 * section["trials"] * section["N"] * len(section["alpha"])


def simulate_work(section, point):
    """Weight-updates (trials N per arrival, alpha_f N arrivals) and the test inputs' components, and a
    user rule's own cost (``rule_work``)."""
    alpha = section["alpha"]
    arrivals = round(alpha[-1] * section["N"])
    work = section["trials"] * section["N"] * (arrivals + len(alpha) * section["test_samples"])
    extra = rule_work(section, point, section["trials"] * arrivals)
    return work + extra if extra else work


def rule_work(section, point, calls):
    """The cost of ``calls`` calls of the point's rule in weight-updates (the unit of Model C's rate):
    0 for a shipped rule (its cost is in the measured rate), for a user rule its seconds per call as
    the config check measured them (``rules.seconds_per_call``) at the rate. A slow rule's jobs
    request its time."""
    from thermolearn.experiments.online import rules
    from thermolearn.resources import rate

    seconds = rules.seconds_per_call(rules.resolve(rule_spec(section, point["rule"])))
    return calls * seconds * rate("online")


def figure_keys(section, keys):
    """The config keys ``keys`` a Model C figure reads, and the rules' specs."""
    return {key: section[key] for key in keys} | {"rules": rule_specs(section)}


SPEC = ExperimentSpec(
    name="online",
    category="Model C: online learning",
    space=space,
    simulate=Stage(online.simulate, outputs={"trials": ".csv", "weights": ".parquet"}, keys=MODEL,
                   point_keys=point_rule, per_point=True),
    estimate=Stage(estimate, outputs={"entropy": ".csv"}, inputs={"weights": "simulate"},
                   keys=("N", "T", "alpha", "trials", "jackknife_groups"), per_point=True),
    information=Stage(information, outputs={"table": ".csv"}, inputs={"trials": "simulate", "entropy": "estimate"},
                      keys=("T", "r", "alpha", "trials", "jackknife_groups"), point_keys=point_rule),
    summary=Summary(collect(online.SUMMARY_COLUMNS, ["rule", "nu", "k", "alpha"],
                            within=lambda c: {"alpha": c["alpha"]}),
                    online.SUMMARY_COLUMNS, summary_rows, keys=("alpha",)),
    relations=tuple(online.RELATIONS),
    bound_checks=online.bound_checks,
    figures=(
        *(Figure(f"online_eta_{scan}", "eta", {"figures": f"online_eta_{scan}"}, caption="online_eta",
                 params=lambda section, scan=scan: figure_keys(section, ("alpha", "r", "T", "N", "nu_fixed",
                                                                         "k_fixed")) | {"scan": scan})
          for scan in ("nu", "k")),
        Figure("online_dynamics", "dynamics", {"figures": "online_dynamics"},
               params=lambda section: figure_keys(section, ("r", "T", "N", "nu_fixed", "k_fixed"))),
    ),
    check_config=check_config,
    resources=Resources(
        job_bytes=job_bytes,
        memory="24 B * online.trials * online.N * len(online.alpha)",
        work=simulate_work,
        work_formula="online.trials * online.N * (max(online.alpha) online.N + len(online.alpha) online.test_samples)"
                     " + a user rule's calls online.trials * max(online.alpha) online.N x its measured time per call "
                     "x the rate",
        unit="weight-updates",
    ),
)
