"""The configuration: strict loading, schema validation with defaults, and the checks a JSON
schema cannot express (increasing grids, figure points on their grid, stable time steps, the
memory and time of every experiment's jobs).

A variant lists only what it changes: Snakemake merges it over ``config/config.yaml``
(``configfile:`` in the Snakefile, ``--configfile`` on the command line), and the run prints the
keys whose effective value differs from the default.
"""

import copy
import math
import sys
from pathlib import Path

import jsonschema
import yaml

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / "config" / "config.yaml"
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


class ConfigError(ValueError):
    """A config value is out of its allowed range; the message (one line) names the key."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicated key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load(path):
    """The mapping in one YAML file; ConfigError naming the file, line and column of a syntax
    error or a duplicated key, or the missing file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problem = error.problem + (f" ({error.context})" if error.context else "")
        raise ConfigError(f"{path}, line {mark.line + 1}, column {mark.column + 1}: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file is a mapping of keys to values, got {type(data).__name__}")
    return data


def merge(default, variant):
    """Deep merge: the variant's values over the default's, section by section (as Snakemake's
    ``configfile:`` and ``--configfile``)."""
    merged = copy.deepcopy(default)
    for key, value in variant.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _leaves(config, prefix=""):
    """(dotted key, value) of every non-mapping value."""
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def differences(config, default):
    """One line per key whose value differs from the default's: ``key = value (default d)``."""
    default_values = dict(_leaves(default))
    return [
        f"{key} = {value} (default {default_values.get(key, 'none')})"
        for key, value in _leaves(config)
        if key not in default_values or default_values[key] != value
    ]


def check_finite(config):
    """Every number is finite (the schema's ranges let NaN through and YAML writes .nan, .inf)."""
    for key, value in _leaves(config):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, float) and not math.isfinite(item):
                raise ConfigError(f"{key}: {value} is not finite (allowed: finite numbers)")


def _validator(schema):
    """The schema's validator, with integers that are ints (not 40.0) and defaults filled in
    (the jsonschema FAQ's extension of ``properties``)."""
    base = jsonschema.validators.validator_for(schema)
    validate_properties = base.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, entry in properties.items():
                if "default" in entry:
                    instance.setdefault(name, entry["default"])
        yield from validate_properties(validator, properties, instance, schema)

    type_checker = base.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    extended = jsonschema.validators.extend(base, {"properties": properties_with_defaults}, type_checker=type_checker)
    return extended(schema)


def check_schema(config):
    """Types, ranges and unknown keys against workflow/schemas/config.schema.yaml; fills in
    defaults. ConfigError with the key, the value and the allowed range."""
    schema = yaml.safe_load(SCHEMA.read_text())
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(config))
    if error is None:
        return
    key = ".".join(str(part) for part in error.absolute_path) or "config"
    allowed = ", ".join(
        f"{name} {error.schema[name]}"
        for name in ("type", "minimum", "exclusiveMinimum", "maximum", "enum", "minItems")
        if isinstance(error.schema, dict) and name in error.schema and error.schema.get("type") != "object"
    )
    hint = ""
    if isinstance(error.instance, str) and _is_exponent_number(error.instance):
        hint = f"; YAML reads {error.instance} as text: write a number with a dot and a signed exponent, e.g. 1.0e-3"
    raise ConfigError(f"{key}: {error.message}" + (f" (allowed: {allowed})" if allowed else "") + hint)


def _is_exponent_number(text):
    """Whether ``text`` is a number in exponent form, which YAML 1.1 reads as a string unless it
    has a dot and a signed exponent (1e-3 and 1.0e3 are strings, 1.0e-3 and 1.0e+3 numbers)."""
    try:
        float(text)
    except ValueError:
        return False
    return "e" in text.lower()


def _require_increasing(values, key):
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ConfigError(f"{key} must be strictly increasing, got {values}")


def _in_grid(value, grid):
    return any(math.isclose(value, g, rel_tol=1e-12) for g in grid)


