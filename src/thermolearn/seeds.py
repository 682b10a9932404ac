"""Reproducible seeds: one config seed, one independent stream per job and per trial."""

import hashlib

import numpy as np


def job_seed_sequence(seed, key):
    """SeedSequence for one job, keyed by a stable hash of its parameter point ``key`` (a str),
    so adding a point to a grid changes no other job's numbers."""
    digest = hashlib.sha256(key.encode()).digest()
    return np.random.SeedSequence([seed, int.from_bytes(digest[:8], "little")])


def trial_seeds(seed, key, trials):
    """Distinct 32-bit seeds, one per trial, for the numba kernels' per-trial generators.

    Consecutive integers from a hashed base: distinct within a job (independent draws would
    collide, by the birthday bound, once trials approach 2^16), decorrelated by the Mersenne
    Twister's seeding."""
    base = job_seed_sequence(seed, key).generate_state(1, dtype=np.uint64)[0]
    return ((base + np.arange(trials, dtype=np.uint64)) % np.uint64(2**32)).astype(np.uint32)
