"""Checked reads: a table that is not the one the config describes fails naming the file."""

import numpy as np
import pandas as pd
import pytest

from thermolearn import tables

TRIALS, TIMES = 20, [0.5, 2.0, 10.0]


def trials_table():
    """Every (trial, t) once, as a simulate CSV holds them."""
    index = pd.MultiIndex.from_product([range(TRIALS), TIMES], names=["trial", "t"])
    return index.to_frame(index=False).assign(errors=1)


def cut_to_half(path):
    """Keep the header and the first half of the rows, cut at a line boundary."""
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 1 + (len(lines) - 1) // 2]))


def test_a_complete_table_passes_with_config_integers_matching_table_floats(tmp_path):
    path = tmp_path / "point.csv"
    tables.write_csv(trials_table(), path)
    table = tables.read_csv(path, ["errors"], {"trial": range(TRIALS), "t": [0.5, 2, 10]})
    assert len(table) == TRIALS * len(TIMES)


def test_a_table_cut_at_a_line_boundary_fails_naming_the_file_expected_and_found(tmp_path):
    path = tmp_path / "point.csv"
    tables.write_csv(trials_table(), path)
    cut_to_half(path)
    with pytest.raises(ValueError) as error:
        tables.read_csv(path, ["errors"], {"trial": range(TRIALS), "t": TIMES})
    message = str(error.value)
    assert message.startswith(f"{path}: expected 60 rows (20 trial x 3 t), found 30; missing 30 key row(s)"), message


@pytest.mark.parametrize("change", ["a repeated row", "a row of another point"])
def test_extra_rows_fail(tmp_path, change):
    table = trials_table()
    extra = table.iloc[[0]] if change == "a repeated row" else table.iloc[[0]].assign(t=99.0)
    path = tmp_path / "point.csv"
    tables.write_csv(pd.concat([table, extra]), path)
    with pytest.raises(ValueError, match="unexpected or repeated 1 key row"):
        tables.read_csv(path, ["errors"], {"trial": range(TRIALS), "t": TIMES})


def test_points_that_are_not_a_product_are_checked_as_tuples(tmp_path):
    points = [("hebbian", 0.3, 1.0), ("hebbian", 1.0, 0.3)]
    table = pd.DataFrame(points, columns=["rule", "nu", "k"]).assign(eta=0.5)
    path = tmp_path / "summary.csv"
    tables.write_csv(table, path)
    assert len(tables.read_csv(path, ["eta"], {("rule", "nu", "k"): points})) == 2
    with pytest.raises(ValueError, match=r"missing 1 key row\(s\), first \{'rule': 'perceptron'"):
        tables.read_csv(path, ["eta"], {("rule", "nu", "k"): [*points, ("perceptron", 1.0, 1.0)]})


def test_a_table_without_keys_is_checked_by_its_number_of_rows(tmp_path):
    path = tmp_path / "force.csv"
    tables.write_csv(pd.DataFrame({"f": range(50)}), path)
    assert len(tables.read_csv(path, ["f"], {}, per=50)) == 50
    with pytest.raises(ValueError, match=f"{path}: expected 51 rows, found 50"):
        tables.read_csv(path, ["f"], {}, per=51)


def test_an_empty_csv_fails_naming_the_file(tmp_path):
    path = tmp_path / "point.csv"
    path.write_text("")
    with pytest.raises(ValueError, match=f"{path}: not a complete CSV table"):
        tables.read_csv(path, ["errors"])


