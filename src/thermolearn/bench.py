"""Benchmark of the simulation kernels against the machine's floor: `python -m thermolearn.bench`.

Measures Gaussian draws per second in a numba loop (the floor), each kernel's throughput in its
natural unit and its ratio to the floor (per Gaussian the unit needs), the parallel speed-up,
a vectorised-numpy Model C step for comparison, numba compile time with a cold and a warm cache,
and the peak memory of one default simulate job. Prints a table and writes
results/benchmarks/kernels.csv.

With ``--pipeline`` it then runs the whole workflow from an empty ``results/`` in a temporary
directory and compares its wall time with the kernels' floor for the config's workload
(results/benchmarks/pipeline.csv; one row per job in pipeline_jobs.csv).
"""

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import numba
import numpy as np
import pandas as pd
from numba import njit, prange

from thermolearn import config as configuration
from thermolearn import resources, tables
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import FINISHED
from thermolearn.seeds import point_key, trial_generators

ROOT = Path(__file__).resolve().parents[2]


@njit(parallel=True, cache=True)
def gaussian_floor(generators, draws):
    """Sum of ``draws`` standard normals from each Generator, generators in parallel: the floor,
    drawn the way the kernels draw (one numpy Generator per trial)."""
    total = np.zeros(len(generators))
    for s in prange(len(generators)):
        rng = generators[s]
        acc = 0.0
        for _ in range(draws):
            acc += rng.standard_normal()
        total[s] = acc
    return total


@njit(parallel=True, cache=True)
def legacy_gaussian_floor(streams, draws):
    """The same with numba's legacy np.random.standard_normal (MT19937, one state per thread)."""
    total = np.zeros(streams)
    for s in prange(streams):
        np.random.seed(s)
        acc = 0.0
        for _ in range(draws):
            acc += np.random.standard_normal()
        total[s] = acc
    return total


def best_rate(function, units, repeat=5):
    """Units per second of the fastest of ``repeat`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return units / min(times)


SAMPLE_KEYS = ("trials", "trajectories")
"""The config key of a simulate job's independent samples: the benchmark scales it to the time it wants."""

MIN_SAMPLES = 64
"""Fewest samples of a benchmarked job (each experiment's checks need a few jackknife groups' worth)."""


class Job(NamedTuple):
    """One experiment's benchmarked simulate job: its point, its stage keys with the sample count
    scaled, and its work in the experiment's ``Resources.work`` units."""

    experiment: str
    point: dict
    config: dict
    work: float

    def __call__(self):
        spec = REGISTRY[self.experiment]
        return spec.simulate.run(**self.point | self.config, seed=1, key=point_key(f"bench/{spec.name}", self.point))


def benchmark_jobs(config, seconds):
    """Each registered experiment's most expensive simulate job of ``config``, its samples scaled so
    that it takes about ``seconds`` on one thread at the measured rate (``thermolearn.resources``)."""
    jobs = []
    for name, spec in REGISTRY.items():
        point = resources.largest(config, name, resources.simulate_work)
        section = config[name]
        samples = next(key for key in SAMPLE_KEYS if key in section)
        count = section[samples]
        for _ in range(4):  # work is linear in the samples but for Model D's relaxation (~ sqrt(M)): a few corrections
            work = spec.resources.work(section | {samples: count}, point)
            count = max(MIN_SAMPLES, round(count * seconds * resources.rate(name) / work))
        section = section | {samples: count}
        keys = {key: section[key] for key in spec.simulate.keys}
        if spec.simulate.point_keys:
            keys |= spec.simulate.point_keys(section, point)
        jobs.append(Job(name, point, keys, spec.resources.work(section, point)))
    return jobs


def numpy_online_step(w, f, teacher, rng, nu, k, T, dt):
    """One Model C arrival (Perceptron) and OU step in vectorised numpy, for comparison."""
    xi = rng.choice([-1.0, 1.0], size=w.shape[0])
    scale = 1.0 / np.sqrt(w.shape[0])
    sigma = np.sign(teacher @ xi)
    h = w @ xi * scale
    if sigma * h < 0:
        f += nu * scale * sigma * xi
    decay = np.exp(-k * dt)
    old = w.copy()
    w[:] = w * decay + f * (1 - decay) / k + np.sqrt(T * (1 - decay**2) / k) * rng.standard_normal(w.shape[0])
    return (f * (w - old) - 0.5 * k * (w * w - old * old)).sum()


