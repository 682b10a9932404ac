"""The whole workflow on config/quick.yaml in a temporary directory (snakemake --directory)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from thermolearn import batch

pytestmark = pytest.mark.pipeline

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile")]

EXPERIMENTS = ("batch", "landauer", "online", "tur", "inference")
FIGURES = (
    "batch_eta", "batch_bound", "batch_fluctuation", "landauer_work", "online_eta_nu", "online_eta_k",
    "online_dynamics", "tur_ratio", "tur_tradeoff", "inference_energy",
)
OUTPUTS = [
    *[f"results/tables/{experiment}_summary.csv" for experiment in EXPERIMENTS],
    *[f"results/bounds/{experiment}.csv" for experiment in EXPERIMENTS],
    *[f"results/figures/{f}.{ext}" for f in FIGURES for ext in ("pdf", "png")],
]


def snakemake(workdir, *args, configfile=None):
    command = [*SNAKEMAKE, "--directory", str(workdir), "--cores", "2", *args]
    if configfile is not None:  # last: --configfile takes every argument after it
        command += ["--configfile", str(configfile)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def planned_jobs(result):
    """Rule -> count from the 'Job stats' table of a dry run."""
    jobs, in_table = {}, False
    for line in (result.stdout + result.stderr).splitlines():
        parts = line.split()
        if parts[:2] == ["job", "count"]:
            in_table = True
        elif in_table and len(parts) == 2 and parts[1].isdigit():
            if parts[0] != "total":
                jobs[parts[0]] = int(parts[1])
        elif in_table and not set(line) <= {"-", " "}:
            in_table = False
    return jobs


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("quick")
    config = workdir / "quick.yaml"
    shutil.copy(REPO / "config" / "quick.yaml", config)
    result = snakemake(workdir, configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir, config


def test_quick_config_produces_every_output(quick_run):
    workdir, _ = quick_run
    for output in OUTPUTS:
        assert (workdir / output).stat().st_size > 0, output


def test_summary_has_value_error_and_theory_columns(quick_run):
    summary = pd.read_csv(quick_run[0] / "results/tables/batch_summary.csv")
    for quantity in ["eta", "heat", "entropy_change", "eps"]:
        for suffix in ["", "_err", "_theory"]:
            assert f"{quantity}{suffix}" in summary.columns
    assert set(batch.SUMMARY_COLUMNS) <= set(summary.columns)
    assert not summary[batch.SUMMARY_COLUMNS].isna().any().any()


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_bounds_hold_on_the_quick_config(quick_run, experiment):
    bounds = pd.read_csv(quick_run[0] / f"results/bounds/{experiment}.csv")
    assert list(bounds.columns[-5:]) == ["lhs", "lhs_err", "rhs", "rhs_err", "holds"]
    assert bounds["holds"].all(), bounds[~bounds["holds"]]


def test_a_deleted_figure_is_rebuilt_alone(quick_run):
    workdir, config = quick_run
    (workdir / "results/figures/batch_eta.pdf").unlink()
    dry = snakemake(workdir, "-n", "results/figures/batch_eta.pdf", configfile=config)
    assert planned_jobs(dry) == {"batch_eta_figure": 1}, dry.stdout
    rebuilt = snakemake(workdir, "results/figures/batch_eta.pdf", configfile=config)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]


def test_a_new_grid_value_runs_only_the_new_points(quick_run):
    workdir, config = quick_run
    settings = yaml.safe_load(config.read_text())
    settings["batch"]["nu"].append(3.0)
    variant = workdir / "variant.yaml"
    variant.write_text(yaml.safe_dump(settings))
    jobs = planned_jobs(snakemake(workdir, "-n", configfile=variant))
    n_alpha = len(settings["batch"]["alpha"])
    for rule in ("batch_simulate", "batch_estimate", "batch_information"):
        assert jobs[rule] == n_alpha, jobs
    assert jobs["batch_summary"] == 1
