"""Checks of inequalities and equalities with their statistical uncertainty, and the run's verdict.

Every row of a bounds table is a test of one relation at one point: its standardized excursion
z = (lhs - rhs)/SE with the degrees of freedom of SE, and the p-value of z under the relation
(t distribution, :mod:`thermolearn.statistics`). The verdict controls the family-wise error over
all rows of a run with Holm-Bonferroni, which holds however the rows are correlated (the same
trials at successive times).

A row whose estimate leaves the relation's domain (a negative rate under a square root, a ratio of a
quantity consistent with zero) or is NaN is not a test: it carries the reason in ``note``, NaN z and p,
and stays out of the Holm family; the verdict counts it (``untested_rows``) and names the reason, and a
relation with no tested row is "untested", never "holds".
"""

from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from thermolearn import statistics, tables

LEVEL = 1e-3
"""Family-wise error of the verdict: a correct run reports a violated relation with probability
at most LEVEL."""

ROW_COLUMNS = ["relation", "lhs", "lhs_err", "rhs", "rhs_err", "dof", "z", "p", "note", "table_rows"]
"""Columns of a bounds table after the keys naming each point; ``note`` is empty for a tested row and the
reason for an untested one; ``table_rows``, the number of rows the table was written with, lets a reader
tell a table cut short (:func:`read_table`)."""

VERDICT_COLUMNS = ["experiment", "relation", "rows", "worst_at", "worst_z", "worst_dof", "worst_p", "holm_p",
                   "verdict", "untested_rows", "note"]

NULLABLE = ["lhs", "lhs_err", "rhs", "rhs_err", "dof", "z", "p", "note", "worst_at", "worst_z", "worst_dof",
            "worst_p", "holm_p"]
"""Columns of a bounds or verdict table that may be empty: an untested row's (its NaN side, z and p, a tested
row's empty note) and an untested relation's."""

NAN_REASON = "NaN estimate"
"""The note of a row with a NaN side, error or dof that its relation gave no reason for."""

RATIO_MIN_SIGNIFICANCE = 3.0
"""A ratio (an efficiency eta) is tested only where its denominator is at least this many standard errors above
0: a ratio over a denominator consistent with zero, and its jackknife error, have no t approximation (a correct
Model C run gave eta = 19.9 +- 3.1 at 9 dof, p = 9e-5; docs/statistics.md)."""


def denominator_untested(name: str, value: ArrayLike, err: ArrayLike) -> np.ndarray:
    """Per row, the reason a ratio over ``name`` = value +- err is no test ("" where it is one): the
    denominator is not RATIO_MIN_SIGNIFICANCE standard errors above 0."""
    value, err = np.asarray(value, dtype=float), np.asarray(err, dtype=float)
    reasons = [f"{name} = {v:.3g} +- {e:.2g} is not {RATIO_MIN_SIGNIFICANCE:g} SE above 0: no t test of a ratio over it"
               for v, e in zip(value, err)]
    return np.where(value > RATIO_MIN_SIGNIFICANCE * err, "", np.asarray(reasons, dtype=object))


def relation(keys: pd.DataFrame, name: str, lhs: ArrayLike, lhs_err: ArrayLike, rhs: ArrayLike, rhs_err: ArrayLike,
             dof: ArrayLike, equality: bool = False, untested: ArrayLike | None = None) -> pd.DataFrame:
    """Rows of a bounds table: ``keys`` (a DataFrame naming each point), the relation, both sides
    with their errors (arrays aligned with ``keys`` or scalars), the degrees of freedom of the
    combined error, z and the p-value of lhs <= rhs (or lhs = rhs if ``equality``). ``untested`` gives
    per row the reason it is no test ("" where it is one); a row with a NaN is untested too
    (NAN_REASON unless a reason is given). An untested row has NaN z and p and its reason in ``note``."""
    table = keys.reset_index(drop=True).assign(relation=name)
    for column, value in (("lhs", lhs), ("lhs_err", lhs_err), ("rhs", rhs), ("rhs_err", rhs_err), ("dof", dof)):
        table[column] = np.asarray(value, dtype=float) if np.ndim(value) else float(value)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["z"], table["p"] = statistics.excursion(
            table["lhs"], table["lhs_err"], table["rhs"], table["rhs_err"], table["dof"], equality
        )
    note = np.full(len(table), "", dtype=object)
    if untested is not None:
        note[:] = np.broadcast_to(np.asarray(untested, dtype=object), len(table))
    missing = table[["lhs", "lhs_err", "rhs", "rhs_err", "dof", "z", "p"]].isna().any(axis=1).to_numpy()
    note[missing & (note == "")] = NAN_REASON
    table["note"] = note
    table.loc[note != "", ["z", "p"]] = np.nan
    return table


def with_table_rows(table: pd.DataFrame) -> pd.DataFrame:
    """A bounds table as written: every row carries the table's row count."""
    return table.assign(table_rows=len(table))


TEXT_COLUMNS = ("relation", "experiment", "worst_at", "verdict", "note")
"""The columns of bounds and verdict tables that hold text; every other column read is a number."""


def read_table(path: str | Path, columns: list[str]) -> pd.DataFrame:
    """Read a bounds or verdict table and fail naming the file if rows are missing (fewer than it was
    written with, or none: a table is written with a row per relation and point), or a column is not
    what it holds (text in TEXT_COLUMNS, numbers elsewhere). z is infinite where both sides are exact."""
    table = tables.read_csv(path, columns, text=TEXT_COLUMNS, finite=False, nullable=NULLABLE)
    if (table["table_rows"] != len(table)).any():
        raise ValueError(f"{path}: expected {table['table_rows'].iloc[0]} rows (as written), found {len(table)}")
    return table


