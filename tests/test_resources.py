"""The jobs' memory and runtime requests (thermolearn.resources) against what a job really holds and takes."""

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from thermolearn import bench, resources

REPO = Path(__file__).resolve().parents[1]
QUICK = bench.load_config(REPO / "config" / "quick.yaml")


def test_every_experiment_has_its_measured_rate_and_baselines():
    for name in bench.REGISTRY:
        assert {key: resources.measured(name, key) > 0 for key in resources.MEASURED} == dict.fromkeys(
            resources.MEASURED, True
        )


def test_a_retry_asks_for_twice_the_memory_and_runtime():
    for name in bench.REGISTRY:
        point = resources.largest(QUICK, name, resources.simulate_work)
        mem = [resources.job_mem_mb(QUICK, name, point, attempt) for attempt in (1, 2)]
        runtime = [resources.simulate_runtime_min(QUICK, name, point, attempt) for attempt in (1, 2)]
        assert mem[1] == 2 * mem[0] and runtime[1] == 2 * runtime[0], name
        assert resources.experiment_mem_mb(QUICK, name, 2) > resources.experiment_mem_mb(QUICK, name), name


def test_the_memory_request_counts_the_baseline_and_the_data_with_margin():
    name = "batch"
    point = resources.largest(QUICK, name, resources.job_bytes)
    need = resources.measured(name, "base_mb") + resources.job_bytes(QUICK, name, point) / 2**20
    assert resources.job_mem_mb(QUICK, name, point) == pytest.approx(resources.MEMORY_MARGIN * need, abs=1)


def tree_peak(process, interval=0.05):
    """Peak summed resident memory (MB) of ``process`` and its descendants, sampled until it ends."""
    root, peak = psutil.Process(process.pid), 0.0
    while process.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            peak = max(peak, sum(member.memory_info().rss for member in members) / 2**20)
        except psutil.NoSuchProcess:
            pass
        time.sleep(interval)
    return peak


@pytest.mark.slow
@pytest.mark.parametrize("name", ["batch", "landauer"])
def test_local_simulate_jobs_stay_within_their_requests(name, tmp_path):
    """An experiment's quick simulate jobs run one at a time by Snakemake: the process tree's peak memory
    (Snakemake and one script; a cluster step holds one more Snakemake process) stays within the largest
    job's memory request, and the run's wall time within the sum of the jobs' runtime requests."""
    points = bench.REGISTRY[name].points(QUICK)
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
                                "--directory", str(tmp_path), "--cores", "1", "--until", f"{name}_simulate",
                                "--configfile", str(REPO / "config" / "quick.yaml")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = tree_peak(process)
    assert process.wait() == 0
    seconds = time.monotonic() - start
    assert len(list((tmp_path / "results/quick" / name / "simulate").rglob("*.csv"))) >= len(points)
    assert peak <= resources.experiment_mem_mb(QUICK, name)
    assert seconds <= 60 * sum(resources.simulate_runtime_min(QUICK, name, point) for point in points)