def numpy_online_rate(N=1000, arrivals=2000):
    rng = np.random.default_rng(0)
    w, f, teacher = rng.standard_normal(N), np.zeros(N), rng.standard_normal(N)

    def run():
        for _ in range(arrivals):
            numpy_online_step(w, f, teacher, rng, 1.0, 1.0, 1.0, 1.0 / N)

    return best_rate(run, N * arrivals, repeat=1)


def compile_times():
    """Seconds to import and run one small kernel call in a fresh process: cold cache, then warm."""
    code = (
        "import time; t = time.perf_counter(); import numpy as np; "
        "from thermolearn.experiments.online import rules; "
        "from thermolearn.experiments.online.kernel import simulate_online; "
        "simulate_online(10, rules.bound_factor(rules.resolve('perceptron')), 1.0, 1.0, 1.0, "
        "np.arange(1, 11) / 10.0, np.array([1.0]), 1, False, "
        "[np.random.default_rng(0)]); print(time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        run = lambda: float(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: E731
                                           text=True, check=True).stdout)
        return run(), run()


def peak_memory_mb():
    """Peak resident memory (MB) of the largest default batch simulate job, in a fresh process."""
    code = (
        "import resource; from thermolearn import bench; "
        "job, = [j for j in bench.benchmark_jobs(bench.load_config(), 1e9) if j.experiment == 'batch']; "
        "job.config.update(trials=bench.load_config()['batch']['trials']); job(); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    return float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout)


def measure_kernels(config, scale, thread_counts):
    """The kernel benchmark's rows, one per measurement and thread count; a kernel's row also
    gives its experiment and its rate in ``Resources.work`` units per second, measured on ``config``'s
    largest simulate job of the experiment (a kernel's rate depends on its size: Model B's data sets
    leave the cache at large N)."""
    threads = max(thread_counts)
    rows = []
    draws = int(5e7 * scale)
    streams = trial_generators(1, "bench/floor", threads)
    for n in thread_counts:
        numba.set_num_threads(n)
        rate = best_rate(lambda: gaussian_floor(streams, draws // threads), draws)
        rows.append({"kernel": "floor: Gaussian draws (Generator)", "unit": "draws", "threads": n, "rate": rate})
    floor = {row["threads"]: row["rate"] for row in rows}
    for n in thread_counts:
        numba.set_num_threads(n)
        rate = best_rate(lambda: legacy_gaussian_floor(threads, draws // threads // 5), draws // 5)
        rows.append({"kernel": "legacy np.random Gaussian draws", "unit": "draws", "threads": n, "rate": rate,
                     "per_floor": rate / floor[n]})
    for job in benchmark_jobs(config, scale):
        rates = {}
        spec = REGISTRY[job.experiment]
        for n in thread_counts:
            numba.set_num_threads(n)
            rates[n] = best_rate(job, job.work, repeat=3)
            rows.append({"kernel": f"{spec.name} ({spec.category.split(':')[0]}), simulate job", "unit":
                         spec.resources.unit, "threads": n, "rate": rates[n],
                         "per_floor": rates[n] * spec.resources.gaussians / floor[n], "speedup": rates[n] / rates[1],
                         "experiment": job.experiment, "work_rate": rates[n]})
    numba.set_num_threads(1)
    online_numba = next(r["rate"] for r in rows if r.get("experiment") == "online" and r["threads"] == 1)
    numpy_rate = numpy_online_rate()
    rows.append({"kernel": "online, vectorised numpy", "unit": "weight-updates", "threads": 1, "rate": numpy_rate,
                 "per_floor": numpy_rate / floor[1], "speedup_of_numba": online_numba / numpy_rate})
    return rows


def simulate_jobs(config):
    """Each simulate job of ``config``: (experiment, its point)."""
    for name, spec in REGISTRY.items():
        for point in spec.points(config):
            yield name, point


def workload(config):
    """Work of all simulate jobs of ``config`` per experiment, in ``Resources.work`` units."""
    work = dict.fromkeys(REGISTRY, 0.0)
    for name, point in simulate_jobs(config):
        work[name] += resources.simulate_work(config, name, point)
    return work


def plan(config):
    """Without running: per experiment, the simulate jobs' CPU hours at the measured rate (per thread,
    ``thermolearn.resources``) and the longest job's predicted time and runtime request; (quantity,
    scope, value, unit) rows."""
    rows, total = [], 0.0
    for name, spec in REGISTRY.items():
        one_thread = [resources.simulate_seconds(config, name, point) for point in spec.points(config)]
        longest = resources.largest(config, name, resources.simulate_seconds)
        threads = resources.simulate_threads(config, name, longest)
        rows += [("simulate jobs", name, len(one_thread), ""),
                 ("cpu", name, sum(one_thread) / 3600, "h (simulate jobs)"),
                 ("longest job", name, resources.simulate_seconds(config, name, longest, threads),
                  f"s on {threads} threads"),
                 ("runtime request of the longest job", name, resources.simulate_runtime_min(config, name, longest),
                  "min")]
        total += sum(one_thread)
    return rows + [("cpu", "all", total / 3600, "h (simulate jobs)")]


RULE_LINE = re.compile(r"rule (\S+), threads (\d+)")
STARTED_LINE = re.compile(r"started ([0-9.]+) s after the process")
FINISHED_LINE = re.compile(FINISHED.replace("%.3f", "([0-9.]+)").replace("%.0f", "([0-9.]+)"))
PROGRESS_LINE = re.compile(r"([0-9.]+)% of \d+ trials, ([0-9.]+) s elapsed")


def kernel_time(text):
    """Seconds in the kernels from thermolearn.progress.in_chunks's lines: per call, the time after
    its first chunk scaled to all trials. The first chunk also carries numba's start-up in a fresh
    process (about 0.25 s), which is overhead."""
    total, first = 0.0, None
    for percent, elapsed in PROGRESS_LINE.findall(text):
        percent, elapsed = float(percent), float(elapsed)
        if first is None:
            first = (percent, elapsed)
        if percent == 100.0:
            total += elapsed if first[0] == 100.0 else (elapsed - first[1]) * 100.0 / (100.0 - first[0])
            first = None
    return total


def job_table(results):
    """One row per job log under a run's ``results/<run>/logs`` (thermolearn.scripting.start's format): its rule,
    wall and CPU time from process start to exit, peak memory, start-up before the first log line,
    time in the kernels (:func:`kernel_time`), the ``s`` of the benchmark file
    at the log's path under ``results/benchmarks`` if any, and the overhead: the benchmark's s
    (else the wall time) minus the kernel time. The wall time ends before the interpreter's
    teardown (0.1-0.2 s with numba or matplotlib loaded), which the benchmark's s includes."""
    results = Path(results)
    rows = []
    for log in sorted((results / "logs").rglob("*.log")):
        text = log.read_text(errors="replace")
        rule = RULE_LINE.search(text)
        if rule is None:
            continue
        started, finished = STARTED_LINE.search(text), FINISHED_LINE.search(text)
        benchmark = results / "benchmarks" / log.relative_to(results / "logs").with_suffix(".tsv")
        rows.append({
            "rule": rule[1],
            "log": str(log.relative_to(results)),
            "threads": int(rule[2]),
            "wall": float(finished[1]) if finished else np.nan,
            "cpu": float(finished[2]) if finished else np.nan,
            "memory_mb": float(finished[3]) if finished else np.nan,
            "startup": float(started[1]) if started else np.nan,
            "kernel": kernel_time(text),
            "benchmark_s": pd.read_csv(benchmark, sep="\t")["s"].iloc[0] if benchmark.exists() else np.nan,
        })
    jobs = pd.DataFrame(rows, columns=["rule", "log", "threads", "wall", "cpu", "memory_mb", "startup", "kernel",
                                       "benchmark_s"])
    jobs["overhead"] = jobs["benchmark_s"].fillna(jobs["wall"]) - jobs["kernel"]
    return jobs


def job_summary(jobs):
    """(quantity, scope, value, unit) rows: per rule and for all jobs, their number, summed wall,
    CPU, start-up and kernel time, and the median, 90th percentile and maximum overhead."""
    rows = []
    for scope, part in [("all jobs", jobs), *jobs.groupby("rule", sort=True)]:
        rows.append(("jobs", scope, len(part), ""))
        for quantity in ("wall", "cpu", "startup", "kernel"):
            rows.append((f"{quantity} (sum)", scope, part[quantity].sum(), "s"))
        for label, q in (("median", 0.5), ("p90", 0.9), ("max", 1.0)):
            rows.append((f"overhead {label}", scope, part["overhead"].quantile(q), "s"))
    return rows


def run_pipeline(workdir, cores, configfile, options=()):
    """Run the workflow as the README does (the default profile) in ``workdir`` on ``cores`` (more
    snakemake ``options`` if any): wall seconds and CPU seconds of all child processes (snakemake
    and its jobs). Snakemake's own output goes to workdir/snakemake.log."""
    executable = Path(sys.executable).with_name("snakemake")
    command = [str(executable) if executable.exists() else "snakemake", "--snakefile", str(ROOT / "Snakefile"),
               "--directory", str(workdir), "--workflow-profile", str(ROOT / "profiles/default"),
               "--cores", str(cores), *options]
    if configfile:  # last: --configfile takes every argument after it
        command += ["--configfile", str(Path(configfile).resolve())]
    source = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(Path(workdir) / "snakemake.log", "w") as output:
        done = subprocess.run(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"the pipeline failed: {' '.join(command)} (see {workdir}/snakemake.log)")
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def load_config(variant=None):
    """The default config, merged with ``variant`` if given, checked and with defaults filled in."""
    config = configuration.load(configuration.DEFAULT)
    if variant:
        config = configuration.merge(config, configuration.load(variant))
    return configuration.validate(config)


def print_table(table):
    with pd.option_context("display.width", 200, "display.float_format", "{:.3g}".format):
        print(table.to_string(index=False))


def pipeline(args, kernel_rows, threads):
    """Run the pipeline and return (quantity, scope, value, unit) rows and the job table; the
    floor is the config's workload at the kernels' rates on ``threads`` (``kernel_rows``), checked
    against the time the run's own kernels took (on a shared machine the rates can be low), and
    the load average tells how shared the machine was."""
    config = load_config(args.config)
    rates = {row["experiment"]: row for row in kernel_rows if row.get("experiment") and row["threads"] == threads}
    rows = [("cores", "run", args.cores, ""), ("threads per kernel", "run", threads, "")]
    load = os.getloadavg()
    floor = 0.0
    for experiment, work in workload(config).items():
        rate = rates[experiment]["work_rate"]
        rows += [("kernel rate", experiment, rate, "simulate_work units/s"),
                 ("work", experiment, work, "simulate_work units"),
                 ("floor", experiment, work / rate, "s")]
        floor += work / rate
    results = configuration.results_dir(configuration.run_name(config, [args.config] if args.config else []))
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
        wall, cpu = run_pipeline(args.workdir, args.cores, args.config, shlex.split(args.snakemake))
        jobs = job_table(Path(args.workdir) / results)
    else:
        with tempfile.TemporaryDirectory(prefix="thermolearn-pipeline-") as workdir:
            wall, cpu = run_pipeline(workdir, args.cores, args.config, shlex.split(args.snakemake))
            jobs = job_table(Path(workdir) / results)
    in_run = (jobs["kernel"] * jobs["threads"].clip(upper=args.cores)).sum() / args.cores
    rows += [("floor", "all", floor, "s"), ("wall", "run", wall, "s"), ("cpu", "run", cpu, "s"),
             ("cpu outside the jobs", "run", cpu - jobs["cpu"].sum(), "s (snakemake itself)"),
             ("wall / floor", "run", wall / floor, ""),
             ("floor from the run's kernel time", "all", in_run, "s (sum of kernel time x threads / cores)"),
             ("wall / floor from the run", "run", wall / in_run, ""),
             ("load average before", "run", load[0], "1 min"),
             ("load average after", "run", os.getloadavg()[0], "1 min")]
    return rows + job_summary(jobs), jobs


SNAKEMAKE_PROCESSES = 2
"""Snakemake processes in a cluster job's step: the jobstep executor's and the one its ``srun`` starts
(snakemake-executor-plugin-slurm-jobstep); each parses the workflow, and they start one after the other."""


def snakemake_process(configfile):
    """Peak resident memory (MB) and wall seconds of one Snakemake process that reads the workflow and
    plans ``configfile``'s run (a dry run, in a fresh process)."""
    code = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
            "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.perf_counter() - start)")
    with tempfile.TemporaryDirectory() as workdir:
        command = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile"), "--directory", workdir,
                   "--cores", "1", "--dry-run", "--configfile", str(configfile)]
        memory, seconds = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True,
                                         check=True).stdout.split()
    return float(memory), float(seconds)


def baselines(configfile=ROOT / "config" / "quick.yaml"):
    """{experiment: (base_mb, start_s)}: what one cluster job of the experiment holds and takes beyond its
    data and work: SNAKEMAKE_PROCESSES Snakemake processes (``snakemake_process``) and its simulate
    script, measured end to end on ``configfile``'s (small) simulate jobs: the largest peak memory and
    wall time among them, imports and numba's cache load included."""
    snakemake_mb, snakemake_s = snakemake_process(configfile)
    with tempfile.TemporaryDirectory() as workdir:
        run_pipeline(workdir, 1, configfile, ["--until", *(f"{name}_simulate" for name in REGISTRY)])
        run = configuration.run_name(load_config(configfile), [configfile])
        jobs = job_table(Path(workdir) / configuration.results_dir(run))
    scripts = jobs[jobs["rule"].str.endswith("_simulate")].groupby("rule")[["memory_mb", "wall"]].max()
    return {name: (SNAKEMAKE_PROCESSES * snakemake_mb + scripts.loc[f"{name}_simulate", "memory_mb"],
                   SNAKEMAKE_PROCESSES * snakemake_s + scripts.loc[f"{name}_simulate", "wall"])
            for name in REGISTRY}


def write_rates(rows, threads, configfile):
    """Replace src/thermolearn/rates.csv with this machine's simulate rates per thread on ``threads``
    (measured on ``configfile``'s largest jobs) and its ``baselines``."""
    import platform
    from datetime import date

    base = baselines()
    measured = pd.DataFrame([
        {"experiment": row["experiment"], "rate": float(f"{row['work_rate'] / threads:.2g}"),
         "base_mb": round(base[row["experiment"]][0]), "start_s": round(base[row["experiment"]][1], 1),
         "threads": threads, "measured": date.today().isoformat(),
         "machine": f"{platform.node()} ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})",
         "job": f"rate: {configfile}'s largest simulate job, scaled; base_mb and start_s: config/quick.yaml's "
                "simulate jobs end to end and two Snakemake processes (python -m thermolearn.bench --rates)"}
        for row in rows if row.get("experiment") and row["threads"] == threads
    ])
    tables.write_csv(measured, resources.RATES_FILE)
    print(f"wrote {resources.RATES_FILE}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="work per measurement (1 = about a second)")
    parser.add_argument("--output", default="results/benchmarks/kernels.csv")
    parser.add_argument("--pipeline", action="store_true", help="also run the workflow and compare with the floor")
    parser.add_argument("--config", help="a config variant whose largest jobs are measured and whose pipeline is run "
                                         "(default: config/config.yaml)")
    parser.add_argument("--cores", type=int, default=os.cpu_count(), help="cores of the pipeline run")
    parser.add_argument("--workdir", help="run the pipeline here (kept) instead of in a temporary directory")
    parser.add_argument("--snakemake", default="", help="more snakemake options, e.g. '--scheduler greedy'")
    parser.add_argument("--rates", action="store_true",
                        help="write the measured simulate rates to src/thermolearn/rates.csv, from which the "
                             "runtime requests follow")
    parser.add_argument("--plan", action="store_true",
                        help="only predict the config's simulate CPU hours and runtime requests (no measurement)")
    args = parser.parse_args(argv)
    if args.plan:
        table = pd.DataFrame(plan(load_config(args.config)), columns=["quantity", "scope", "value", "unit"])
        tables.write_csv(table, Path(args.output).with_name("plan.csv"))
        print_table(table)
        return
    threads = numba.config.NUMBA_NUM_THREADS
    pipeline_threads = min(args.cores, threads)
    rows = measure_kernels(load_config(args.config), args.scale, sorted({1, pipeline_threads, threads}))
    cold, warm = compile_times()
    rows.append({"kernel": "compile+run, cold cache", "unit": "seconds", "threads": threads, "rate": cold})
    rows.append({"kernel": "compile+run, warm cache", "unit": "seconds", "threads": threads, "rate": warm})
    rows.append({"kernel": "peak memory, largest default batch job", "unit": "MB", "threads": threads,
                 "rate": peak_memory_mb()})
    table = pd.DataFrame(rows)
    tables.write_csv(table, args.output)
    print_table(table)
    if args.rates:
        write_rates(rows, pipeline_threads, args.config or "config/config.yaml")
    print(f"peak memory of this benchmark: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.pipeline:
        summary, jobs = pipeline(args, rows, pipeline_threads)
        summary = pd.DataFrame(summary, columns=["quantity", "scope", "value", "unit"])
        output = Path(args.output).with_name("pipeline.csv")
        tables.write_csv(summary, output)
        tables.write_csv(jobs, output.with_name("pipeline_jobs.csv"))
        print_table(summary)


if __name__ == "__main__":
    main()
