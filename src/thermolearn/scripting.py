"""What every Snakemake ``script:`` wrapper does: log to the rule's log file, use the rule's
threads, and, for the generated stage jobs, run the experiment's job and write its tables."""

import atexit
import logging
import os
import resource
import sys
import time

from thermolearn import tables, warm
from thermolearn.experiments import REGISTRY

FINISHED = "finished %.3f s after the process started, %.3f s of CPU, peak memory %.0f MB"
"""The last line of every job's log (``thermolearn.bench --pipeline`` reads it). In a copy of the warm
worker the peak memory counts the pages it shares with the worker; the job's ``benchmark:`` file
measures only its launching process then."""


def process_age():
    """Seconds since this process started (Linux: /proc, 10 ms resolution), or None."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
            return float(uptime.read().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return None


def cpu_time():
    """CPU seconds (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_memory_mb():
    """Peak resident memory of this process so far, MB (Linux: ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start(snakemake):
    """Send logging and stderr to ``snakemake.log[0]``, set numba's threads to
    ``snakemake.threads`` and return a logger for the rule. The log's first lines give the time
    spent before (start-up and imports), its last line the job's wall and CPU time."""
    log_file = open(snakemake.log[0], "w", buffering=1)
    sys.stderr = log_file
    logging.basicConfig(
        stream=log_file,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        force=True,
    )
    use_threads(snakemake.threads)
    logger = logging.getLogger(snakemake.rule)
    logger.info("rule %s, threads %d, output %s", snakemake.rule, snakemake.threads, list(snakemake.output))
    age = process_age()
    if age is not None:
        logger.info("started %.3f s after the process, %.3f s of CPU (%s)", age, cpu_time(),
                    "a copy of the run's warm worker" if warm.copy else "its own process")
        atexit.register(lambda: logger.info(FINISHED, process_age(), cpu_time(), peak_memory_mb()))
    return logger


def use_threads(threads):
    """Let numba's kernels use ``threads`` threads, at most the available cores. numba takes a fifth
    of a second to import and only the jobs that run a kernel import it: until they do, the
    number goes through NUMBA_NUM_THREADS, which numba reads on import."""
    if "numba" in sys.modules:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    else:
        available = int(os.environ.get("NUMBA_NUM_THREADS") or len(os.sched_getaffinity(0)))
        os.environ["NUMBA_NUM_THREADS"] = str(min(threads, available))


class Timer:
    """Elapsed wall time since creation, for progress lines in the logs."""

    def __init__(self):
        self.start = time.perf_counter()

    @property
    def elapsed(self):
        return time.perf_counter() - self.start


def run_stage(snakemake, stage):
    """One generated stage job: ``thermolearn.experiments.<experiment>.jobs.<stage>(job, log)``
    returns a table per output of the rule (by name), each written atomically as Parquet or CSV
    by its suffix. ``job`` is the ``snakemake`` object: ``job.input``, ``job.params`` (the
    experiment, the point, and the config keys the stage reads in ``job.params.config``)."""
    log = start(snakemake)
    timer = Timer()
    jobs = REGISTRY[snakemake.params.experiment].jobs
    outputs = getattr(jobs, stage)(snakemake, log)
    if set(outputs) != set(snakemake.output.keys()):
        raise RuntimeError(f"{stage} of {snakemake.params.experiment} made {sorted(outputs)}, "
                           f"the rule declares {sorted(snakemake.output.keys())}")
    for name, table in outputs.items():
        path = snakemake.output[name]
        (tables.write_parquet if path.endswith(".parquet") else tables.write_csv)(table, path)
        log.info("wrote %d rows to %s", len(table), path)
    log.info("done in %.2f s", timer.elapsed)