def check_batch(batch):
    """Model B: increasing times with t_f k >= 10, grid members for the figures' points."""
    times = batch["times"]
    _require_increasing(times, "batch.times")
    if times[-1] * batch["k"] < 10:
        raise ConfigError(
            f"batch.times: the last time times k must be >= 10 (t -> infinity), "
            f"got {times[-1]} * {batch['k']}"
        )
    if batch["jackknife_groups"] > batch["trials"]:
        raise ConfigError(
            f"batch.jackknife_groups must be <= batch.trials ({batch['trials']}), "
            f"got {batch['jackknife_groups']}"
        )
    if round(min(batch["alpha"]) * batch["N"]) < 1:
        raise ConfigError(
            f"batch.alpha: alpha N must round to at least one sample, got min alpha "
            f"{min(batch['alpha'])} with N = {batch['N']}"
        )
    fractional = [a for a in batch["alpha"] if not math.isclose(a * batch["N"], round(a * batch["N"]), abs_tol=1e-9)]
    if fractional:
        raise ConfigError(
            f"batch.alpha: alpha N must be a whole number of samples P (the theory is at alpha = P/N), "
            f"got alpha = {fractional[0]} with N = {batch['N']}"
        )
    for key in ("bound", "fluctuation"):
        for name in ("alpha", "nu"):
            values = batch[key][name]
            for value in values if isinstance(values, list) else [values]:
                if not _in_grid(value, batch[name]):
                    raise ConfigError(
                        f"batch.{key}.{name} = {value} is not in the grid batch.{name} = {batch[name]}"
                    )


