"""Warm start of the pipeline's jobs on one machine: an explicit opt-in, off by default
(``THERMOLEARN_WARM_WORKER=1 snakemake ...``; docs/performance.md has what it saves).

It leans on private APIs and on how Snakemake runs ``script:`` jobs, checked with Snakemake 9.27, numba
0.68 and CPython 3.11 (tests/test_warm.py runs it on whatever versions are installed):
numba's cache index (``Dispatcher._cache._cache_file._load_index``) to preload compiled kernels,
``atexit._clear`` and ``atexit._run_exitfuncs`` to run a job's exit functions and not the worker's, and
the ``snakemake`` object Snakemake pickles into each script. A job whose Python, Snakemake or numba
differs in these finds no worker or runs in its own process; the outputs are the same bytes either way.

A job's own work is often a fraction of a second; starting a Python process that imports numpy,
pandas, pyarrow, numba, scipy and matplotlib costs about 0.7 s of CPU. So a local run with the opt-in
starts one *worker* (``onstart`` in the Snakefile) that imports them once and listens on a Unix socket. Each
job's script begins with ``delegate(snakemake)``: if a worker serves this run, the script hands
itself to the worker, which forks a copy of itself (imports already done) to run the script with
the job's standard streams, working directory and environment, and the script's process exits
with the copy's exit code. With no worker (cluster jobs, systems other than Linux, ``--sdm conda``
or containers, runs of fewer than ``FEWEST_JOBS`` jobs, scripts run by the tests) ``delegate``
returns and the script runs where it is. Same code, same seeds: the outputs are the same bytes
either way.

A job hands itself over only to the worker of its own run and Python environment (the socket's
pid and uid, ``sys.prefix``). A copy dies with its job: if the job's process ends (killed by
Snakemake, Ctrl-C), the copy receives SIGTERM. The worker ends with the Snakemake process that
started it.
"""

import atexit
import importlib
import importlib.util
import json
import logging
import os
import pickle
import runpy
import selectors
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

OPT_IN = "THERMOLEARN_WARM_WORKER"
"""The environment variable that asks for a worker: ``1`` starts one for a local run."""

ADDRESS = "THERMOLEARN_WORKER"
"""The environment variable through which the jobs find the worker: JSON with the name of its socket
in the abstract namespace (Linux; no file to clean up), its pid and its Python's ``sys.prefix``."""

PRELOAD = (
    "numpy", "pandas", "pyarrow.parquet", "numba", "scipy.integrate", "scipy.special", "scipy.stats",
    "scipy.linalg", "matplotlib.pyplot", "snakemake.iocontainers", "snakemake.logging", "snakemake.shell",
    "thermolearn.scripting", "thermolearn.plotting", "thermolearn.bounds", "thermolearn.knn",
)
"""What the worker imports once, so that no job pays for it."""

FEWEST_JOBS = 3
"""Runs of fewer jobs start no worker: its 1.3 s of imports and preloading would not pay."""

REQUEST_SECONDS = 5.0
"""A job's request that does not arrive in this time is dropped (that job runs in its own process)."""

HEADER = struct.Struct("!I")
STREAMS = (0, 1, 2)
copy = False
"""True in a worker's copy running a job."""

_worker = None
"""The worker this process started (``start``), a ``subprocess.Popen``."""


def delegate(snakemake):
    """Run the calling script in a fork of this run's worker, if one serves it, and exit with the
    fork's exit code; return otherwise (and the script runs in this process)."""
    worker = json.loads(os.environ.get(ADDRESS) or "null")
    if not worker or worker["prefix"] != sys.prefix:
        return  # no worker, or the job runs another Python environment (--sdm conda, a container)
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect("\0" + worker["name"])
        pid, uid, _ = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))
    except OSError:
        return
    if (pid, uid) != (worker["pid"], os.getuid()):
        connection.close()
        return  # the name is not held by this run's worker (it died and another process took it)
    request = json.dumps({"script": os.path.abspath(sys.argv[0]), "cwd": os.getcwd(), "environ": dict(os.environ),
                          "sigint_ignored": signal.getsignal(signal.SIGINT) == signal.SIG_IGN}).encode()
    socket.send_fds(connection, [HEADER.pack(len(request)) + request], list(STREAMS))
    status = receive_exactly(connection, HEADER.size)
    if len(status) < HEADER.size:
        print(f"thermolearn.warm: the worker's copy running {snakemake.rule} ended without an exit "
              "status (killed by a signal)", file=sys.stderr)
        os._exit(1)
    os._exit(HEADER.unpack(status)[0])


def receive_exactly(connection, size):
    """``size`` bytes from ``connection``, fewer only if it closes first."""
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def serve(address):
    """The worker: import ``PRELOAD``, listen at ``address``, say "ready" on stdout, then fork a
    copy for each job's request until the parent process (Snakemake) ends or sends SIGTERM."""
    parent = os.getppid()
    preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind("\0" + address)
    listener.listen(64)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the jobs; Snakemake then ends the worker
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGCHLD, lambda *_: reap())  # waited for: their CPU time counts as Snakemake's children's
    print("ready", flush=True)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    try:
        while os.getppid() == parent:
            if selector.select(timeout=1.0):
                connection, _ = listener.accept()
                with connection:
                    fork_for(connection, listener)
    finally:
        listener.close()  # jobs that start from now on run in their own process, not queued
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        reap(block=True)
        os._exit(0)  # nothing to flush or clean: skip the interpreter's teardown (0.3 s)


