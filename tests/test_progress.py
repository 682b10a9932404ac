"""Long simulate jobs log their progress, running in chunks changes no number; a run's terminal shows
progress lines, the log file the banners."""

import logging
import re
import time
from types import SimpleNamespace

import numpy as np
import pytest
from snakemake_interface_logger_plugins.common import LogEvent

import snakemake_logger_plugin_thermolearn as plugin
from thermolearn.experiments import landauer
from thermolearn.progress import in_chunks


def test_chunks_join_to_one_call_and_log_fraction_elapsed_and_rate(caplog):
    seeds = np.arange(23, dtype=np.uint32)
    with caplog.at_level(logging.INFO, logger="thermolearn.progress"):
        joined = in_chunks(lambda s: (s * 2, s[:, None] + np.zeros((1, 3))), seeds, chunks=4)
    assert np.array_equal(joined[0], seeds * 2) and joined[1].shape == (23, 3)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 4 and lines[-1].startswith("100.0% of 23 trials")
    assert all("s elapsed" in line and "trials/s" in line for line in lines)
    elapsed = [float(line.split(", ")[1].split(" s elapsed")[0]) for line in lines]
    assert 0.0 <= elapsed[-1] < 60.0, lines  # seconds since the start, not since the epoch


def test_a_simulate_job_logs_progress(caplog):
    with caplog.at_level(logging.INFO, logger="thermolearn.progress"):
        landauer.simulate(protocol="control", tau=0.5, dt=1e-3, E0=10.0, T=1.0, b_min=0.05, a_max=0.5, trajectories=40,
                          seed=1, key="progress")
    assert sum("% of 40 trials" in r.getMessage() for r in caplog.records) == 10


# The terminal's progress lines (snakemake_logger_plugin_thermolearn, `logger: thermolearn` in the profile).

@pytest.fixture
def handler():
    """New handlers, as Snakemake makes them, closed after the test (their heartbeat threads end)."""
    made = []

    def make(dryrun=False):
        settings = SimpleNamespace(quiet=set(), show_failed_logs=True, debug_dag=False, verbose=False, dryrun=dryrun,
                                   printshellcmds=False, stdout=dryrun)  # Snakemake prints a dry run to stdout
        made.append(plugin.LogHandler(settings, None))
        return made[-1]

    yield make
    for terminal in made:
        terminal.close()


def record(message, level=logging.INFO, **extra):
    event = logging.LogRecord("snakemake", level, __file__, 1, message, None, None)
    event.__dict__.update(extra)
    return event


def banner(jobid, rule):
    return record(f" Rule: {rule}, Jobid: {jobid}", event=LogEvent.JOB_INFO, jobid=jobid, rule_name=rule,
                  rule_msg=None, local=True, input=[], output=[f"{rule}.csv"], log=[], benchmark=None,
                  wildcards={}, reason="Missing output files", shellcmd=None, priority=0, threads=1,
                  resources={}, indent=False, is_checkpoint=False, is_handover=False)


def test_the_terminal_shows_progress_not_banners_and_a_dry_run_its_plan(capsys, handler):
    terminal = handler()
    terminal.handle(record("stats", event=LogEvent.RUN_INFO, stats={"batch_simulate": 2, "verdict": 1, "total": 3}))
    terminal.handle(banner(1, "batch_simulate"))
    terminal.handle(banner(2, "verdict"))
    terminal.handle(record("Select jobs to execute..."))
    terminal.handle(record("", event=LogEvent.JOB_FINISHED, job_id=2))
    terminal.handle(record("", event=LogEvent.PROGRESS, done=1, total=3))
    terminal.handle(record("Error in rule batch_simulate", level=logging.ERROR))
    terminal.handle(record("Complete log(s): .snakemake/log/x.log"))
    terminal.handle(record("Building DAG of jobs..."))
    lines = capsys.readouterr().err.splitlines()
    assert re.fullmatch(r"1/3 jobs \(33%\) in 0:00:0\d; longest running: batch_simulate \(\d s\)", lines[0]), lines
    assert lines[1:] == ["Error in rule batch_simulate", "Complete log(s): .snakemake/log/x.log"]
    handler(dryrun=True).handle(banner(1, "batch_simulate"))  # negative control: a dry run shows every job
    assert "rule batch_simulate:" in capsys.readouterr().out


def test_a_long_job_gets_a_progress_line_a_heartbeat_later(capsys, monkeypatch, handler):
    monkeypatch.setattr(plugin, "HEARTBEAT", 0.2)
    terminal = handler()
    terminal.handle(banner(1, "landauer_simulate"))
    deadline = time.monotonic() + 10
    while "longest running: landauer_simulate" not in (seen := capsys.readouterr().err) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert seen.startswith("0/? jobs in 0:00:0"), seen


def test_the_heartbeat_stops_when_the_job_fails_or_the_handler_closes(capsys, monkeypatch, handler):
    """An in-process run's handler must not print stale progress lines after the run (negative control: an
    open handler with a running job does)."""
    monkeypatch.setattr(plugin, "HEARTBEAT", 0.1)
    failed, closed, running = handler(), handler(), handler()
    for terminal, jobid in [(failed, 1), (closed, 2), (running, 3)]:
        terminal.handle(banner(jobid, f"job{jobid}_simulate"))
    failed.handle(record("Error in rule job1_simulate", level=logging.ERROR, event=LogEvent.JOB_ERROR, jobid=1,
                         rule_name="job1_simulate", rule_msg=None, input=[], output=[], log=[], conda_env=None,
                         container_img=None, aux={}, indent=False, shellcmd=None))
    closed.close()
    capsys.readouterr()
    time.sleep(0.5)
    beats = capsys.readouterr().err
    assert "job1_simulate (" not in beats and "job2_simulate" not in beats, beats
    assert "longest running: job3_simulate" in beats, beats
