"""The warm worker (thermolearn.warm): a script that calls delegate() runs in a fork of the worker
with its job's streams, directory, environment and exit code; without a worker it runs in its own
process; a copy never outlives its job, and the worker never outlives its parent."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from thermolearn import warm

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the worker runs on Linux only")

PROBE = """
import os, signal, sys, time
from thermolearn.warm import delegate

class Job:
    rule = "probe"

delegate(Job())
from thermolearn import warm

action = os.environ["PROBE"]
if action == "raise":
    raise ValueError("probe failed")
if action == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
if action == "sleep":
    open("copy.pid", "w").write(str(os.getpid()))
    time.sleep(60)
print(warm.copy, os.getppid(), os.getcwd(), flush=True)
sys.exit(int(action))
"""


@pytest.fixture(scope="module")
def worker():
    warm.start(jobs=warm.FEWEST_JOBS)
    assert warm._worker is not None, "the worker did not start"
    yield warm._worker
    warm.stop()
    assert warm.ADDRESS not in os.environ


def environment(**variables):
    """This process's environment (with the worker's address if one runs) and this package's path."""
    return os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)} | variables


def probe(tmp_path, action, **variables):
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    return subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=environment(PROBE=action, **variables),
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def gone(pid):
    """The process has ended (a zombie waiting for a parent that does not reap counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_script_runs_in_a_copy_of_the_worker_with_its_jobs_directory_streams_and_exit_code(worker, tmp_path):
    job = probe(tmp_path, "3")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 3, err
    assert out.split() == ["True", str(worker.pid), str(tmp_path)]


def test_without_a_worker_the_script_runs_in_its_own_process(worker, tmp_path):
    job = probe(tmp_path, "0", **{warm.ADDRESS: ""})
    out, err = job.communicate(timeout=60)
    assert job.returncode == 0, err
    assert out.split() == ["False", str(os.getpid()), str(tmp_path)]


def test_an_exception_fails_the_job_with_its_traceback(worker, tmp_path):
    job = probe(tmp_path, "raise")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 1 and "ValueError: probe failed" in err, err


def test_a_copy_killed_by_a_signal_fails_its_job(worker, tmp_path):
    job = probe(tmp_path, "kill")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 1 and "ended without an exit status" in err, err


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_copy_ends_with_its_job(worker, tmp_path, how):
    job = probe(tmp_path, "sleep")
    wait_until(lambda: (tmp_path / "copy.pid").exists() and (tmp_path / "copy.pid").read_text())
    copy = int((tmp_path / "copy.pid").read_text())
    assert copy != job.pid and not gone(copy)
    job.send_signal(how)
    job.wait(timeout=60)
    wait_until(lambda: gone(copy))


def test_a_run_of_too_few_jobs_starts_no_worker():
    started = subprocess.run(
        [sys.executable, "-c", "import os; from thermolearn import warm; warm.start(jobs=warm.FEWEST_JOBS - 1); "
         "print(warm._worker, bool(os.environ.get(warm.ADDRESS)))"],
        capture_output=True, text=True, check=True, env=environment(**{warm.ADDRESS: ""}),
    )
    assert started.stdout.split() == ["None", "False"]


def test_the_worker_ends_with_its_parent():
    parent = subprocess.Popen(
        [sys.executable, "-c", "import time; from thermolearn import warm; warm.start(jobs=warm.FEWEST_JOBS); "
         "print(warm._worker.pid, flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, env=environment(),
    )
    worker = int(parent.stdout.readline())
    assert not gone(worker)
    parent.kill()
    parent.wait(timeout=60)
    wait_until(lambda: gone(worker))
