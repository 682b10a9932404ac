"""What every Snakemake ``script:`` wrapper does first: log to the rule's log file and use the
rule's threads."""

import logging
import sys
import time


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
