"""The warm worker (thermolearn.warm): a script that calls delegate() runs in a fork of the worker
with its job's streams, directory, environment and exit code; without a worker it runs in its own
process; a copy never outlives its job, and the worker never outlives its parent."""

import json
import os
import signal
import socket
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
if action == "message":
    sys.exit("probe says no")
if action == "interrupt":
    os.kill(os.getpid(), signal.SIGINT)
    action = "0"
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


def probe(tmp_path, action, launcher=(), **variables):
    """The probe script run as a job's process (``python [launcher] probe.py``) doing ``action``."""
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    return subprocess.Popen([sys.executable, *launcher, str(script)], cwd=tmp_path, text=True,
                            env=environment(PROBE=action, **variables), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


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


def test_a_worker_of_another_python_environment_is_not_used(worker, tmp_path):
    """--sdm conda or a container: the job's Python is not the worker's."""
    elsewhere = json.loads(os.environ[warm.ADDRESS]) | {"prefix": "/another/environment"}
    job = probe(tmp_path, "0", **{warm.ADDRESS: json.dumps(elsewhere)})
    out, err = job.communicate(timeout=60)
    assert job.returncode == 0 and out.split()[0] == "False", err


def test_a_socket_held_by_another_process_gets_no_job(worker, tmp_path):
    """The worker's name taken by another process (after the worker died): the job runs itself
    and sends nothing (its environment and streams) there."""
    impostor = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    impostor.bind("\0thermolearn-impostor-" + os.urandom(4).hex())
    impostor.listen(1)
    address = json.loads(os.environ[warm.ADDRESS]) | {"name": impostor.getsockname()[1:].decode()}
    job = probe(tmp_path, "0", **{warm.ADDRESS: json.dumps(address)})
    out, err = job.communicate(timeout=60)
    assert job.returncode == 0 and out.split()[0] == "False", err
    connection, _ = impostor.accept()
    assert connection.recv(1) == b""
    connection.close()
    impostor.close()


def test_sys_exit_with_a_message_prints_it_and_fails_the_job(worker, tmp_path):
    job = probe(tmp_path, "message")
    out, err = job.communicate(timeout=60)
    assert job.returncode == 1 and err.strip() == "probe says no", err


@pytest.mark.parametrize("ignored", [False, True])
def test_a_copy_handles_ctrl_c_as_its_job_does(worker, tmp_path, ignored):
    """A job started with Ctrl-C ignored (a run in the background of a shell) keeps ignoring it."""
    handler = "signal.SIG_IGN" if ignored else "signal.default_int_handler"
    launcher = ["-c", f"import runpy, signal, sys; signal.signal(signal.SIGINT, {handler}); sys.argv = sys.argv[1:]; "
                "runpy.run_path(sys.argv[0], run_name='__main__')"]
    job = probe(tmp_path, "interrupt", launcher=launcher)
    out, err = job.communicate(timeout=60)
    if ignored:
        assert job.returncode == 0 and out.split()[0] == "True", err
    else:
        assert job.returncode == 1 and "KeyboardInterrupt" in err, err


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