@pytest.mark.parametrize("damage", ["half of the rows", "cut bytes"])
def test_a_partial_parquet_fails_naming_the_file(tmp_path, damage):
    weights_per_trial = 5
    weights = pd.DataFrame({"trial": [t for t in range(TRIALS) for _ in range(weights_per_trial)]}).assign(w0=0.1)
    path = tmp_path / "point.parquet"
    tables.write_parquet(weights, path)
    expect = {"trial": range(TRIALS)}
    assert len(tables.read_parquet(path, ["w0"], expect, per=weights_per_trial)) == TRIALS * weights_per_trial
    if damage == "half of the rows":
        tables.write_parquet(weights.iloc[: len(weights) // 2], path)
        match = rf"{path}: expected 100 rows \(20 trial x 5 each\), found 50"
    else:
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        match = f"{path}: not a complete Parquet file"
    with pytest.raises(ValueError, match=match):
        tables.read_parquet(path, ["w0"], expect, per=weights_per_trial)


def test_an_atomic_write_removes_the_temporary_file_of_a_killed_writer(tmp_path):
    path = tmp_path / "point.csv"
    stale = tmp_path / ".point.csv.tmp12345"
    stale.write_text("trial,t\n0,")
    tables.write_csv(trials_table(), path)
    assert not stale.exists() and len(pd.read_csv(path)) == TRIALS * len(TIMES)


# Malformed inputs: every one fails naming the file (issue 26).


def written(tmp_path, table=None):
    path = tmp_path / "point.csv"
    tables.write_csv(trials_table() if table is None else table, path)
    return path


def corrupt(path, old, new, count=1):
    path.write_bytes(path.read_bytes().replace(old, new, count))


@pytest.mark.parametrize("damage, message", [
    (lambda p: corrupt(p, b"\n3,", b"\nx,"), r"column 'trial' holds 'x' \(row \d+\), not a number"),
    (lambda p: corrupt(p, b",1\n", b",l\n"), r"column 'errors' holds 'l' \(row 1\), not a number"),
    (lambda p: corrupt(p, b"0.5", b"\xff.5"), r"not a UTF-8 CSV table \(byte b'\\xff' at offset"),
    (lambda p: corrupt(p, b",1\n", b",inf\n"), r"infinity in column\(s\) \['errors'\]"),
    (lambda p: corrupt(p, b",1\n", b",-inf\n"), r"infinity in column\(s\) \['errors'\]"),
    (lambda p: p.write_text(p.read_text().splitlines()[0] + "\n"), r"expected 60 rows .* found 0"),
    (lambda p: corrupt(p, b",1\n", b",\n"), r"NaN in column\(s\) \['errors'\]"),
], ids=["letter in a key", "letter in a value", "non-UTF-8 byte", "infinity", "minus infinity", "header only",
        "empty value"])
def test_a_malformed_csv_fails_naming_the_file(tmp_path, damage, message):
    path = written(tmp_path)
    assert len(tables.read_csv(path, ["errors"], {"trial": range(TRIALS), "t": TIMES})) == 60  # negative control
    damage(path)
    with pytest.raises(ValueError, match=f"^{path}: {message}"):
        tables.read_csv(path, ["errors"], {"trial": range(TRIALS), "t": TIMES})


def test_a_header_only_table_without_row_spec_fails_naming_the_file(tmp_path):
    path = written(tmp_path, pd.DataFrame({"relation": ["eta <= 1"], "z": [1.0]}))
    assert len(tables.read_csv(path, ["z"], text=["relation"])) == 1
    path.write_text("relation,z\n")
    with pytest.raises(ValueError, match=f"^{path}: no rows, only the header"):
        tables.read_csv(path, ["z"], text=["relation"])


def test_text_columns_are_those_declared_or_keyed_by_text(tmp_path):
    """Negative control of the number check: a rule's name (a text key) and a declared text column pass."""
    table = pd.DataFrame({"rule": ["hebbian", "perceptron"], "relation": ["a", "b"], "eta": [0.1, 0.2]})
    path = written(tmp_path, table)
    assert len(tables.read_csv(path, ["eta", "relation"], {"rule": ["hebbian", "perceptron"]}, text=["relation"])) == 2
    with pytest.raises(ValueError, match=f"^{path}: column 'relation' holds 'a'"):
        tables.read_csv(path, ["eta", "relation"], {"rule": ["hebbian", "perceptron"]})


def test_infinity_passes_where_it_is_allowed(tmp_path):
    path = written(tmp_path, pd.DataFrame({"z": [1.0, -np.inf]}))
    assert np.isinf(tables.read_csv(path, ["z"], finite=False)["z"]).any()
    with pytest.raises(ValueError, match="infinity"):
        tables.read_csv(path, ["z"])


def test_a_parquet_with_flipped_bytes_or_text_fails_naming_the_file(tmp_path):
    path = tmp_path / "point.parquet"
    tables.write_parquet(pd.DataFrame({"trial": range(TRIALS), "w0": ["0.1"] * TRIALS}), path)
    with pytest.raises(ValueError, match=f"^{path}: column 'w0' holds '0.1'"):
        tables.read_parquet(path, ["w0"], {"trial": range(TRIALS)})
    path.write_bytes(b"PAR1" + b"\x00" * 100 + b"PAR1")
    with pytest.raises(ValueError, match=f"^{path}: not a complete Parquet file"):
        tables.read_parquet(path, ["w0"], {"trial": range(TRIALS)})


def test_a_bounds_table_cut_to_its_header_fails_naming_the_file(tmp_path):
    from thermolearn import bounds

    row = {"relation": "eta <= 1", "lhs": 0.5, "lhs_err": 0.1, "rhs": 1.0, "rhs_err": 0.0, "dof": 9.0,
           "z": -np.inf, "p": 1.0, "note": ""}
    path = written(tmp_path, bounds.with_table_rows(pd.DataFrame([row])))
    assert len(bounds.read_table(path, bounds.ROW_COLUMNS)) == 1
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(ValueError, match=f"^{path}: no rows, only the header"):
        bounds.read_table(path, bounds.ROW_COLUMNS)
