"""What every Snakemake ``script:`` wrapper does: log to the rule's log file, use the rule's
threads, and, for the generated stage jobs, run the experiment's job and write its tables."""

import atexit
import ctypes
import logging
import os
import resource
import signal
import sys
import threading
import time
from types import SimpleNamespace

from thermolearn import __version__, tables, warm
from thermolearn.experiments import REGISTRY
from thermolearn.seeds import point_key

FINISHED = "finished %.3f s after the process started, %.3f s of CPU, peak memory %.0f MB"
"""The last line of every job's log (``thermolearn.bench --pipeline`` reads it). In a copy of the warm
worker the peak memory counts the pages it shares with the worker; the job's ``benchmark:`` file
measures only its launching process then."""


def process_age():
    """Seconds since this process started (Linux: /proc, 10 ms resolution), or None."""
    try:
        with open("/proc/self/stat") as stat, open("/proc/uptime") as uptime:
            started = int(stat.read().rsplit(")", 1)[1].split()[19]) / os.sysconf("SC_CLK_TCK")
            return float(uptime.read().split()[0]) - started
    except (OSError, ValueError, IndexError):
        return None


def cpu_time():
    """CPU seconds (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_memory_mb():
    """Peak resident memory of this process so far, MB (Linux: ru_maxrss in kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def start(snakemake):
    """Send logging and stderr to ``snakemake.log[0]``, set numba's threads to
    ``snakemake.threads`` and return a logger for the rule. The log's first lines give the time
    spent before (start-up and imports), its last line the job's wall and CPU time."""
    die_with_snakemake()
    log_file = open(snakemake.log[0], "w", buffering=1)
    sys.stderr = log_file
    sys.excepthook = reason_on_terminal(snakemake.rule)
    logging.basicConfig(
        stream=log_file,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        force=True,
    )
    use_threads(snakemake.threads)
    logger = logging.getLogger(snakemake.rule)
    logger.info("rule %s, threads %d, output %s", snakemake.rule, snakemake.threads, list(snakemake.output))
    age = process_age()
    if age is not None:
        logger.info("started %.3f s after the process, %.3f s of CPU (%s)", age, cpu_time(),
                    "a copy of the run's warm worker" if warm.copy else "its own process")
        atexit.register(lambda: logger.info(FINISHED, process_age(), cpu_time(), peak_memory_mb()))
    return logger


PR_SET_PDEATHSIG = 1
"""prctl(2): the signal the kernel sends this process when its parent ends."""


def proc_stat(pid):
    """(parent pid, start time in clock ticks) of process ``pid`` (Linux /proc), or None if it has
    ended (gone, or a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in "ZX" else (int(fields[1]), int(fields[19]))


def snakemake_ancestor():
    """(pid, start time) of the nearest ancestor that runs Snakemake (``snakemake`` or ``-m snakemake``
    in its first arguments), or None."""
    pid = os.getppid()
    while pid > 1:
        stat = proc_stat(pid)
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                argv = cmdline.read().split(b"\0")[:3]
        except OSError:
            return None
        if stat is None:
            return None
        if any(arg == b"snakemake" or arg.endswith((b"/snakemake", b"snakemake/__main__.py")) for arg in argv):
            return pid, stat[1]
        pid = stat[0]
    return None


def die_with_snakemake(poll=0.2):
    """End this job (SIGTERM) when the Snakemake process that runs it ends, even by SIGKILL, so that no
    job outlives it and writes its outputs afterwards: the kernel's parent-death signal where Snakemake
    is the parent (a ``script:`` job), else a thread that polls it (a job under a shell, a warm worker's
    copy); a job that does not run under Snakemake is left alone."""
    ancestor = snakemake_ancestor()
    if ancestor is None:
        return
    pid, started = ancestor
    if pid == os.getppid() and sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() == pid:  # else it ended before the call
            return

    def watch():
        while (stat := proc_stat(pid)) is not None and stat[1] == started:
            time.sleep(poll)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="die_with_snakemake", daemon=True).start()


def reason_on_terminal(rule):
    """An excepthook for a job whose stderr is its log: the traceback goes to the log, and one line, the
    rule and the error (a user rule's name, h and sigma_T; the file a reader refused; a full disk), to the
    terminal, where Snakemake otherwise prints only that the job failed and the log's path. The line
    comes first: on a full disk the log cannot take the traceback."""

    def hook(kind, error, trace):
        reason = " ".join(str(error).split())
        print(f"{rule}: {kind.__name__}{': ' + reason if reason else ''}", file=sys.__stderr__, flush=True)
        try:  # the log may be on the disk that is full
            sys.__excepthook__(kind, error, trace)
        except OSError:
            pass

    return hook


def use_threads(threads):
    """Let numba's kernels use ``threads`` threads, at most the available cores. numba takes a fifth
    of a second to import and only the jobs that run a kernel import it: until they do, the
    number goes through NUMBA_NUM_THREADS, which numba reads on import."""
    if "numba" in sys.modules:
        import numba

        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    else:
        available = int(os.environ.get("NUMBA_NUM_THREADS") or len(os.sched_getaffinity(0)))
        os.environ["NUMBA_NUM_THREADS"] = str(min(threads, available))


class Timer:
    """Elapsed wall time since creation, for progress lines in the logs."""

    def __init__(self):
        self.start = time.perf_counter()

    @property
    def elapsed(self):
        return time.perf_counter() - self.start


def made_by(config, name, stage, point=None):
    """The params hash of a table of experiment ``name``: what determines it in ``config``, the code
    version and, recursively, the hashes of the tables it is made from. ``stage``: a per-point stage
    (at ``point``), ``summary``, ``bounds``, or ``verdict`` (``name`` None). Computed by the Snakefile
    from the current config for both the job that writes a table and every job that reads it."""
    if stage == "verdict":
        return tables.params_hash({"thermolearn": __version__, "stage": stage,
                                   "bounds": {other: made_by(config, other, "bounds") for other in REGISTRY}})
    spec = REGISTRY[name]
    params = {"thermolearn": __version__, "experiment": name, "stage": stage}
    if stage == "bounds":
        params |= {"options": spec.bound_options(config), "summary": made_by(config, name, "summary")}
    elif stage == "summary":
        last = list(spec.stages)[-1]
        params |= {"config": {key: config[name][key] for key in spec.summary.keys},
                   "tables": [made_by(config, name, last, point) for point in spec.points(config)],
                   "needs": {need: made_by(config, need, "summary") for need in spec.summary.needs}}
    else:
        declared = spec.stages[stage]
        params |= {"point": point, "config": {key: config[name][key] for key in declared.keys},
                   "at_point": declared.point_keys(config[name], point) if declared.point_keys else {},
                   "inputs": {source: made_by(config, name, source, point) for source in declared.inputs.values()}}
        if stage == "simulate":
            params["seed"] = config["seed"]
    return tables.params_hash(params)


def warn_outdated(made):
    """One line on stderr if tables of ``made`` (path -> ``reading``: hash, rule) exist that another
    config or code version made, or that changed since (``tables.outdated``), with the command that
    rebuilds them all. Snakemake reruns their jobs itself while its record of their params
    (.snakemake/) is there; without it their readers stop, each naming its input."""
    outdated = tables.outdated({path: hash for path, (hash, _) in made.items()})
    if outdated:
        rules = list(dict.fromkeys(made[path][1] for path, _ in outdated))
        path, why = outdated[0]
        print(f"thermolearn: {len(outdated)} table(s) not made by this config and code, e.g. {path}: {why}; unless "
              f"Snakemake reruns them, rebuild them with the same command and --forcerun {' '.join(rules)}",
              file=sys.stderr)


def maker(name, stage):
    """The rule that writes a table of ``made_by``'s ``stage``: what a stale table's line tells to rerun."""
    return {"summary": f"{name}_information", "verdict": "verdict"}.get(stage, f"{name}_{stage}")


def reading(config, name, stage, point=None):
    """What a job expects of an input table: its params hash and the rule that makes it (``verify``)."""
    return made_by(config, name, stage, point), maker(name, stage)


def verify(path, read):
    """``tables.verify`` of an input ``path`` against its ``reading`` (hash, rule)."""
    tables.verify(path, *read)


def point_jobs(snakemake, stage):
    """(job, outputs, made) at each point a stage job covers: its own point, or every point of its
    experiment, after checking that point's inputs (``params.reads``: their params hashes, stale or
    corrupted ones fail naming the file). ``job.input.<name>`` are that point's input paths,
    ``job.params`` its ``point``, ``config`` (the stage's keys and what it reads at the point) and the
    run's ``seed``; ``made`` the params hash its outputs record."""
    p = snakemake.params
    seed = getattr(p, "seed", None)
    if hasattr(p, "point"):
        for name, read in p.reads.items():
            verify(snakemake.input[name], read)
        job = SimpleNamespace(input=snakemake.input,
                              params=SimpleNamespace(point=p.point, config=p.config | p.point_config, seed=seed))
        yield job, {name: snakemake.output.get(name) for name in stage.outputs}, p.made
        return
    for i, point in enumerate(p.points):
        inputs = SimpleNamespace(**{name: snakemake.input[name][i] for name in stage.inputs})
        for name in stage.inputs:
            verify(getattr(inputs, name), p.reads[name][i])
        job = SimpleNamespace(input=inputs,
                              params=SimpleNamespace(point=point, config=p.config | p.point_configs[i], seed=seed))
        yield job, {name: snakemake.output[name][i] if name in snakemake.output.keys() else None
                    for name in stage.outputs}, p.made[i]


def run_at(spec, stage, job, log):
    """A table per output of ``stage`` at ``job``'s point: the simulate stage's function is called with
    the point's values, its config keys, the seed and the name of the point's random stream, and returns
    a table, a tuple of tables in the order of the declared outputs or a table per output name; the
    others are called with ``(job, log)`` and return a table per output name."""
    declared = spec.stages[stage].outputs
    if stage != "simulate":
        outputs = spec.stages[stage].run(job, log)
    else:
        timer = Timer()
        point = job.params.point
        made = spec.simulate.run(**point | job.params.config, seed=job.params.seed, key=point_key(spec.name, point))
        if not isinstance(made, dict):  # a table, or a tuple of tables in the declared order
            made = dict(zip(declared, made if isinstance(made, tuple) else (made,), strict=True))
        outputs = made
        log.info("simulated %s in %.2f s", point, timer.elapsed)
    if set(outputs) != set(declared):
        raise RuntimeError(f"{stage} of {spec.name} made {sorted(outputs)}, the spec declares {sorted(declared)}")
    return outputs


def write(outputs, paths, log, made=None):
    """Write each table atomically to its path, as Parquet or CSV by its suffix, recording ``made``
    (the params hash of the job) and its content hash."""
    for name, table in outputs.items():
        path = paths[name]
        (tables.write_parquet if str(path).endswith(".parquet") else tables.write_csv)(table, path, made)
        log.info("wrote %d rows to %s", len(table), path)


def run_stage(snakemake):
    """A generated stage job: the experiment's stage ``snakemake.params.stage`` at its point or at
    every point of the experiment, each output written atomically."""
    log = start(snakemake)
    timer = Timer()
    spec = REGISTRY[snakemake.params.experiment]
    stage = snakemake.params.stage
    for job, paths, made in point_jobs(snakemake, spec.stages[stage]):
        write(run_at(spec, stage, job, log), paths, log, made)
    log.info("done in %.2f s", timer.elapsed)


def run_information(snakemake):
    """An experiment's information job: its information stage at every point (if it has one), whose
    ``table`` outputs stay in memory, then its summary from the per-point tables (those, or the
    estimate stage's ``table`` files) and the summaries it needs. Its one output is the summary, so
    Snakemake's record of the job's params (its points among them) is complete and a new grid value
    reruns it and, upstream, only the new points."""
    log = start(snakemake)
    timer = Timer()
    p = snakemake.params
    spec = REGISTRY[p.experiment]
    if spec.information is not None:
        jobs = point_jobs(snakemake, spec.information)
        per_point = [run_at(spec, "information", job, log)["table"] for job, _, _ in jobs]
    else:
        per_point = list(snakemake.input.tables)
        for path, read in zip(per_point, p.summary_reads["tables"], strict=True):
            verify(path, read)
    for need in spec.summary.needs:
        verify(snakemake.input[need], p.summary_reads[need])
    inputs = SimpleNamespace(tables=per_point, **{need: snakemake.input[need] for need in spec.summary.needs})
    job = SimpleNamespace(input=inputs, params=SimpleNamespace(points=p.points, config=p.summary_config,
                                                               needs_rows=p.needs_rows))
    write({"summary": spec.summary.run(job, log)}, {"summary": snakemake.output.summary}, log, p.summary_made)
    log.info("done in %.2f s", timer.elapsed)
