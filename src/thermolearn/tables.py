"""Atomic writes, so a reader never sees a partial file under its final name; checked reads, so a
table that is not the one the config describes (a missing column, NaN, missing or extra rows) fails
naming the file; and provenance, so a table made by other params (stale) or changed after it was
written (corrupted) is never used: each table records the hash of what made it and of its content."""

import hashlib
import itertools
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

MADE = b"thermolearn.made"
"""Parquet footer key: the params hash of the job that wrote the file."""
CONTENT = b"thermolearn.content"
"""Parquet footer key: the hash of the file's table and of ``MADE``."""


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


def params_hash(params) -> str:
    """The SHA-256 of ``params`` (mappings, lists, numbers, names) as canonical JSON: keys sorted,
    every number a float, so 10 from a config and 10.0 from a path hash alike."""

    def plain(value):
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if value is None or isinstance(value, bool | str):
            return value
        raise TypeError(f"params_hash: {value!r} is not a number, name, list or mapping")

    return hashlib.sha256(json.dumps(plain(params), sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def sidecar(path) -> Path:
    """The provenance record of a CSV table: ``<path>.made``, JSON ``{"made": ..., "sha256": ...}`` (the
    params hash of the job that wrote it and the SHA-256 of its bytes), so the CSV stays plain."""
    return Path(f"{path}.made")


def file_sha256(path) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def table_hash(table: pd.DataFrame, made: str) -> str:
    """The SHA-256 of a table's columns (names, numbers as bytes, text as UTF-8) and of ``made``: what a
    Parquet file decodes to, whatever the footer's statistics or pandas' dtype names."""
    digest = hashlib.sha256(made.encode())
    for name in table.columns:
        values = table[name].to_numpy()
        data = values.tobytes() if values.dtype.kind in "biufc" else "\0".join(map(str, values)).encode()
        digest.update(f"\0{name}\0{values.dtype.str if values.dtype.kind in 'biufc' else 'text'}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def write_csv(table: pd.DataFrame, path, made=None):
    """Write a table as CSV (pandas' shortest round-trip float repr) via a temporary file; with ``made``
    (the params hash of the writing job), its provenance record ``sidecar(path)`` first."""

    def write(tmp):
        table.to_csv(tmp, index=False)
        if made is not None:
            record = json.dumps({"made": made, "sha256": file_sha256(tmp)})
            atomic_write(sidecar(path), lambda record_tmp: Path(record_tmp).write_text(record + "\n"))

    atomic_write(path, write)


def write_parquet(table: pd.DataFrame, path, made=None):
    """Write a table as Parquet via a temporary file, with page checksums; with ``made`` (the params
    hash of the writing job), it and the table's hash go into the footer's key-value metadata."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    if made is not None:
        arrow = arrow.replace_schema_metadata(arrow.schema.metadata | {MADE: made.encode(),
                                                                       CONTENT: table_hash(table, made).encode()})
    atomic_write(path, lambda tmp: pq.write_table(arrow, tmp, write_page_checksum=True))


def provenance(path):
    """(made, recorded, actual) of a table: the params hash it records, the content hash it records and
    the content hash of what it holds (all None if it records nothing); ValueError saying what is
    damaged if it cannot tell."""
    if str(path).endswith(".parquet"):
        try:
            with open(path, "rb") as file:
                if file.read(4) != b"PAR1":
                    raise ValueError("no Parquet magic at its start")
            metadata = pq.read_metadata(path).metadata or {}  # the footer's own key-value pairs
            table = pd.read_parquet(path, page_checksum_verification=True)  # as every reader reads it
        except Exception as error:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ... on damage
            raise ValueError(f"not a complete Parquet file ({type(error).__name__}: "
                             f"{' '.join(str(error).split())})") from None
        if not metadata:  # pyarrow writes the schema there: a damaged footer lost it
            raise ValueError("its footer holds no key-value metadata")
        if MADE not in metadata and CONTENT not in metadata:
            return None, None, None
        if MADE not in metadata or CONTENT not in metadata:
            raise ValueError(f"its footer holds {sorted(metadata)}, not both {MADE} and {CONTENT}")
        made = metadata[MADE].decode(errors="replace")
        return made, metadata[CONTENT].decode(errors="replace"), table_hash(table, made)
    try:
        record = json.loads(sidecar(path).read_text())
        made, recorded = record["made"], record["sha256"]
    except FileNotFoundError:
        return None, None, None
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"its record {sidecar(path)} does not parse ({error})") from None
    return made, recorded, file_sha256(path)


def recorded(path):
    """The params hash a table records (its sidecar's, its footer's), None if it records none: a cheap
    look that reads no data (``provenance`` checks the content too); ValueError if unreadable."""
    if str(path).endswith(".parquet"):
        try:
            metadata = pq.read_metadata(path).metadata or {}
        except Exception as error:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ... on damage
            raise ValueError(f"not a complete Parquet file ({type(error).__name__})") from None
        return metadata[MADE].decode(errors="replace") if MADE in metadata else None
    try:
        return json.loads(sidecar(path).read_text())["made"]
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"its record {sidecar(path)} does not parse ({error})") from None


def outdated(made):
    """The tables of ``made`` (path -> the params hash the current config gives it) that exist but
    record other params or code, or nothing, or cannot be read: (path, why). Reads only the records (the
    jobs that read a table check its content)."""
    found = []
    for path, expected in made.items():
        if not os.path.exists(path):
            continue
        try:
            made_by = recorded(path)
        except ValueError as error:
            found.append((path, f"corrupted: {error}"))
            continue
        if made_by != expected:
            found.append((path, f"stale: expected params hash {expected[:16]}, found {(made_by or 'none')[:16]}"))
    return found


def verify(path, expected, rule):
    """Fail with one line naming ``path`` unless it is the table that the params with hash ``expected``
    make: corrupted (its content is not what was written), stale (made by other params or code, or
    before tables recorded what made them), each with the command that rebuilds it (rule ``rule``)."""
    rebuild = f"rebuild it: the same snakemake command with --forcerun {rule}"
    try:
        made, recorded, actual = provenance(path)
    except ValueError as error:
        raise ValueError(f"{path}: corrupted: {error}; {rebuild}") from None
    if made is None:
        raise ValueError(f"{path}: stale: no record of what made it (expected params hash {expected[:16]}, found "
                         f"none); {rebuild}")
    if recorded != actual:
        raise ValueError(f"{path}: corrupted: content hash {actual[:16]}, recorded {recorded[:16]} when written; "
                         f"{rebuild}")
    if made != expected:
        raise ValueError(f"{path}: stale: expected params hash {expected[:16]}, found {made[:16]} (made by "
                         f"another config or code version); {rebuild}")


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
        table = pd.read_parquet(path, page_checksum_verification=True)
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
