"""Jobs import only what they use: numba and scipy come with the stages that need them, and the
rule's thread count reaches numba whether or not it was imported yet (no timing)."""

import os
import subprocess
import sys

from thermolearn.experiments import REGISTRY


def run(code, **env):
    """stdout of ``code`` in a fresh interpreter with this package on the path."""
    environment = {key: value for key, value in os.environ.items() if key != "NUMBA_NUM_THREADS"}
    environment["PYTHONPATH"] = os.pathsep.join(sys.path)
    return subprocess.run([sys.executable, "-c", code], env=environment | env, capture_output=True, text=True,
                          check=True).stdout.split()


def test_the_stage_modules_and_the_specs_import_neither_numba_nor_scipy():
    """Every job imports the registry (all specs) and its experiment's package: numba and scipy come only
    with the kernels and theories that need them."""
    packages = ", ".join(f"thermolearn.experiments.{name}" for name in REGISTRY)
    imported = run(f"import sys, thermolearn.bounds, thermolearn.scripting, thermolearn.tables, {packages}; "
                   "print('numba' in sys.modules, 'scipy' in sys.modules)")
    assert imported == ["False", "False"]


def test_threads_reach_numba_imported_after_start():
    assert run("from thermolearn.scripting import use_threads; use_threads(1); import numba; "
               "print(numba.get_num_threads())") == ["1"]


def test_threads_reach_numba_imported_before_start():
    assert run("import numba; from thermolearn.scripting import use_threads; use_threads(1); "
               "print(numba.get_num_threads())") == ["1"]


def test_threads_stay_within_numba_num_threads():
    assert run("from thermolearn.scripting import use_threads; use_threads(64); import numba; "
               "print(numba.get_num_threads())", NUMBA_NUM_THREADS="1") == ["1"]


def test_a_failing_job_prints_its_reason_in_one_line_on_the_terminal(monkeypatch):
    """The traceback goes to the job's log (its stderr); the one line to the terminal."""
    import io

    from thermolearn.scripting import reason_on_terminal

    log, terminal = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", log)
    monkeypatch.setattr(sys, "__stderr__", terminal)
    try:
        raise ValueError("rule 'off' (m:f): raises ValueError: off\nthe probe at h = 0.5, sigma_T = +1")
    except ValueError as error:
        reason_on_terminal("online_simulate")(ValueError, error, error.__traceback__)
    assert terminal.getvalue() == ("online_simulate: ValueError: rule 'off' (m:f): raises ValueError: off the probe "
                                   "at h = 0.5, sigma_T = +1\n")
    assert "Traceback" in log.getvalue()


def test_a_job_failing_for_lack_of_disk_says_so_on_the_terminal_even_if_its_log_cannot_be_written(monkeypatch):
    import io

    from thermolearn.scripting import reason_on_terminal

    class FullDisk(io.StringIO):
        def write(self, text):
            raise OSError(28, "No space left on device")

    terminal = io.StringIO()
    monkeypatch.setattr(sys, "stderr", FullDisk())
    monkeypatch.setattr(sys, "__stderr__", terminal)
    error = OSError(28, "No space left on device")
    reason_on_terminal("batch_simulate")(OSError, error, None)
    assert terminal.getvalue() == "batch_simulate: OSError: [Errno 28] No space left on device\n"
