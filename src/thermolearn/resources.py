"""The resource model of the jobs: memory, threads and runtime requests from each experiment's
``Resources`` (work and bytes as functions of its config section) and its measured rate and baselines,
which are data (``src/thermolearn/rates.csv``, written by ``python -m thermolearn.bench --rates``), not
constants in the code. A retry (Snakemake's ``attempt``) asks for ``attempt`` times the first request."""

import csv
import math
from pathlib import Path

from thermolearn.checks import ConfigError
from thermolearn.experiments import REGISTRY

RATES_FILE = Path(__file__).with_name("rates.csv")
"""Per experiment: ``rate`` (work per second and thread of its simulate kernel), ``base_mb`` (what one of
its cluster jobs holds without data: two Snakemake processes, the jobstep's and the one ``srun`` starts,
and the script's interpreter and libraries), ``start_s`` (the seconds of such a job without work: the
Snakemake start-ups and the script's imports), and how and when they were measured."""

THREADS = 2
"""Threads of a long simulate job; each Model B thread holds one data set."""

ONE_THREAD_SECONDS = 2.0
"""A simulate job predicted to run shorter than this on one thread takes one thread: it would hold a
second core through its single-threaded start-up for little gain."""

RUNTIME_MARGIN = 2.0
"""Runtime requests are this many times the predicted time (slower or shared nodes, a busy file system:
on a 2-core node shared with a load average of 3 a job took up to 3 times its time on an idle one)."""

MEMORY_MARGIN = 1.25
"""Memory requests are this many times the predicted peak (libraries and allocators differ by version)."""

MEASURED = ("rate", "base_mb", "start_s")
"""The measured columns of the rates table that the requests follow."""


def read_rates(path=RATES_FILE):
    """{experiment: {rate, base_mb, start_s}} from the rates table."""
    with open(path, newline="") as table:
        return {row["experiment"]: {key: float(row[key]) for key in MEASURED} for row in csv.DictReader(table)}


RATES = read_rates()


def measured(experiment, key="rate"):
    """The measured ``key`` (``MEASURED``) of ``experiment``'s jobs."""
    try:
        return RATES[experiment][key]
    except KeyError:
        raise ConfigError(f"{experiment}: no measured {key} in {RATES_FILE} (python -m thermolearn.bench --rates)") \
            from None


def rate(experiment):
    """The measured work per second and thread of ``experiment``'s simulate jobs."""
    return measured(experiment, "rate")


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


def job_mem_mb(config, experiment, point, attempt=1):
    """Memory request (MB) of a job that holds the data of ``point``: ``attempt`` x the first request,
    MEMORY_MARGIN x (the measured ``base_mb`` of every process in the job step plus ``job_bytes``)."""
    data_mb = job_bytes(config, experiment, point) / 2**20
    return attempt * math.ceil(MEMORY_MARGIN * (measured(experiment, "base_mb") + data_mb))


def experiment_mem_mb(config, experiment, attempt=1):
    """Memory request (MB) of a job that runs every point of an experiment, one after another: the
    largest point's."""
    return max(job_mem_mb(config, experiment, point, attempt) for point in REGISTRY[experiment].points(config))


def simulate_runtime_min(config, experiment, point, attempt=1):
    """Runtime request (minutes) of the simulate job at ``point``: ``attempt`` x the first request,
    RUNTIME_MARGIN x (the measured ``start_s`` + ``simulate_seconds`` on the job's threads) and at least one
    minute."""
    threads = simulate_threads(config, experiment, point)
    seconds = measured(experiment, "start_s") + simulate_seconds(config, experiment, point, threads)
    return attempt * max(1, math.ceil(RUNTIME_MARGIN * seconds / 60))


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
