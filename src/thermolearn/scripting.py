"""What every Snakemake ``script:`` wrapper does: log to the rule's log file, use the rule's
threads, and, for the generated stage jobs, run the experiment's job and write its tables."""

import importlib
import logging
import sys
import time

from thermolearn import tables


def start(snakemake):
    """Send logging and stderr to ``snakemake.log[0]``, set numba's threads to
    ``snakemake.threads`` and return a logger for the rule."""
    log_file = open(snakemake.log[0], "w", buffering=1)
    sys.stderr = log_file
    logging.basicConfig(
        stream=log_file,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        force=True,
    )
    import numba

    numba.set_num_threads(min(snakemake.threads, numba.config.NUMBA_NUM_THREADS))
    logger = logging.getLogger(snakemake.rule)
    logger.info("rule %s, threads %d, output %s", snakemake.rule, snakemake.threads, list(snakemake.output))
    return logger


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
    jobs = importlib.import_module(f"thermolearn.experiments.{snakemake.params.experiment}.jobs")
    outputs = getattr(jobs, stage)(snakemake, log)
    if set(outputs) != set(snakemake.output.keys()):
        raise RuntimeError(f"{stage} of {snakemake.params.experiment} made {sorted(outputs)}, "
                           f"the rule declares {sorted(snakemake.output.keys())}")
    for name, table in outputs.items():
        path = snakemake.output[name]
        (tables.write_parquet if path.endswith(".parquet") else tables.write_csv)(table, path)
        log.info("wrote %d rows to %s", len(table), path)
    log.info("done in %.2f s", timer.elapsed)
