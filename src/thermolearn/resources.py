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


def simulate_work(config, experiment, duration=None):
    """Work of one simulate job in the benchmark's units (``Resources.work``); ``duration`` is the
    protocol time of an experiment whose work grows with one."""
    return REGISTRY[experiment].resources.work(config[experiment], duration)


def simulate_seconds(config, experiment, duration=None, threads=1):
    """Predicted seconds of one simulate job on ``threads`` threads: its work at the measured rate."""
    return simulate_work(config, experiment, duration) / (rate(experiment) * threads)


def simulate_threads(config, experiment, duration=None):
    """Threads of one simulate job: THREADS for a long kernel, 1 for a short one (results do not
    depend on the thread count)."""
    return THREADS if simulate_seconds(config, experiment, duration) > ONE_THREAD_SECONDS else 1


def job_bytes(config, experiment):
    """Bytes one simulate job holds beyond the interpreter (``Resources.job_bytes``)."""
    return REGISTRY[experiment].resources.job_bytes(config[experiment])


def job_mem_mb(config, experiment):
    """Memory request (MB) of one simulate or estimate job: the interpreter and libraries plus
    ``job_bytes``."""
    return INTERPRETER_MB + math.ceil(job_bytes(config, experiment) / 2**20)


def simulate_runtime_min(config, experiment, duration=None):
    """Runtime request (minutes) of one simulate job: RUNTIME_MARGIN x (START_SECONDS +
    ``simulate_seconds`` on the job's threads), at least one minute."""
    threads = simulate_threads(config, experiment, duration)
    seconds = START_SECONDS + simulate_seconds(config, experiment, duration, threads)
    return max(1, math.ceil(RUNTIME_MARGIN * seconds / 60))


def longest_duration(config, experiment):
    """The protocol time of an experiment's longest simulate job (None if its work has none)."""
    key = REGISTRY[experiment].resources.duration
    return max(config[experiment][key]) if key else None


def check_resources(config):
    """The largest simulate job of every experiment fits in ``max_job_mem_mb`` and ``max_job_hours``."""
    for experiment, spec in REGISTRY.items():
        need = job_mem_mb(config, experiment)
        if need > config["max_job_mem_mb"]:
            raise ConfigError(
                f"{experiment}: one simulate job would need about {need} MB ({spec.resources.memory} = "
                f"{job_bytes(config, experiment):.3g} B), above max_job_mem_mb = {config['max_job_mem_mb']}"
            )
        duration = longest_duration(config, experiment)
        hours = simulate_runtime_min(config, experiment, duration) / 60
        if hours > config["max_job_hours"]:
            raise ConfigError(
                f"{experiment}: the longest simulate job would request about {hours:.3g} h "
                f"({spec.resources.work_formula} = {simulate_work(config, experiment, duration):.3g} at "
                f"{rate(experiment):.2g}/s per thread on {simulate_threads(config, experiment, duration)} threads, "
                f"x {RUNTIME_MARGIN}), above max_job_hours = {config['max_job_hours']}"
            )
