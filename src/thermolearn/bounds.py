"""Checks of inequalities and equalities with their statistical uncertainty."""

import numpy as np

N_SIGMA = 3.0
"""An inequality or equality holds when violated by at most this many standard errors."""


def combined_error(lhs_err, rhs_err):
    """Standard error of lhs - rhs for independent errors."""
    return np.hypot(lhs_err, rhs_err)


def holds_inequality(lhs, lhs_err, rhs, rhs_err, n_sigma=N_SIGMA):
    """lhs <= rhs within n_sigma combined standard errors."""
    return np.asarray(lhs) - np.asarray(rhs) <= n_sigma * combined_error(lhs_err, rhs_err)


def holds_equality(lhs, lhs_err, rhs, rhs_err, n_sigma=N_SIGMA):
    """|lhs - rhs| within n_sigma combined standard errors."""
    return np.abs(np.asarray(lhs) - np.asarray(rhs)) <= n_sigma * combined_error(lhs_err, rhs_err)


def report(bounds, experiment):
    """One line per relation: how many of its rows hold. Returns the lines."""
    return [
        f"[{experiment} bounds] {relation}: {rows['holds'].sum()}/{len(rows)} hold within {N_SIGMA:g} SE"
        for relation, rows in bounds.groupby("relation", sort=False)
    ]


def check(keys, relation, lhs, lhs_err, rhs, rhs_err, equality=False):
    """Rows of a bounds table: ``keys`` (a DataFrame naming each point), the relation, both sides
    with their errors (arrays aligned with ``keys`` or scalars) and whether it holds within
    N_SIGMA standard errors (lhs <= rhs, or lhs = rhs if ``equality``)."""
    table = keys.reset_index(drop=True).assign(relation=relation)
    for name, value in (("lhs", lhs), ("lhs_err", lhs_err), ("rhs", rhs), ("rhs_err", rhs_err)):
        table[name] = np.asarray(value, dtype=float) if np.ndim(value) else float(value)
    holds = holds_equality if equality else holds_inequality
    table["holds"] = holds(table["lhs"], table["lhs_err"], table["rhs"], table["rhs_err"])
    return table
