"""The k-nearest-neighbour search of the Kozachenko-Leonenko entropy estimate
(:func:`thermolearn.estimators.entropy_nonparametric_replicates`), in numba."""

import numpy as np
from numba import njit


@njit(cache=True)
def nearest_neighbours(x, group, deleted, i, k):
    """rho_k of x[i] among the sorted samples x outside group ``deleted``, and the first and last
    position of the window its k nearest neighbours fill, grown one nearest neighbour at a time
    (the left one on a tie); rho_k is the distance to the last one added."""
    n = x.shape[0]
    left, right = i - 1, i + 1
    first, last = i, i
    rho = 0.0
    for _ in range(k):
        while left >= 0 and group[left] == deleted:
            left -= 1
        while right < n and group[right] == deleted:
            right += 1
        gap_left = x[i] - x[left] if left >= 0 else np.inf
        gap_right = x[right] - x[i] if right < n else np.inf
        if gap_left <= gap_right:
            rho, first = gap_left, left
            left -= 1
        else:
            rho, last = gap_right, right
            right += 1
    return rho, first, last


@njit(cache=True)
def log_knn_distance_sums(x, group, groups, k):
    """Sums of ln rho_k, in the order of the sorted samples x, and the number of samples: over all
    samples (entry 0) and over the samples outside each group g with g deleted (entry g + 1). A
    sample keeps its rho_k unless a sample of g lies in its window."""
    n = x.shape[0]
    log_rho = np.empty(n)
    first = np.empty(n, dtype=np.int64)
    last = np.empty(n, dtype=np.int64)
    sums = np.zeros(groups + 1)
    counts = np.full(groups + 1, n)
    for i in range(n):
        rho, first[i], last[i] = nearest_neighbours(x, group, -1, i, k)
        log_rho[i] = np.log(rho)
        sums[0] += log_rho[i]
    members = np.argsort(group)
    ends = np.searchsorted(group[members], np.arange(groups + 1))
    changed = np.zeros(n, dtype=np.bool_)
    for g in range(groups):
        counts[g + 1] -= ends[g + 1] - ends[g]
        for p in members[ends[g]:ends[g + 1]]:
            for i in range(max(0, p - k), min(n, p + k + 1)):
                if first[i] <= p <= last[i]:
                    changed[i] = True
        total = 0.0
        for i in range(n):
            if group[i] == g:
                changed[i] = False
            elif changed[i]:
                changed[i] = False
                total += np.log(nearest_neighbours(x, group, g, i, k)[0])
            else:
                total += log_rho[i]
        sums[g + 1] = total
    return sums, counts
