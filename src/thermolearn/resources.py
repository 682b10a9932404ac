"""The resource model of the simulate jobs: memory, threads and runtime requests from each experiment's
``Resources`` (work and bytes as functions of its config section) and its measured rate, which is data
(``src/thermolearn/rates.csv``: work per second and thread of a job end to end, written by
``python -m thermolearn.bench --rates``), not a constant in the code."""

import csv
import math
from pathlib import Path

from thermolearn.checks import ConfigError
from thermolearn.experiments import REGISTRY

RATES_FILE = Path(__file__).with_name("rates.csv")
"""experiment, rate (work per second and thread), and how and when it was measured."""

THREADS = 2
"""Threads of a long simulate job; each Model B thread holds one data set."""

ONE_THREAD_SECONDS = 2.0
"""A simulate job predicted to run shorter than this on one thread takes one thread: it would hold a
second core through its single-threaded start-up for little gain."""

START_SECONDS = 10.0
"""A simulate job's start on a cluster node (imports, numba's cache compiled on first use: 7 s cold,
``python -m thermolearn.bench``), added to its predicted time for the runtime request."""

RUNTIME_MARGIN = 1.5
"""Runtime requests are this many times the predicted time (slower nodes, a busy file system)."""

INTERPRETER_MB = 500
"""What a job's Python holds before its data: the interpreter and the libraries it imports."""


def read_rates(path=RATES_FILE):
    """{experiment: rate} from the rates table."""
    with open(path, newline="") as table:
        return {row["experiment"]: float(row["rate"]) for row in csv.DictReader(table)}


RATES = read_rates()


def rate(experiment):
    """The measured work per second and thread of ``experiment``'s simulate jobs."""
    try:
        return RATES[experiment]
    except KeyError:
        raise ConfigError(f"{experiment}: no measured rate in {RATES_FILE} (python -m thermolearn.bench --rates)") \
            from None


def simulate_work(config, experiment, point):
    """Work of the simulate job at ``point`` in the benchmark's units (``Resources.work``)."""
    return REGISTRY[experiment].resources.work(config[experiment], point)


def simulate_seconds(config, experiment, point, threads=1):
    """Predicted seconds of the simulate job at ``point`` on ``threads`` threads: its work at the measured
    rate."""
    return simulate_work(config, experiment, point) / (rate(experiment) * threads)


def simulate_threads(config, experiment, point):
    """Threads of the simulate job at ``point``: THREADS for a long kernel, 1 for a short one (results do
    not depend on the thread count)."""
    return THREADS if simulate_seconds(config, experiment, point) > ONE_THREAD_SECONDS else 1


def job_bytes(config, experiment, point):
    """Bytes the simulate job at ``point`` holds beyond the interpreter (``Resources.job_bytes``)."""
    return REGISTRY[experiment].resources.job_bytes(config[experiment], point)


def job_mem_mb(config, experiment, point):
    """Memory request (MB) of a job that holds the data of ``point``: the interpreter and libraries plus
    ``job_bytes``."""
    return INTERPRETER_MB + math.ceil(job_bytes(config, experiment, point) / 2**20)


def experiment_mem_mb(config, experiment):
    """Memory request (MB) of a job that runs every point of an experiment, one after another: the
    largest point's."""
    return max(job_mem_mb(config, experiment, point) for point in REGISTRY[experiment].points(config))


def simulate_runtime_min(config, experiment, point):
    """Runtime request (minutes) of the simulate job at ``point``: RUNTIME_MARGIN x (START_SECONDS +
    ``simulate_seconds`` on the job's threads), at least one minute."""
    threads = simulate_threads(config, experiment, point)
    seconds = START_SECONDS + simulate_seconds(config, experiment, point, threads)
    return max(1, math.ceil(RUNTIME_MARGIN * seconds / 60))


def largest(config, experiment, measure):
    """The point of an experiment where ``measure(config, experiment, point)`` is largest."""
    return max(REGISTRY[experiment].points(config), key=lambda point: measure(config, experiment, point))


def check_resources(config):
    """The largest simulate job of every experiment fits in ``max_job_mem_mb`` and ``max_job_hours``
    (and its size can be computed: a value beyond the float range is refused naming the formulas)."""
    for experiment, spec in REGISTRY.items():
        try:
            check_experiment(config, experiment, spec)
        except (ArithmeticError, ValueError) as error:
            if isinstance(error, ConfigError):
                raise
            raise ConfigError(f"{experiment}: the size of its largest simulate job ({spec.resources.work_formula}; "
                              f"{spec.resources.memory}) cannot be computed: {' '.join(str(error).split())}") from None


def check_experiment(config, experiment, spec):
    """``check_resources`` for one experiment."""
    point = largest(config, experiment, job_bytes)
    need = job_mem_mb(config, experiment, point)
    if need > config["max_job_mem_mb"]:
        raise ConfigError(
            f"{experiment}: one simulate job would need about {need if need < 1e12 else f'{need:.3g}'} MB "
            f"({spec.resources.memory} = "
            f"{job_bytes(config, experiment, point):.3g} B at {point}), above max_job_mem_mb = "
            f"{config['max_job_mem_mb']}"
        )
    point = largest(config, experiment, simulate_work)
    hours = simulate_runtime_min(config, experiment, point) / 60
    if hours > config["max_job_hours"]:
        raise ConfigError(
            f"{experiment}: the longest simulate job would request about {hours:.3g} h "
            f"({spec.resources.work_formula} = {simulate_work(config, experiment, point):.3g} at {point}, at "
            f"{rate(experiment):.2g}/s per thread on {simulate_threads(config, experiment, point)} threads, "
            f"x {RUNTIME_MARGIN}), above max_job_hours = {config['max_job_hours']}"
        )
