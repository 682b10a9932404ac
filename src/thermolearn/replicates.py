"""Delete-one-group jackknife over independent trials, shared by the experiments.

A stage computes every quantity on all trials (replicate FULL) and on each leave-one-group-out
set of trials (replicates 0..B-1); :func:`reduce` turns the replicates into estimates with
standard errors.
"""

from collections.abc import Collection, Iterator

import numpy as np
import pandas as pd

from thermolearn.estimators import jackknife

FULL = -1
"""Replicate index of the estimate on all trials."""


def groups_of(trial: np.ndarray, groups: int) -> np.ndarray:
    """Jackknife group of each trial: contiguous blocks of trials."""
    trial = np.asarray(trial)
    return trial * groups // (trial.max() + 1)


def masks(trial: np.ndarray, groups: int) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (replicate, mask over rows): all rows, then each group left out in turn."""
    group = groups_of(trial, groups)
    yield FULL, np.ones(group.shape, dtype=bool)
    for g in range(groups):
        yield g, group != g


def means(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Mean of ``values`` over all rows and over the rows outside each group g = 0 .. groups - 1
    (``group``: each row's group), in the order of :func:`masks`: from the groups' sums, one pass."""
    sums = np.bincount(group, weights=values, minlength=groups)
    counts = np.bincount(group, minlength=groups)
    total = sums.sum()
    return np.concatenate([[total], total - sums]) / np.concatenate([[values.shape[0]], values.shape[0] - counts])


def variances(values: np.ndarray, group: np.ndarray, groups: int) -> np.ndarray:
    """Variance (ddof 0) of ``values`` in the replicates of :func:`means`: <x^2> - <x>^2."""
    return means(values * values, group, groups) - means(values, group, groups) ** 2


def reduce(table: pd.DataFrame, quantities: list[str], key: str = "t",
           no_bias_correction: Collection[str] = ()) -> pd.DataFrame:
    """One row per ``key`` with ``dof`` (groups - 1, the degrees of freedom of every error) and
    each quantity's jackknife estimate and ``_err``. Quantities are
    bias-corrected (removing the O(1/n) bias of smooth functions of means, such as the plug-in
    bias of I) except those in ``no_bias_correction``."""
    bias_correct = np.array([q not in no_bias_correction for q in quantities])
    rows = []
    for value_of_key, part in table.groupby(key, sort=True):
        full = part[part["replicate"] == FULL][quantities].to_numpy()[0]
        leave_one_out = part[part["replicate"] != FULL].sort_values("replicate")[quantities].to_numpy()
        value, error = jackknife(full, leave_one_out, bias_correct)
        row = {key: value_of_key, "dof": len(leave_one_out) - 1}
        for name, v, e in zip(quantities, value, error):
            row[name], row[f"{name}_err"] = v, e
        rows.append(row)
    return pd.DataFrame(rows)
