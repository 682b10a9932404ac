"""Checks of the configuration that a JSON schema cannot express."""

import math


class ConfigError(ValueError):
    """A config value is out of its allowed range; the message names the key."""


def schema_error(error):
    """ConfigError with one line naming the key, from Snakemake's ``validate`` failure
    (a WorkflowError raised while handling a jsonschema ValidationError)."""
    cause = error.__context__
    if not hasattr(cause, "absolute_path"):
        return ConfigError(str(error))
    key = ".".join(str(part) for part in cause.absolute_path) or "config"
    allowed = ", ".join(
        f"{name} {cause.schema[name]}"
        for name in ("type", "minimum", "exclusiveMinimum", "maximum", "enum", "minItems")
        if isinstance(cause.schema, dict) and name in cause.schema and cause.schema.get("type") != "object"
    )
    return ConfigError(f"{key}: {cause.message}" + (f" (allowed: {allowed})" if allowed else ""))


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
    from thermolearn.theory.landauer import LEAK_TOLERANCE, kramers_time, leak_probability

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
    """Model E: increasing times that include the trade-off time."""
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


def _pooled_weights(config, experiment):
    """Number of weight values one batch or online job holds (0 for the other experiments)."""
    if experiment == "batch":
        batch = config["batch"]
        return batch["trials"] * batch["N"] * (len(batch["times"]) + 2)
    if experiment == "online":
        online = config["online"]
        return online["trials"] * online["N"] * len(online["alpha"])
    return 0


def job_mem_mb(config, experiment):
    """Memory request (MB) of one simulate or estimate job: 500 MB for the interpreter and
    libraries plus the pooled weights (float64 arrays and their float32 table, 24 bytes each)."""
    return 500 + _pooled_weights(config, experiment) * 24 // 2**20


def simulate_runtime_min(config, experiment, duration=None):
    """Runtime request (minutes) of one simulate job: its work in the benchmark's units, at ``RATE``
    on one thread, plus 5 minutes. ``duration`` is the protocol time tau of Models A and D.

    Units: Model B, weight-updates (trials N n_times), each also paying for ~alpha field
    multiply-adds; Model C, weight-updates (trials N per arrival, alpha_f N arrivals); Model A,
    trajectory-steps; Model E, weight-updates; Model D, neuron-steps.
    """
    section = config[experiment]
    if experiment == "batch":
        work = section["trials"] * section["N"] * len(section["times"]) * (1 + max(section["alpha"]))
    elif experiment == "online":
        work = section["trials"] * section["N"] * round(section["alpha"][-1] * section["N"])
    elif experiment == "landauer":
        work = section["trajectories"] * duration / section["dt"]
    elif experiment == "tur":
        work = section["trajectories"] * section["N"] * len(section["times"])
    else:
        work = section["trajectories"] * sum(section["widths"][1:]) * duration / section["dt"]
    return 5 + math.ceil(work / RATE / 60)


def check_memory(config):
    """Every simulate job must fit in ``max_job_mem_mb``."""
    for experiment, sizes in (("batch", "trials * N * (len(times) + 2)"), ("online", "trials * N * len(alpha)")):
        need = job_mem_mb(config, experiment)
        if need > config["max_job_mem_mb"]:
            raise ConfigError(
                f"{experiment}.trials: {experiment} jobs would need about {need} MB ({sizes} = "
                f"{_pooled_weights(config, experiment)} weights), above max_job_mem_mb = {config['max_job_mem_mb']}; "
                f"lower {experiment}.trials or raise max_job_mem_mb"
            )


def check(config):
    """Raise ConfigError naming the first bad key."""
    check_batch(config["batch"])
    check_landauer(config["landauer"])
    check_online(config["online"])
    check_tur(config["tur"])
    check_inference(config["inference"])
    check_memory(config)
