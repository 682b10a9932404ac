"""Ctrl-C during a run, then the same command: in a file of its own, so that it runs beside the
quick-run tests of test_pipeline.py (pytest-xdist gives each file to one worker)."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from helpers import interruptible
from test_pipeline import REPO, SNAKEMAKE, planned_jobs, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]


def landauer_simulations(tmp_path):
    """(settings, config file, command) of a run of Model A's six simulate jobs, one at a time, each long
    enough (2000 trajectories) to be caught under way."""
    settings = yaml.safe_load((REPO / "config" / "quick.yaml").read_text())
    settings["landauer"].update(tau=[8.0, 32.0, 64.0], trajectories=2000)
    config = tmp_path / "interrupt.yaml"
    config.write_text(yaml.safe_dump(settings))
    command = [*SNAKEMAKE, "--directory", str(tmp_path), "--workflow-profile", str(REPO / "profiles/default"),
               "--cores", "1", "--until", "landauer_simulate", "--configfile", str(config)]
    return settings, config, command


LONGEST = "tau~64.0"
"""The jobs the tests catch under way: the longest protocol's (8 times the shortest's work), so that 90 %
of its work is left when it has logged 10 %, whatever the machine's load. Either of its two jobs (erasure,
control) runs after another job has finished."""


def test_an_interrupted_run_resumes_without_redoing_finished_jobs(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while a simulate job runs; the
    rerun keeps the finished outputs and redoes the rest.

    Deterministic: one job at a time, and the signal goes when a job without output has logged its
    first 10% of trials (the longest protocol's: compiled, 90% of its work left), after at least one job
    finished: Snakemake
    is then waiting for that job, and the job has not written its output."""
    settings, config, command = landauer_simulations(tmp_path)
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           start_new_session=True, preexec_fn=interruptible)
    outputs = tmp_path / "results/interrupt/landauer/simulate"
    logs = tmp_path / "results/interrupt/logs/landauer/simulate"

    def next_job_is_under_way():
        done = {path.relative_to(outputs).with_suffix("") for path in outputs.rglob("*.csv")}
        running = [log for log in logs.rglob(f"*/{LONGEST}.log") if log.relative_to(logs).with_suffix("") not in done]
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


def job_processes(workdir):
    """Pids of the processes running a ``script:`` job of a run in ``workdir``."""
    jobs = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(str(workdir).encode() in arg and b"/.snakemake/scripts/" in arg for arg in argv):
            jobs.append(int(proc.name))
    return jobs


def test_no_job_outlives_a_kill_of_snakemake_alone_and_the_same_command_resumes(tmp_path):
    """SIGKILL to the Snakemake process alone (not its group) while a simulate job runs: the job ends
    with it (thermolearn.scripting.die_with_snakemake) and writes nothing afterwards; docs/usage.md's
    --unlock and the same command then finish the run. Without die_with_snakemake the job finishes
    its table after Snakemake is gone (the negative control: its process is alive after the kill)."""
    settings, _, command = landauer_simulations(tmp_path)
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    run_dir = tmp_path / "results/interrupt"
    logs, outputs = run_dir / "logs/landauer/simulate", run_dir / "landauer/simulate"

    def under_way():  # the output of the job that has logged 10% of its trials (90% of its work left)
        running = [log for log in logs.rglob(f"*/{LONGEST}.log") if " 10.0% of " in log.read_text()]
        return [path for path in (outputs / log.relative_to(logs).with_suffix(".csv") for log in running)
                if not path.exists()]

    wait_for(under_way, run)
    output = under_way()[0]
    assert job_processes(tmp_path), "a job runs"
    run.kill()  # SIGKILL to the Snakemake process alone
    assert run.wait(timeout=60) == -signal.SIGKILL
    deadline = time.monotonic() + 300
    while job_processes(tmp_path) and time.monotonic() < deadline:  # without the fix: until the job is done
        time.sleep(0.05)
    assert not output.exists(), f"a job outlived Snakemake and wrote {output}"
    unlocked = subprocess.run([*command[:-2], "--unlock", *command[-2:]], capture_output=True, text=True, timeout=300)
    assert unlocked.returncode == 0, unlocked.stderr[-3000:]
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert len(list(outputs.rglob("*.csv"))) == 2 * len(settings["landauer"]["tau"])
