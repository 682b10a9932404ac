"""Reproducible seeds: one config seed, one independent stream per job and per trial."""

import hashlib
import warnings

import numpy as np

# The kernels take the per-trial Generators as a Python list (a "reflected list" to numba). Its
# replacement, numba.typed.List, compiles its methods anew in every process (~0.5 s per job), so
# the list stays and numba's pending-deprecation notice, printed when a kernel compiles, is muted
# (by its message: this module does not import numba).
warnings.filterwarnings("ignore", message=".*reflected list.*")


def job_seed_sequence(seed: int, key: str) -> np.random.SeedSequence:
    """SeedSequence for one job, keyed by a stable hash of its parameter point ``key`` (a str),
    so adding a point to a grid changes no other job's numbers."""
    digest = hashlib.sha256(key.encode()).digest()
    return np.random.SeedSequence([seed, int.from_bytes(digest[:8], "little")])


def point_key(experiment: str, point: dict) -> str:
    """The name of a parameter point's random stream, the same form for every experiment:
    ``<experiment>/<key>=<value>/...`` in the order of its parameter space (``batch/alpha=0.5/nu=0.2``)."""
    return "/".join([experiment, *(f"{key}={value}" for key, value in point.items())])


def trial_generators(seed: int, key: str, trials: int) -> list[np.random.Generator]:
    """One independent numpy Generator (PCG64) per trial, spawned from the job's SeedSequence.

    The kernels draw trial i from generators[i] whichever thread runs it, so results do not depend
    on the thread count; numba runs Generator.standard_normal (ziggurat) several times faster than
    the legacy np.random functions."""
    return [np.random.Generator(np.random.PCG64(child)) for child in job_seed_sequence(seed, key).spawn(trials)]
