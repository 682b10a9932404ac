"""Compare two runs' outputs: ``python -m thermolearn.compare RUN_A RUN_B`` (two ``results`` folders).

Every file is compared by its bytes first. A table (CSV, Parquet) whose bytes differ is compared by
its numbers, column by column, within a tolerance (``numpy.isclose``: |a - b| <= atol + rtol |b|, NaN
equal to NaN); its text columns must be equal. A PNG whose bytes differ is compared by its pixels, a PDF
by its bytes without its metadata (producer, dates) and cross-reference table, so that a difference in
metadata only is named as such. Logs and benchmarks (timings) are left out unless asked for. Exit code 0
when every file is equal, within tolerance or differs in metadata only; 1 otherwise.
"""

import argparse
import fnmatch
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

EXCLUDED = ("logs/*", "benchmarks/*")
"""What a run writes that differs from run to run by nature: job logs and Snakemake's timings."""

PDF_METADATA = re.compile(rb"/(CreationDate|ModDate|Producer|Creator) \(((?:[^()\\]|\\.)*)\)")


def files(root, excluded):
    """The files under ``root``, as paths relative to it, but those matching an ``excluded`` glob."""
    names = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    return {name for name in names if not any(fnmatch.fnmatch(name, pattern) for pattern in excluded)}


def read_table(path):
    """A CSV or Parquet table as pandas reads it."""
    return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)


def compare_tables(a, b, rtol, atol):
    """(within tolerance, one line) for two tables: their columns and rows, then every column."""
    if list(a.columns) != list(b.columns):
        only_a, only_b = sorted(set(a.columns) - set(b.columns)), sorted(set(b.columns) - set(a.columns))
        return False, f"columns differ (only in A: {only_a}, only in B: {only_b}, or their order)"
    if len(a) != len(b):
        return False, f"{len(a)} rows in A, {len(b)} in B"
    worst, text = [], []
    for column in a.columns:
        x, y = a[column], b[column]
        if pd.api.types.is_numeric_dtype(x) and pd.api.types.is_numeric_dtype(y):
            x, y = x.to_numpy(float), y.to_numpy(float)
            close = np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
            difference = np.abs(x - y)
            difference[np.isnan(x) & np.isnan(y)] = 0.0
            if difference.max(initial=0.0) > 0.0 or not close.all():
                worst.append((close.all(), column, np.nanmax(difference, initial=0.0), (~close).sum()))
        elif not x.astype(str).equals(y.astype(str)):
            text.append(column)
    if text:
        return False, f"text differs in column(s) {', '.join(text)}"
    if not worst:
        return True, "same numbers and text, written differently (e.g. number formatting)"
    beyond = [w for w in worst if not w[0]]
    details = "; ".join(f"{column}: max |A - B| = {largest:.3g}" + (f" in {count} of {len(a)} rows" if count else "")
                        for _, column, largest, count in beyond or worst)
    return not beyond, f"numbers {'beyond' if beyond else 'within'} tolerance (rtol {rtol:g}, atol {atol:g}): {details}"


def compare_png(a, b):
    """(pixels equal, one line) for two PNGs: their pixels, and the metadata keys that differ."""
    from PIL import Image

    with Image.open(a) as first, Image.open(b) as second:
        if first.size != second.size or not np.array_equal(np.asarray(first), np.asarray(second)):
            return False, f"pixels differ ({first.size[0]}x{first.size[1]} vs {second.size[0]}x{second.size[1]})"
        keys = sorted(key for key in set(first.info) | set(second.info) if first.info.get(key) != second.info.get(key))
    return True, f"metadata only ({', '.join(keys) or 'encoding'}); pixels equal"


def compare_pdf(a, b):
    """(content equal, one line) for two PDFs: their bytes without the metadata values and the
    cross-reference table (whose offsets move with the metadata's length)."""
    def content(data):
        return PDF_METADATA.sub(rb"/\1 ()", data.split(b"\nxref\n")[0])

    data_a, data_b = a.read_bytes(), b.read_bytes()
    if content(data_a) != content(data_b):
        return False, "content differs"
    changed = set(PDF_METADATA.findall(data_a)) ^ set(PDF_METADATA.findall(data_b))
    keys = sorted({key.decode() for key, _ in changed})
    return True, f"metadata only ({', '.join(keys) or 'cross-references'})"


def compare_file(a, b, rtol, atol):
    """(acceptable, one line) for two files whose bytes differ."""
    if a.suffix in (".csv", ".parquet"):
        try:
            tables = read_table(a), read_table(b)
        except (ValueError, OSError, pd.errors.ParserError) as error:
            return False, f"bytes differ, and a table cannot be read ({type(error).__name__})"
        return compare_tables(*tables, rtol, atol)
    if a.suffix == ".png":
        return compare_png(a, b)
    if a.suffix == ".pdf":
        return compare_pdf(a, b)
    return False, "bytes differ"


def compare(run_a, run_b, rtol=1e-12, atol=1e-15, excluded=EXCLUDED):
    """(every file acceptable, one line per file that is not byte-identical, and a count line)."""
    run_a, run_b = Path(run_a), Path(run_b)
    names_a, names_b = files(run_a, excluded), files(run_b, excluded)
    lines, ok, counts = [], True, dict.fromkeys(("identical", "within tolerance", "different", "missing"), 0)
    for name in sorted(names_a | names_b):
        if name not in names_a or name not in names_b:
            lines.append(f"{name}: only in {'A' if name in names_a else 'B'}")
            ok, counts["missing"] = False, counts["missing"] + 1
            continue
        a, b = run_a / name, run_b / name
        if a.read_bytes() == b.read_bytes():
            counts["identical"] += 1
            continue
        acceptable, line = compare_file(a, b, rtol, atol)
        lines.append(f"{name}: {line}")
        ok &= acceptable
        counts["within tolerance" if acceptable else "different"] += 1
    summary = ", ".join(f"{count} {what}" for what, count in counts.items())
    left_out = f" (left out: {', '.join(excluded)})" if excluded else ""
    lines.append(f"{len(names_a | names_b)} files: {summary}{left_out}")
    return ok, lines


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m thermolearn.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("run_a", type=Path, help="a run's results folder (e.g. results)")
    parser.add_argument("run_b", type=Path, help="the other run's results folder")
    parser.add_argument("--rtol", type=float, default=1e-12, help="relative tolerance of numbers (default 1e-12)")
    parser.add_argument("--atol", type=float, default=1e-15, help="absolute tolerance of numbers (default 1e-15)")
    parser.add_argument("--exclude", action="append", metavar="GLOB",
                        help=f"leave out files matching GLOB (repeatable; default: {' '.join(EXCLUDED)})")
    parser.add_argument("--all", action="store_true", help="compare every file, logs and benchmarks too")
    args = parser.parse_args(argv)
    for run in (args.run_a, args.run_b):
        if not run.is_dir():
            parser.error(f"{run}: not a folder")
    excluded = () if args.all else tuple(args.exclude or EXCLUDED)
    ok, lines = compare(args.run_a, args.run_b, args.rtol, args.atol, excluded)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
