"""Atomic writes, so a reader never sees a partial file under its final name, and checked reads,
so a table that is not the one the config describes (a missing column, NaN, missing or extra
rows) fails naming the file."""

import itertools
import os
from pathlib import Path

import numpy as np
import pandas as pd


def atomic_write(path, write):
    """Call write(tmp) on a temporary file beside ``path``, then rename it to ``path``. Temporary
    files left by a killed writer of the same path are removed first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.tmp*"):
        stale.unlink(missing_ok=True)
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


def read_tables(tables, columns, expect):
    """The per-point tables of an experiment, each a path read by ``read_csv`` or a table made in this
    job, checked against its own entry of ``expect`` (one per table), joined."""
    return pd.concat([read_csv(table, columns, rows) if isinstance(table, str | os.PathLike)
                      else checked(table, f"the table of {rows}", columns, rows, 1)
                      for table, rows in zip(tables, expect, strict=True)], ignore_index=True)


def read_csv(path, columns, expect=None, per=1, text=(), finite=True, nullable=()):
    """Read a CSV and fail with the file's name if it is not UTF-8 or does not parse, or the table
    fails :func:`checked` (a column missing, not numbers, NaN but in ``nullable``, infinite, rows not
    those of ``expect``)."""
    try:
        table = pd.read_csv(path)
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not a UTF-8 CSV table (byte {error.object[error.start:error.end]!r} at offset "
                         f"{error.start})") from None
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as error:
        raise ValueError(f"{path}: not a complete CSV table ({' '.join(str(error).split())})") from None
    return checked(table, path, columns, expect, per, text, finite, nullable)


def read_parquet(path, columns, expect=None, per=1, text=(), finite=True):
    """Read a Parquet file, checked like :func:`read_csv`."""
    try:
        table = pd.read_parquet(path)
    except Exception as error:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, TypeError, ... on damage
        raise ValueError(f"{path}: not a complete Parquet file ({type(error).__name__}: "
                         f"{' '.join(str(error).split())})") from None
    return checked(table, path, columns, expect, per, text, finite)


def text_columns(expect):
    """The key columns of a row spec whose values are text (a rule's or a protocol's name)."""
    if expect is None:
        return set()
    return {name for key, values in expect.items() for value in values
            for name, item in zip(key if isinstance(key, tuple) else (key,),
                                  value if isinstance(key, tuple) else (value,))
            if isinstance(item, str)}


def checked(table, path, columns, expect, per, text=(), finite=True, nullable=()):
    """``table`` if it has every column, rows (a table without ``expect`` must not be empty: cut to its
    header), numbers in every column but the ``text`` ones and the text keys of ``expect`` (a digit
    turned into a letter makes a column text), no NaN (but in ``nullable``), no infinity (unless not
    ``finite``), and the rows ``expect`` describes; else ValueError naming ``path``."""
    columns = list(dict.fromkeys([*columns, *(key_columns(expect) if expect is not None else [])]))
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    if expect is None and table.empty:
        raise ValueError(f"{path}: no rows, only the header (a table cut short?)")
    bad = [c for c in columns if c not in nullable and table[c].isna().any()]
    if bad:
        raise ValueError(f"{path}: NaN in column(s) {bad}")
    words = set(text) | text_columns(expect)
    for c in columns:
        if c in words or table.empty or pd.api.types.is_numeric_dtype(table[c]):
            continue
        numbers = pd.to_numeric(table[c], errors="coerce")
        row = int(numbers.isna().to_numpy().argmax())
        raise ValueError(f"{path}: column {c!r} holds {table[c].iloc[row]!r} (row {row + 1}), not a number")
    if finite:
        infinite = [c for c in columns if c not in words and pd.api.types.is_float_dtype(table[c])
                    and np.isinf(table[c].to_numpy()).any()]
        if infinite:
            raise ValueError(f"{path}: infinity in column(s) {infinite} (allowed: finite numbers)")
    if expect is not None:
        check_rows(table, path, expect, per)
    return table


def key_columns(expect):
    """The key columns of a row spec: each entry is a column, or a tuple of columns."""
    return [name for key in expect for name in (key if isinstance(key, tuple) else (key,))]


def expected_keys(expect):
    """The key rows a row spec describes: the product over its entries, each a column and its
    values (``{"trial": range(200), "t": [0.5, 2.0]}``) or a tuple of columns and the tuples of
    their values (grid points that are not a product, ``{("rule", "nu", "k"): [...]}``)."""
    levels = [[value if isinstance(key, tuple) else (value,) for value in values] for key, values in expect.items()]
    return [sum(combination, ()) for combination in itertools.product(*levels)]


def check_rows(table, path, expect, per=1):
    """Fail naming the file unless ``table`` holds every key row of ``expect`` exactly ``per``
    times and nothing else (``expect = {}``: exactly ``per`` rows). Keys compare as numbers, so
    10 from the config matches 10.0 in a table."""
    names = key_columns(expect)
    keys = expected_keys(expect)
    counts = table.value_counts(names, sort=False).to_dict() if names else {(): len(table)}
    missing = [key for key in keys if counts.get(key, 0) < per]
    expected = set(keys)
    extra = [key for key, count in counts.items() if key not in expected or count > per]
    if not (missing or extra):
        return
    if not names:
        raise ValueError(f"{path}: expected {per} rows, found {len(table)}")
    sizes = " x ".join(f"{len(values)} {'/'.join(key) if isinstance(key, tuple) else key}"
                       for key, values in expect.items())
    each = f" x {per} each" if per > 1 else ""
    detail = "; ".join(f"{label} {len(rows)} key row(s), first {dict(zip(names, rows[0]))}"
                       for label, rows in (("missing", missing), ("unexpected or repeated", extra)) if rows)
    raise ValueError(f"{path}: expected {len(keys) * per} rows ({sizes}{each}), found {len(table)}; {detail}")


def point_rows(points, **within):
    """The row spec of each per-point table (``read_tables``' ``expect``): the point's own values
    and ``within`` (e.g. every time), one per point in order."""
    return [{key: [value] for key, value in point.items()} | within for point in points]


def collect(paths, points, columns, sort_by, **within):
    """One table from an experiment's per-point tables, each checked against its point (and
    ``within``), sorted by ``sort_by``."""
    table = read_tables(paths, columns, point_rows(points, **within))
    return table.sort_values(sort_by, ignore_index=True)
