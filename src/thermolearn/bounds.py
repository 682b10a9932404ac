"""Checks of inequalities and equalities with their statistical uncertainty, and the run's verdict.

Every row of a bounds table is a test of one relation at one point: its standardized excursion
z = (lhs - rhs)/SE with the degrees of freedom of SE, and the p-value of z under the relation
(t distribution, :mod:`thermolearn.statistics`). The verdict controls the family-wise error over
all rows of a run with Holm-Bonferroni, which holds however the rows are correlated (the same
trials at successive times).
"""

import numpy as np
import pandas as pd

from thermolearn import statistics

LEVEL = 1e-3
"""Family-wise error of the verdict: a correct run reports a violated relation with probability
at most LEVEL."""

ROW_COLUMNS = ["relation", "lhs", "lhs_err", "rhs", "rhs_err", "dof", "z", "p"]
"""Columns of a bounds table after the keys naming each point."""

VERDICT_COLUMNS = ["experiment", "relation", "rows", "worst_at", "worst_z", "worst_dof", "worst_p", "holm_p",
                   "verdict"]


def relation(keys, name, lhs, lhs_err, rhs, rhs_err, dof, equality=False):
    """Rows of a bounds table: ``keys`` (a DataFrame naming each point), the relation, both sides
    with their errors (arrays aligned with ``keys`` or scalars), the degrees of freedom of the
    combined error, z and the p-value of lhs <= rhs (or lhs = rhs if ``equality``)."""
    table = keys.reset_index(drop=True).assign(relation=name)
    for name, value in (("lhs", lhs), ("lhs_err", lhs_err), ("rhs", rhs), ("rhs_err", rhs_err), ("dof", dof)):
        table[name] = np.asarray(value, dtype=float) if np.ndim(value) else float(value)
    table["z"], table["p"] = statistics.excursion(
        table["lhs"], table["lhs_err"], table["rhs"], table["rhs_err"], table["dof"], equality
    )
    return table


def verdict(tables, level=LEVEL):
    """One row per relation of the run's bounds tables ({experiment: table}): the number of rows,
    the most significant excursion (where, z, dof, p), its Holm-Bonferroni p-value adjusted over
    all rows of the run, and "violated" if that is at most ``level``, else "holds"."""
    rows = pd.concat(
        [table.assign(experiment=experiment, worst_at=points(table)) for experiment, table in tables.items()],
        ignore_index=True,
    )
    rows["holm_p"] = statistics.holm(rows["p"])
    rows["rows"] = rows.groupby(["experiment", "relation"])["p"].transform("size")
    # Smallest p first; z breaks ties where p rounds to 0 or 1. Relations stay in the tables' order.
    ordered = rows.sort_values(["p", "z"], ascending=[True, False], kind="stable")
    worst = ordered.groupby(["experiment", "relation"], sort=False).head(1).sort_index()
    worst = worst.rename(columns={"z": "worst_z", "dof": "worst_dof", "p": "worst_p"})
    worst["verdict"] = np.where(worst["holm_p"] <= level, "violated", "holds")
    return worst[VERDICT_COLUMNS].reset_index(drop=True)


def points(table):
    """Each row's point as text, "alpha=0.5, nu=0.1, t=5.0", from the key columns."""
    keys = table.columns[: table.columns.get_loc("relation")]
    return table[keys].astype(str).radd([f"{key}=" for key in keys]).agg(", ".join, axis=1)


def report(table, level=LEVEL):
    """The verdict as text: one line per relation, and the decision of the run."""
    violated = table[table["verdict"] == "violated"]
    lines = [
        f"Verdict: {len(table)} relations over {table['rows'].sum()} rows, family-wise error {level:g} "
        "(Holm-Bonferroni over all rows, t distribution with each error's degrees of freedom)",
        table.to_string(index=False, float_format=lambda x: f"{x:.3g}", formatters={"worst_dof": "{:g}".format}),
        f"{len(violated)} relation(s) violated: " + "; ".join(violated["experiment"] + ": " + violated["relation"])
        if len(violated) else "Every relation holds.",
    ]
    return "\n".join(lines)