def verdict(bound_tables: dict[str, pd.DataFrame], relations: dict[str, list[str]] | None = None,
            level: float = LEVEL) -> pd.DataFrame:
    """One row per relation of ``relations`` ({experiment: [relation, ...]}; by default those in the
    tables), from the run's ``bound_tables`` ({experiment: table}): the number of rows, the most significant
    excursion (where, z, dof, p), its Holm-Bonferroni p-value adjusted over all tested rows of the run, and
    "violated" if that is at most ``level``, else "holds"; "untested" for a relation no row tests. Rows
    with a ``note`` (or a NaN p) are no tests: they are counted in ``untested_rows`` and their reasons
    named in ``note``, never "holds"."""
    if relations is None:
        relations = {experiment: list(dict.fromkeys(table["relation"])) for experiment, table in bound_tables.items()}
    for experiment, table in bound_tables.items():
        unknown = set(table["relation"]) - set(relations[experiment])
        if unknown:
            raise ValueError(f"{experiment} bounds: relation(s) {sorted(unknown)} not in its RELATIONS")
    every_row = pd.concat(
        [table.assign(experiment=experiment, worst_at=points(table)) for experiment, table in bound_tables.items()],
        ignore_index=True,
    )
    if "note" not in every_row:
        every_row["note"] = ""
    every_row["note"] = every_row["note"].fillna("").astype(str)
    every_row.loc[every_row["p"].isna() & (every_row["note"] == ""), "note"] = NAN_REASON
    skipped = every_row[every_row["note"] != ""]
    notes = skipped.groupby(["experiment", "relation"], sort=False).agg(
        untested_rows=("note", "size"),
        note=("note", untested_reasons),
    ).reset_index()
    rows = every_row[every_row["note"] == ""].drop(columns="note").reset_index(drop=True)
    rows["holm_p"] = statistics.holm(rows["p"])
    rows["rows"] = rows.groupby(["experiment", "relation"])["p"].transform("size")
    # Smallest p first; z breaks ties where p rounds to 0 or 1. Relations stay in the tables' order.
    ordered = rows.sort_values(["p", "z"], ascending=[True, False], kind="stable")
    worst = ordered.groupby(["experiment", "relation"], sort=False).head(1).sort_index()
    worst = worst.rename(columns={"z": "worst_z", "dof": "worst_dof", "p": "worst_p"})
    worst["verdict"] = np.where(worst["holm_p"] <= level, "violated", "holds")
    every = pd.DataFrame(
        [(experiment, relation) for experiment, names in relations.items() for relation in names],
        columns=["experiment", "relation"],
    )
    table = every.merge(worst, on=["experiment", "relation"], how="left", validate="one_to_one")
    table = table.merge(notes, on=["experiment", "relation"], how="left", validate="one_to_one")
    table["untested_rows"] = table["untested_rows"].fillna(0).astype(int)
    table["note"] = table["note"].fillna("")
    table["rows"] = table["rows"].fillna(0).astype(int)
    table["verdict"] = table["verdict"].fillna("untested")
    table["worst_at"] = table["worst_at"].fillna("")
    return table[VERDICT_COLUMNS]


NOTE_REASONS = 3
"""The verdict names this many of a relation's distinct reasons for untested rows; the bounds table has each row's."""


def untested_reasons(reasons: pd.Series) -> str:
    """"2 untested: <reason>; ..." for the first NOTE_REASONS distinct reasons, then how many rows the rest cover
    (a reason that quotes its row's values is distinct on every row)."""
    counts = reasons.value_counts(sort=False)
    named = [f"{count} untested: {reason}" for reason, count in counts.iloc[:NOTE_REASONS].items()]
    rest = counts.iloc[NOTE_REASONS:].sum()
    return "; ".join(named + ([f"{rest} more untested, each row's reason in its bounds table"] if rest else []))


def points(table: pd.DataFrame) -> pd.Series:
    """Each row's point as text, "alpha=0.5, nu=0.1, t=5.0", from the key columns."""
    keys = table.columns[: table.columns.get_loc("relation")]
    return table[keys].astype(str).radd([f"{key}=" for key in keys]).agg(", ".join, axis=1)


def report(table: pd.DataFrame, level: float = LEVEL) -> str:
    """The verdict as text: one line per relation, and the decision of the run."""
    violated = table[table["verdict"] == "violated"]
    untested = table[table["verdict"] == "untested"]
    lines = [
        f"Verdict: {len(table)} relations over {table['rows'].sum()} rows, family-wise error {level:g} "
        "(Holm-Bonferroni over all rows, t distribution with each error's degrees of freedom)",
        table.drop(columns=["note"], errors="ignore").to_string(
            index=False, float_format=lambda x: f"{x:.3g}", formatters={"worst_dof": "{:g}".format}),
        f"{len(violated)} relation(s) violated: " + "; ".join(violated["experiment"] + ": " + violated["relation"])
        if len(violated) else "Every relation holds.",
    ]
    if len(untested):
        lines.insert(-1, f"{len(untested)} relation(s) untested (no point of this config where they apply or can be "
                     "tested): " + "; ".join(untested["experiment"] + ": " + untested["relation"]))
    if "note" in table and (table["note"].fillna("") != "").any():
        noted = table[table["note"].fillna("") != ""]
        lines.insert(-1, "Rows not tested, with the reason: " + "; ".join(
            noted["experiment"] + ": " + noted["relation"] + " (" + noted["note"] + ")"))
    return "\n".join(lines)
