"""Ctrl-C during a run, then the same command: in a file of its own, so that it runs beside the
quick-run tests of test_pipeline.py (pytest-xdist gives each file to one worker)."""

import os
import re
import signal
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from test_pipeline import REPO, SNAKEMAKE, planned_jobs, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]


def test_an_interrupted_run_resumes_without_redoing_finished_jobs(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while a simulate job runs; the
    rerun keeps the finished outputs and redoes the rest.

    Deterministic: one job at a time, and the signal goes when a job without output has logged its
    first 10% of trials (compiled, 90% of its work left), after at least one job finished: Snakemake
    is then waiting for that job, and the job has not written its output."""
    settings = yaml.safe_load((REPO / "config" / "quick.yaml").read_text())
    settings["landauer"].update(tau=[8.0, 32.0, 64.0], trajectories=2000)
    config = tmp_path / "interrupt.yaml"
    config.write_text(yaml.safe_dump(settings))
    command = [*SNAKEMAKE, "--directory", str(tmp_path), "--workflow-profile", str(REPO / "profiles/default"),
               "--cores", "1", "--until", "landauer_simulate", "--configfile", str(config)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True)
    outputs = tmp_path / "results/interrupt/landauer/simulate"
    logs = tmp_path / "results/interrupt/logs/landauer/simulate"

    def next_job_is_under_way():
        done = {path.relative_to(outputs).with_suffix("") for path in outputs.rglob("*.csv")}
        running = [log for log in logs.rglob("*.log") if log.relative_to(logs).with_suffix("") not in done]
        return bool(done) and any(" 10.0% of " in log.read_text() for log in running)

    wait_for(next_job_is_under_way, run)
    os.killpg(run.pid, signal.SIGINT)
    log = run.communicate(timeout=120)[0]
    assert run.returncode != 0, log
    written = {path.relative_to(tmp_path): path.stat().st_mtime_ns for path in outputs.rglob("*.csv")}
    total = 2 * len(settings["landauer"]["tau"])
    assert 1 <= len(written) < total, log
    for path in written:  # whatever exists is complete (written to a temporary file, then renamed)
        assert len(pd.read_csv(tmp_path / path)) == settings["landauer"]["trajectories"], path
    dry = subprocess.run([*command[:-2], "-n", "--configfile", str(config)], capture_output=True, text=True)
    planned = {Path(p) for p in re.findall(r"output: (results/interrupt/landauer/simulate/\S+\.csv)", dry.stdout)}
    assert len(planned) == planned_jobs(dry)["landauer_simulate"], dry.stdout
    assert not planned & set(written) and len(planned) == total - len(written), dry.stdout
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert all((tmp_path / path).stat().st_mtime_ns == written[path] for path in written)
    assert len(list(outputs.rglob("*.csv"))) == total