def preload():
    """Import ``PRELOAD`` and every experiment's kernels, and load each compiled function numba has
    cached for them. numba's threads: the ``workqueue`` layer, which a fork survives (the copy
    starts its own threads); OpenMP's does not, so with another layer set by the user the
    parallel kernels are left for the copies to load."""
    os.environ.setdefault("NUMBA_THREADING_LAYER", "workqueue")
    for module in PRELOAD:
        importlib.import_module(module)
    from numba.core.dispatcher import Dispatcher

    from thermolearn.experiments import REGISTRY

    for name in REGISTRY:
        if importlib.util.find_spec(f"thermolearn.experiments.{name}.kernel"):
            importlib.import_module(f"thermolearn.experiments.{name}.kernel")
    fork_safe = os.environ["NUMBA_THREADING_LAYER"] == "workqueue"
    for name, module in list(sys.modules.items()):
        for function in vars(module).values() if name.startswith("thermolearn") else ():
            if isinstance(function, Dispatcher) and (fork_safe or not function.targetoptions.get("parallel")):
                load_cached(function)


def load_cached(function):
    """Load every version of ``function`` compiled for this machine from numba's cache (numba
    has no public call that lists them: its index file does)."""
    try:
        index = function._cache._cache_file._load_index()
        machine = function.targetctx.codegen().magic_tuple()
    except (AttributeError, OSError, ValueError, pickle.UnpicklingError):
        return
    for signature, built_for, _ in index:
        if built_for == machine:
            function.compile(signature)


def reap(block=False):
    """Wait for the copies that have ended (with ``block``, for all of them)."""
    try:
        while os.waitpid(-1, 0 if block else os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def fork_for(connection, listener):
    """Read one job's request from ``connection`` and fork a copy to run it (requests from
    another user, or cut short, are dropped: that job runs its script itself)."""
    uid = struct.unpack("3i", connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
    if uid != os.getuid():
        return
    fds = []
    connection.settimeout(REQUEST_SECONDS)
    try:
        message, fds, _, _ = socket.recv_fds(connection, HEADER.size, len(STREAMS))
        request = json.loads(receive_exactly(connection, HEADER.unpack(message)[0]))
        if len(fds) != len(STREAMS):
            raise ValueError(f"{len(fds)} streams")
    except (OSError, ValueError, struct.error):
        for fd in fds:
            os.close(fd)
        return
    connection.settimeout(None)
    if os.fork() == 0:
        listener.close()
        run_copy(connection, request, fds)
    for fd in fds:
        os.close(fd)


def run_copy(connection, request, fds):
    """In the fork: take the job's streams, directory, environment and Ctrl-C handling, run its
    script as ``python script.py`` would, send the exit code to the job's process and end. If that
    process ends first, end too (SIGTERM)."""
    global copy
    copy = True
    atexit._clear()  # the worker's exit functions (matplotlib's temporary config directory...) are not the job's
    atexit.register(logging.shutdown)
    interrupt = signal.SIG_IGN if request["sigint_ignored"] else signal.default_int_handler
    for number, handler in ((signal.SIGINT, interrupt), (signal.SIGTERM, signal.SIG_DFL),
                            (signal.SIGCHLD, signal.SIG_DFL)):
        signal.signal(number, handler)
    for stream, fd in zip(STREAMS, fds):
        os.dup2(fd, stream)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["environ"])
    del os.environ[ADDRESS]  # the script's delegate() returns: it runs here
    time.tzset()
    sys.argv = [request["script"]]
    sys.path[0] = os.path.dirname(request["script"])  # the script's folder, not the worker's directory
    threading.Thread(target=end_with_the_job, args=(connection,), daemon=True).start()
    code = 0
    try:
        runpy.run_path(request["script"], run_name="__main__")
    except SystemExit as end:  # as the interpreter ends: sys.exit("message") prints it and gives 1
        if end.code is None or isinstance(end.code, int):
            code = (end.code or 0) & 0xFF
        else:
            print(end.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    connection.sendall(HEADER.pack(code))
    os._exit(code)


def end_with_the_job(connection):
    """Wait until the job's process closes its end of the connection, then end this copy."""
    connection.recv(1)
    os.kill(os.getpid(), signal.SIGTERM)


def requested():
    """Whether the user asked for a worker (``THERMOLEARN_WARM_WORKER=1``)."""
    return os.environ.get(OPT_IN) == "1"


def start(jobs):
    """Start a worker for this process's ``jobs`` jobs (on Linux: elsewhere forking a process
    that has loaded numba and matplotlib is not safe); the jobs find it through ``ADDRESS``."""
    global _worker
    if sys.platform != "linux" or _worker is not None or jobs < FEWEST_JOBS:
        return
    address = f"thermolearn-{os.getpid()}-{os.urandom(8).hex()}"
    worker = subprocess.Popen([sys.executable, "-m", "thermolearn.warm", address], stdout=subprocess.PIPE,
                              text=True)
    if worker.stdout.readline().strip() != "ready":
        worker.kill()
        print("thermolearn.warm: the worker did not start; every job starts its own process", file=sys.stderr)
        return
    os.environ[ADDRESS] = json.dumps({"name": address, "pid": worker.pid, "prefix": sys.prefix})
    _worker = worker


def stop(timeout=30):
    """End the worker started by ``start``, after the copies still running have ended."""
    global _worker
    if _worker is not None:
        os.environ.pop(ADDRESS, None)
        _worker.terminate()
        try:
            _worker.wait(timeout)
        except subprocess.TimeoutExpired:
            _worker.kill()
            _worker.wait()
        _worker = None


if __name__ == "__main__":
    from thermolearn import warm  # this file is __main__ here: serve from the module the scripts import

    warm.serve(sys.argv[1])
