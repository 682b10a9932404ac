"""``python -m thermolearn.compare``: two runs' outputs, bytes first, then numbers within tolerance."""

import shutil
import subprocess
import sys

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after the backend

from thermolearn.compare import compare, main  # noqa: E402


def figure(path, metadata=None, y=(0.0, 1.0)):
    """A 200 x 200 pixel figure in matplotlib's default style (whatever style other tests of this process set)."""
    with plt.style.context("default"):
        fig, ax = plt.subplots(figsize=(2, 2))
        ax.plot([0.0, 1.0], list(y))
        fig.savefig(path, metadata=metadata, dpi=100)
        plt.close(fig)


@pytest.fixture
def runs(tmp_path):
    """Two identical runs: a table, a PNG, a PDF and a log that differs (as logs do)."""
    a = tmp_path / "a"
    (a / "tables").mkdir(parents=True)
    (a / "figures").mkdir()
    (a / "logs").mkdir()
    table = pd.DataFrame({"rule": ["hebbian", "perceptron"], "nu": [0.5, 1.0], "eta": [0.25, np.nan],
                          "eta_err": [0.01, 0.02]})
    table.to_csv(a / "tables/summary.csv", index=False)
    figure(a / "figures/eta.png", {"Software": "matplotlib 3.11.2"})
    figure(a / "figures/eta.pdf", {"Producer": "Matplotlib pdf backend 3.11.2", "CreationDate": None})
    (a / "logs/job.log").write_text("took 1.0 s\n")
    b = tmp_path / "b"
    shutil.copytree(a, b)
    (b / "logs/job.log").write_text("took 2.0 s\n")
    return a, b, table


def test_identical_runs_are_equal(runs):
    a, b, _ = runs
    ok, lines = compare(a, b)
    assert ok and lines == ["3 files: 3 identical, 0 within tolerance, 0 different, 0 missing "
                            "(left out: logs/*, benchmarks/*)"]
    assert main([str(a), str(b)]) == 0


def test_the_logs_differ_when_asked_for(runs):
    a, b, _ = runs
    ok, lines = compare(a, b, excluded=())
    assert not ok and "logs/job.log: bytes differ" in lines


def test_a_changed_number_is_named_with_its_column_and_difference(runs):
    a, b, table = runs
    table.loc[0, "eta"] = 0.2500001
    table.to_csv(b / "tables/summary.csv", index=False)
    ok, lines = compare(a, b)
    assert not ok
    assert lines[0] == ("tables/summary.csv: numbers beyond tolerance (rtol 1e-12, atol 1e-15): "
                        "eta: max |A - B| = 1e-07 in 1 of 2 rows")
    assert lines[-1].startswith("3 files: 2 identical, 0 within tolerance, 1 different")
    ok, lines = compare(a, b, rtol=1e-6)
    assert ok and lines[0].startswith("tables/summary.csv: numbers within tolerance (rtol 1e-06, atol 1e-15): eta")


def test_a_changed_text_or_shape_is_a_difference(runs):
    a, b, table = runs
    table.assign(rule=["hebbian", "adatron"]).to_csv(b / "tables/summary.csv", index=False)
    assert compare(a, b)[1][0] == "tables/summary.csv: text differs in column(s) rule"
    table.iloc[:1].to_csv(b / "tables/summary.csv", index=False)
    assert compare(a, b)[1][0] == "tables/summary.csv: 2 rows in A, 1 in B"
    table.drop(columns="eta_err").to_csv(b / "tables/summary.csv", index=False)
    assert compare(a, b)[1][0].startswith("tables/summary.csv: columns differ (only in A: ['eta_err']")


def test_a_missing_file_is_a_difference(runs):
    a, b, _ = runs
    (b / "figures/eta.pdf").unlink()
    ok, lines = compare(a, b)
    assert not ok and lines[0] == "figures/eta.pdf: only in A"


def test_figures_that_differ_in_metadata_only_are_named_so(runs):
    a, b, _ = runs
    figure(b / "figures/eta.png", {"Software": "matplotlib 3.12.0"})
    figure(b / "figures/eta.pdf", {"Producer": "Matplotlib pdf backend 3.12.10", "CreationDate": None})
    ok, lines = compare(a, b)
    assert ok and lines[:2] == ["figures/eta.pdf: metadata only (Producer)",
                                "figures/eta.png: metadata only (Software); pixels equal"]


def test_figures_that_differ_in_content_are_a_difference(runs):
    a, b, _ = runs
    for suffix in ("png", "pdf"):
        figure(b / f"figures/eta.{suffix}", {"Software": "matplotlib 3.11.2"} if suffix == "png" else
               {"Producer": "Matplotlib pdf backend 3.11.2", "CreationDate": None}, y=(0.0, 2.0))
    ok, lines = compare(a, b)
    assert not ok and lines[:2] == ["figures/eta.pdf: content differs", "figures/eta.png: pixels differ (200x200 vs "
                                                                        "200x200)"]


def test_the_command_exits_1_on_a_difference_and_refuses_a_missing_folder(runs, tmp_path):
    a, b, _ = runs
    (b / "tables/summary.csv").write_text("rule,nu\n")
    result = subprocess.run([sys.executable, "-m", "thermolearn.compare", str(a), str(b)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1 and result.stdout.startswith("tables/summary.csv: columns differ")
    result = subprocess.run([sys.executable, "-m", "thermolearn.compare", str(a), str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "none: not a folder" in result.stderr
