"""Model C's settings: its parameter space (one simulate job per (rule, nu, k): the nu scan at
k_fixed and the k scan at nu_fixed), the rules' names and specs, the rows of its summary, its
config checks and its simulate jobs' resources (``thermolearn.config.job_mem_mb``,
``simulate_runtime_min``)."""

import pandas as pd

from thermolearn.config import ConfigError, in_grid, require_increasing
from thermolearn.experiments import Figure, Stage, Summary
from thermolearn.experiments.online import rules

MODEL = ("N", "T", "r", "alpha", "trials", "test_samples")
"""The parameters shared by every (rule, nu, k) point."""

def point_rule(online, point):
    """What a point's jobs read beyond the stage's keys: the spec of its rule."""
    return {"rule": rule_spec(online, point["rule"])}


STAGES = {
    "simulate": Stage(outputs={"trials": ".csv", "weights": ".parquet"}, keys=MODEL,
                      point_keys=point_rule),
    "estimate": Stage(outputs={"entropy": ".csv"}, inputs={"weights": "simulate"},
                      keys=("N", "T", "alpha", "trials", "jackknife_groups")),
    "information": Stage(outputs={"table": ".csv"}, inputs={"trials": "simulate", "entropy": "estimate"},
                         keys=("T", "r", "alpha", "trials", "jackknife_groups"),
                         point_keys=point_rule),
}
"""The per-point jobs (jobs.simulate, jobs.estimate, jobs.information)."""

SUMMARY = Summary(points="information", keys=("alpha",))


FIGURES = [
    *(Figure(f"online_eta_{scan}", {"figures": f"online_eta_{scan}"}, script="online_eta",
             params=lambda online, scan=scan: {
                 "online": {key: online[key] for key in ("alpha", "r", "T", "N", "nu_fixed", "k_fixed")}
                 | {"rules": rule_specs(online)},
                 "scan": scan,
             })
      for scan in ("nu", "k")),
    Figure("online_dynamics", {"figures": "online_dynamics"},
           params=lambda online: {"online": {key: online[key] for key in ("r", "T", "N", "nu_fixed", "k_fixed")}
                                  | {"rules": rule_specs(online)}}),
]
"""C1, C2 (eta vs nu at k_fixed and vs k at nu_fixed, one script) and C3."""


def rule_specs(online):
    """The configured rules as mappings name, function, params (``rules.spec``), in config order:
    what the figure jobs take."""
    return [rules.spec(entry) for entry in online["rules"]]


def rule_names(online):
    """The configured rules' names, in config order: the values of the points' ``rule``."""
    return [spec["name"] for spec in rule_specs(online)]


def rule_spec(online, name):
    """The configured rule ``name`` as a mapping name, function, params: what the simulate and
    information jobs of its points take, so that changing a rule's function or parameters reruns
    only its points."""
    return next(spec for spec in rule_specs(online) if spec["name"] == name)


def space(config):
    """The (rule, nu, k) points, sorted, with the rules' names."""
    online = config["online"]
    names = rule_names(online)
    nu_scan = {(rule, float(nu), float(online["k_fixed"])) for rule in names for nu in online["nu"]}
    k_scan = {(rule, float(online["nu_fixed"]), float(k)) for rule in names for k in online["k"]}
    return pd.DataFrame(sorted(nu_scan | k_scan), columns=["rule", "nu", "k"])


def summary_rows(config):
    """The rows of results/tables/online_summary.csv: the points are not a product of grids, so
    they are listed as tuples."""
    return {("rule", "nu", "k"): list(space(config).itertuples(index=False, name=None)),
            "alpha": config["online"]["alpha"]}


def bound_options(config):
    """The keyword arguments of ``bound_checks`` beyond the summary: none."""
    return {}


def check_rules(online):
    """Every rule has its own name, its function exists with the signature F(h, sigma_T, *params) and
    its parameters, numba compiles it, and it is finite on the probe grid (rules.resolve, rules.check)."""
    names = []
    try:
        for entry in online["rules"]:
            rule = rules.resolve(entry)
            if rule.name in names:
                raise rules.RuleError(f"two rules are named {rule.name!r}; give each its own name")
            names.append(rule.name)
            rules.check(rule)
    except rules.RuleError as error:
        raise ConfigError(f"online.rules: {error}") from None


def check_config(online):
    """Model C: the rules (``check_rules``), increasing alpha with at least one sample, the fixed
    point on both grids."""
    check_rules(online)
    alpha = online["alpha"]
    require_increasing(alpha, "online.alpha")
    if round(alpha[0] * online["N"]) < 1:
        raise ConfigError(f"online.alpha: alpha N must round to at least one sample, got {alpha[0]} * {online['N']}")
    if len({round(a * online["N"]) for a in alpha}) < len(alpha):
        raise ConfigError(f"online.alpha: two values round to the same number of samples at N = {online['N']}")
    for name in ("nu", "k"):
        if not in_grid(online[f"{name}_fixed"], online[name]):
            raise ConfigError(
                f"online.{name}_fixed = {online[name + '_fixed']} is not in the grid online.{name} = {online[name]}"
            )
    if online["jackknife_groups"] > online["trials"]:
        raise ConfigError(
            f"online.jackknife_groups must be <= online.trials ({online['trials']}), got {online['jackknife_groups']}"
        )


MEMORY = "24 B * online.trials * online.N * len(online.alpha)"
"""What one simulate job holds (the formula of ``job_bytes``): the pooled weights."""

WORK = "online.trials * online.N * (max(online.alpha) online.N + len(online.alpha) online.test_samples)"
"""The work of one simulate job (the formula of ``simulate_work``)."""

RATE = 2.9e+08
"""``simulate_work`` per second and thread of the largest config/paper.yaml simulate job, end to end
(kernel, tables, writing): 14 s on 2 threads of the 2-core development machine (2026-12-01). Sets a
job's threads and runtime request (``thermolearn.config.simulate_runtime_min``)."""


def job_bytes(online):
    """The pooled weights."""
    return 24 * online["trials"] * online["N"] * len(online["alpha"])


def simulate_work(online, duration=None):
    """Weight-updates (trials N per arrival, alpha_f N arrivals) and the test inputs' components."""
    alpha = online["alpha"]
    arrivals = round(alpha[-1] * online["N"])
    return online["trials"] * online["N"] * (arrivals + len(alpha) * online["test_samples"])
