"""Atomic writes: a reader never sees a partial file under its final name."""

import os
from pathlib import Path

import pandas as pd


def atomic_write(path, write):
    """Call write(tmp) on a temporary file beside ``path``, then rename it to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def weight_column(value):
    """Parquet column of the pooled weights at one recorded time or alpha; the exact repr of the
    value round-trips."""
    return f"w_{float(value)!r}"


def write_csv(table: pd.DataFrame, path):
    """Write a table as CSV (pandas' shortest round-trip float repr) via a temporary file."""
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False))


def write_parquet(table: pd.DataFrame, path):
    """Write a table as Parquet via a temporary file."""
    atomic_write(path, lambda tmp: table.to_parquet(tmp, index=False))


def read_tables(paths, columns):
    """The per-point tables of an experiment, checked by ``read_csv`` and joined."""
    return pd.concat([read_csv(path, columns) for path in paths], ignore_index=True)


def read_csv(path, columns):
    """Read a CSV and fail with the file's name if a column is missing or holds NaN."""
    table = pd.read_csv(path)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    bad = [c for c in columns if table[c].isna().any()]
    if bad:
        raise ValueError(f"{path}: NaN in column(s) {bad}")
    return table
