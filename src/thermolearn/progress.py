"""Run a kernel over its trials in chunks and log the progress of long simulate jobs."""

import logging
import time

import numpy as np

log = logging.getLogger(__name__)


def in_chunks(kernel, generators, chunks=10):
    """``kernel(generators)`` on ``chunks`` consecutive slices of the trials' generators, its
    outputs (arrays with trials first, or tuples of them) joined along the trial axis.

    Every trial draws from its own generator, so the result is that of one call on all trials. After
    each slice the fraction done, the elapsed time and the rate (trials per second) go to the
    log (the rule's log file in the pipeline).
    """
    start = time.perf_counter()
    parts = []
    bounds = np.linspace(0, len(generators), min(chunks, len(generators)) + 1).round().astype(int)
    for first, last in zip(bounds[:-1], bounds[1:]):
        parts.append(kernel(generators[first:last]))
        done = sum(len(part[0] if isinstance(part, tuple) else part) for part in parts)
        elapsed = time.perf_counter() - start
        log.info("%5.1f%% of %d trials, %.3f s elapsed, %.3g trials/s", 100 * done / len(generators),
                 len(generators), elapsed, done / elapsed)
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate(outputs) for outputs in zip(*parts))
    return np.concatenate(parts)