def check_landauer(landauer):
    """Model A: increasing tau, a stable and accurate time step, enough tau for the fit, and a
    barrier that keeps the erased bit through the slowest protocol (theory.landauer.leak_probability)."""
    tau = landauer["tau"]
    _require_increasing(tau, "landauer.tau")
    dt_max = 1.0 / (80.0 * landauer["E0"])
    if landauer["dt"] > dt_max:
        raise ConfigError(
            f"landauer.dt must be <= 1/(80 E0) = {dt_max:.3g} (ten steps per relaxation time of a well), "
            f"got {landauer['dt']}"
        )
    if tau[0] < 4 * landauer["dt"]:
        raise ConfigError(f"landauer.tau: the shortest tau must span four steps dt, got {tau[0]}")
    if sum(t >= landauer["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(
            f"landauer.fit_min_tau = {landauer['fit_min_tau']} leaves fewer than two tau in {tau} for the fit"
        )
    from thermolearn.theory.landauer import LEAK_TOLERANCE, kramers_time, leak_probability, wrong_well_probability

    wrong = wrong_well_probability(landauer["E0"], landauer["T"], landauer["a_max"])
    if wrong > LEAK_TOLERANCE:
        raise ConfigError(
            f"landauer.a_max = {landauer['a_max']}: the tilt leaves the bit in the wrong well with probability "
            f"{wrong:.2g} (1/(1 + e^(2 E0 a_max/T)), allowed <= {LEAK_TOLERANCE}), so the protocol does not erase; "
            f"raise a_max or E0"
        )
    crossing = kramers_time(landauer["E0"] * landauer["b_min"], landauer["T"])
    if crossing > landauer["fit_min_tau"]:
        raise ConfigError(
            f"landauer.b_min = {landauer['b_min']}: crossing the lowered barrier E0 b_min takes about {crossing:.3g} "
            f"(Kramers), longer than the fitted protocols (fit_min_tau = {landauer['fit_min_tau']}), so they do not "
            f"erase; lower b_min or raise fit_min_tau"
        )
    leak = leak_probability(tau[-1], landauer["E0"], landauer["T"], landauer["a_max"])
    if leak > LEAK_TOLERANCE:
        tau_max = tau[-1] * LEAK_TOLERANCE / leak
        raise ConfigError(
            f"landauer.E0 = {landauer['E0']}: the erased bit leaks back over the barrier during the slowest "
            f"protocol (Kramers escape time {kramers_time(landauer['E0'], landauer['T']):.3g}, expected 1 - P_s = "
            f"{leak:.2g} at tau = {tau[-1]}; allowed <= {LEAK_TOLERANCE}): raise E0 or keep tau <= {tau_max:.3g}"
        )


def check_online(online):
    """Model C: increasing alpha with at least one sample, the fixed point on both grids."""
    alpha = online["alpha"]
    _require_increasing(alpha, "online.alpha")
    if round(alpha[0] * online["N"]) < 1:
        raise ConfigError(f"online.alpha: alpha N must round to at least one sample, got {alpha[0]} * {online['N']}")
    if len({round(a * online["N"]) for a in alpha}) < len(alpha):
        raise ConfigError(f"online.alpha: two values round to the same number of samples at N = {online['N']}")
    for name in ("nu", "k"):
        if not _in_grid(online[f"{name}_fixed"], online[name]):
            raise ConfigError(
                f"online.{name}_fixed = {online[name + '_fixed']} is not in the grid online.{name} = {online[name]}"
            )
    if online["jackknife_groups"] > online["trials"]:
        raise ConfigError(
            f"online.jackknife_groups must be <= online.trials ({online['trials']}), got {online['jackknife_groups']}"
        )


def check_tur(tur):
    """Model E: a data set of at least one sample, increasing times that include the trade-off time."""
    if round(tur["alpha"] * tur["N"]) < 1:
        raise ConfigError(
            f"tur.alpha: alpha N must round to at least one sample, got {tur['alpha']} with N = {tur['N']}"
        )
    times = tur["times"]
    _require_increasing(times, "tur.times")
    if not _in_grid(tur["tradeoff_time"], times):
        raise ConfigError(f"tur.tradeoff_time = {tur['tradeoff_time']} is not in tur.times = {times}")


def check_inference(inference):
    """Model D: inputs as wide as the input layer, increasing tau, a stable step, enough tau to fit."""
    for key in ("u_start", "u_end"):
        if len(inference[key]) != inference["widths"][0]:
            raise ConfigError(
                f"inference.{key} must have n_0 = {inference['widths'][0]} entries, got {len(inference[key])}"
            )
    tau = inference["tau"]
    _require_increasing(tau, "inference.tau")
    if tau[0] < 4 * inference["dt"]:
        raise ConfigError(
            f"inference.tau: the shortest tau must span four steps dt = {inference['dt']}, got {tau[0]}"
        )
    if inference["dt"] * inference["K"] > 0.1:
        raise ConfigError(
            f"inference.dt must be <= 0.1/K = {0.1 / inference['K']:.3g} (ten steps per relaxation time), "
            f"got {inference['dt']}"
        )
    if sum(t >= inference["fit_min_tau"] for t in tau) < 2:
        raise ConfigError(f"inference.fit_min_tau = {inference['fit_min_tau']} leaves fewer than two tau in {tau}")


RATE = 5e6
"""Work units per second and thread assumed for runtime requests: about a fifth of the slowest
kernel measured by ``python -m thermolearn.bench`` (Model B, 2.7e7 weight-updates/s), for slower
cluster nodes."""

THREADS = 2
"""Threads of a simulate job (workflow/rules/simulate.smk); each batch thread holds one data set."""

EXPERIMENTS = ("batch", "landauer", "online", "tur", "inference")

MEMORY = {
    "batch": "24 B * batch.trials * batch.N * (len(batch.times) + 2)"
    " + 8 B * 2 threads * batch.N * max(batch.alpha) batch.N",
    "online": "24 B * online.trials * online.N * len(online.alpha)",
    "landauer": "100 B * landauer.trajectories",
    "tur": "8 B * (tur.alpha tur.N * tur.N + 8 * tur.trajectories * len(tur.times))",
    "inference": "8 B * (3 inference.trajectories + sum n_l n_(l-1) over inference.widths"
    " + n_1 max(inference.tau) / inference.dt)",
}
"""What one simulate job holds, by experiment (the formulas of ``job_bytes``)."""

WORK = {
    "batch": "batch.trials * batch.N * len(batch.times) * (1 + max(batch.alpha)) weight-updates",
    "online": "online.trials * online.N * (max(online.alpha) online.N + len(online.alpha) online.test_samples)",
    "landauer": "landauer.trajectories * max(landauer.tau) / landauer.dt trajectory-steps",
    "tur": "tur.trajectories * tur.N * len(tur.times) weight-updates",
    "inference": "inference.trajectories * max(inference.tau) / inference.dt"
    " * sum n_l (1 + n_(l-1)) over inference.widths / (130/18)",
}
"""The work of one simulate job, by experiment (the formulas of ``simulate_work``)."""


def job_bytes(config, experiment):
    """Bytes one simulate job holds beyond the interpreter (formulas in ``MEMORY``): Model B's
    pooled weights w(0), f, w(t) (float64 and their float32 table) and one data set xi per
    thread; Model C's pooled weights; Model A's per-trajectory table; Model E's data set and
    currents table; Model D's weights, input ramp and per-trajectory table."""
    section = config[experiment]
    if experiment == "batch":
        samples = round(max(section["alpha"]) * section["N"])
        weights = section["trials"] * section["N"] * (len(section["times"]) + 2)
        return 24 * weights + 8 * THREADS * section["N"] * samples
    if experiment == "online":
        return 24 * section["trials"] * section["N"] * len(section["alpha"])
    if experiment == "landauer":
        return 100 * section["trajectories"]
    if experiment == "tur":
        data = round(section["alpha"] * section["N"]) * section["N"]
        return 8 * (data + 8 * section["trajectories"] * len(section["times"]))
    widths = section["widths"]
    steps = max(section["tau"]) / section["dt"]
    return 8 * (3 * section["trajectories"] + sum(a * b for a, b in zip(widths, widths[1:])) + widths[1] * steps)


def job_mem_mb(config, experiment):
    """Memory request (MB) of one simulate or estimate job: 500 MB for the interpreter and
    libraries plus ``job_bytes``."""
    return 500 + math.ceil(job_bytes(config, experiment) / 2**20)


def simulate_work(config, experiment, duration=None):
    """Work of one simulate job in the benchmark's units (formulas in ``WORK``); ``duration`` is
    the protocol time tau of Models A and D.

    Units: Model B, weight-updates (trials N n_times), each also paying for ~alpha field
    multiply-adds; Model C, weight-updates (trials N per arrival, alpha_f N arrivals) and the test
    inputs' components; Model A, trajectory-steps; Model E, weight-updates; Model D,
    neuron-steps of the benchmarked 4-8-8-2 network: a neuron-step costs its fan-in + 1
    multiply-adds, 130/18 on average in that network (measured: 1.8e8 multiply-adds/s there,
    9e7-5e8 /s for wider layers).
    """
    section = config[experiment]
    if experiment == "batch":
        return section["trials"] * section["N"] * len(section["times"]) * (1 + max(section["alpha"]))
    if experiment == "online":
        alpha = section["alpha"]
        arrivals = round(alpha[-1] * section["N"])
        return section["trials"] * section["N"] * (arrivals + len(alpha) * section["test_samples"])
    if experiment == "landauer":
        return section["trajectories"] * duration / section["dt"]
    if experiment == "tur":
        return section["trajectories"] * section["N"] * len(section["times"])
    widths = section["widths"]
    multiply_adds = sum(n * (1 + m) for m, n in zip(widths, widths[1:]))
    return section["trajectories"] * multiply_adds / (130 / 18) * duration / section["dt"]


def simulate_runtime_min(config, experiment, duration=None):
    """Runtime request (minutes) of one simulate job: ``simulate_work`` at ``RATE`` on one
    thread, plus 5 minutes."""
    return 5 + math.ceil(simulate_work(config, experiment, duration) / RATE / 60)


def check_resources(config):
    """The largest simulate job of every experiment fits in ``max_job_mem_mb`` and ``max_job_hours``."""
    for experiment in EXPERIMENTS:
        need = job_mem_mb(config, experiment)
        if need > config["max_job_mem_mb"]:
            raise ConfigError(
                f"{experiment}: one simulate job would need about {need} MB ({MEMORY[experiment]} = "
                f"{job_bytes(config, experiment):.3g} B), above max_job_mem_mb = {config['max_job_mem_mb']}"
            )
        duration = max(config[experiment]["tau"]) if experiment in ("landauer", "inference") else None
        hours = simulate_runtime_min(config, experiment, duration) / 60
        if hours > config["max_job_hours"]:
            raise ConfigError(
                f"{experiment}: the longest simulate job would run about {hours:.3g} h ({WORK[experiment]} = "
                f"{simulate_work(config, experiment, duration):.3g} at {RATE:.0e}/s), above max_job_hours = "
                f"{config['max_job_hours']}"
            )


def validate(config):
    """Check a merged config in place (defaults filled in); ConfigError naming the first bad key,
    its value and the allowed range."""
    check_finite(config)
    check_schema(config)
    check_batch(config["batch"])
    check_landauer(config["landauer"])
    check_online(config["online"])
    check_tur(config["tur"])
    check_inference(config["inference"])
    check_resources(config)
    return config


def validate_or_exit(config, variants, main_process=True):
    """The Snakefile's entry: refuse a duplicated key or a syntax error in the ``variants``
    (``--configfile`` files, read again strictly), validate the merged ``config``, and print one
    line per key that differs from config/config.yaml. A ConfigError exits with its one line."""
    try:
        default = validate(load(DEFAULT))
        for path in variants:
            load(path)
        validate(config)
    except ConfigError as error:
        sys.exit(str(error))
    if main_process:
        for line in differences(config, default):
            print(f"config: {line}", file=sys.stderr)


def main(argv=None):
    """``python -m thermolearn.config VARIANT.yaml ...``: the variants merged over the default and
    checked as a run would, without Snakemake (which reads ``--configfile`` before the workflow
    and reports a YAML syntax error without its line)."""
    variants = sys.argv[1:] if argv is None else argv
    try:
        config = load(DEFAULT)
        for path in variants:
            config = merge(config, load(path))
    except ConfigError as error:
        sys.exit(str(error))
    validate_or_exit(config, [])
    print(f"{', '.join(map(str, variants)) or DEFAULT}: valid", file=sys.stderr)


if __name__ == "__main__":
    main()
