"""Benchmark of the simulation kernels against the machine's floor: `python -m thermolearn.bench`.

Measures Gaussian draws per second in a numba loop (the floor), each kernel's throughput in its
natural unit and its ratio to the floor (per Gaussian the unit needs), the parallel speed-up,
a vectorised-numpy Model C step for comparison, numba compile time with a cold and a warm cache,
and the peak memory of one default simulate job. Prints a table and writes
results/benchmarks/kernels.csv.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import yaml
from numba import njit, prange

from thermolearn import tables
from thermolearn.experiments.batch.kernel import simulate_batch
from thermolearn.experiments.inference import network
from thermolearn.experiments.inference.kernel import simulate_inference
from thermolearn.experiments.landauer.kernel import ERASURE, equilibrium_grid, simulate_erasure
from thermolearn.experiments.online import arrival_and_record_times, rules
from thermolearn.experiments.online.kernel import simulate_online
from thermolearn.seeds import trial_generators

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


def kernels(scale):
    """(name, unit, units per call, Gaussians per unit, callable) for every kernel.

    Model B runs a default point (N = 100, alpha = 1, the default recorded times): its unit, one
    weight advanced to one recorded time, also pays for its share of the data (P N spins) and of
    the training errors (P N n_times multiply-adds), and the initial draw w(0) adds 1/n_times
    Gaussian per unit.
    """
    seeds = trial_generators(1, "bench", 64)
    times = np.asarray(yaml.safe_load(open(ROOT / "config/config.yaml"))["batch"]["times"], dtype=float)
    batch_trials = trial_generators(1, "bench/batch", int(2000 * scale))
    grid, cdf = equilibrium_grid(10.0, 1.0)
    layout = network([4, 8, 8, 2], 1.5, seed=1)
    N, P = 1000, int(2000 * scale)
    arrivals, records = arrival_and_record_times(N, 1.0, [P / N])
    perceptron = rules.bound_factor(rules.resolve("perceptron"))
    return [
        ("batch (Model B)", "weight-updates", len(batch_trials) * 100 * len(times), 1 + 1 / len(times),
         lambda: simulate_batch(100, 100, 1.0, 1.0, 1.0, times, batch_trials)),
        ("online (Model C)", "weight-updates", 16 * N * P, 1,
         lambda: simulate_online(N, perceptron, 1.0, 1.0, 1.0, arrivals, records, 0, False, seeds[:16])),
        ("landauer (Model A)", "trajectory-steps", 64 * int(10 * scale / 1e-3), 1,
         lambda: simulate_erasure(ERASURE, 10.0 * scale, 1e-3, 10.0, 1.0, 0.05, 0.5, grid, cdf, seeds)),
        ("inference (Model D)", "neuron-steps", 64 * 18 * int(2 * scale / 0.005), 1,
         lambda: simulate_inference(np.ones(4), -np.ones(4), 2.0 * scale, 0.005, 10.0, 1.0, *layout, seeds)),
    ]


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
        "import resource; import yaml; from thermolearn.experiments import batch; "
        "c = yaml.safe_load(open('config/config.yaml'))['batch']; "
        "batch.simulate(c['N'], max(c['alpha']), max(c['nu']), c['k'], c['T'], c['times'], c['trials'], 1, 'bench'); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    return float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="work per measurement (1 = about a second)")
    parser.add_argument("--output", default="results/benchmarks/kernels.csv")
    args = parser.parse_args(argv)
    threads = numba.config.NUMBA_NUM_THREADS
    rows = []
    draws = int(5e7 * args.scale)
    streams = trial_generators(1, "bench/floor", threads)
    for n in (1, threads):
        numba.set_num_threads(n)
        rate = best_rate(lambda: gaussian_floor(streams, draws // threads), draws)
        rows.append({"kernel": "floor: Gaussian draws (Generator)", "unit": "draws", "threads": n, "rate": rate})
    floor = {row["threads"]: row["rate"] for row in rows}
    for n in (1, threads):
        numba.set_num_threads(n)
        rate = best_rate(lambda: legacy_gaussian_floor(threads, draws // threads // 5), draws // 5)
        rows.append({"kernel": "legacy np.random Gaussian draws", "unit": "draws", "threads": n, "rate": rate,
                     "per_floor": rate / floor[n]})
    for name, unit, units, gaussians, call in kernels(args.scale):
        rates = {}
        for n in (1, threads):
            numba.set_num_threads(n)
            rates[n] = best_rate(call, units)
            rows.append({"kernel": name, "unit": unit, "threads": n, "rate": rates[n],
                         "per_floor": rates[n] * gaussians / floor[n], "speedup": rates[n] / rates[1]})
    numba.set_num_threads(1)
    online_numba = next(r["rate"] for r in rows if r["kernel"].startswith("online") and r["threads"] == 1)
    numpy_rate = numpy_online_rate()
    rows.append({"kernel": "online, vectorised numpy", "unit": "weight-updates", "threads": 1, "rate": numpy_rate,
                 "per_floor": numpy_rate / floor[1], "speedup_of_numba": online_numba / numpy_rate})
    cold, warm = compile_times()
    rows.append({"kernel": "compile+run, cold cache", "unit": "seconds", "threads": threads, "rate": cold})
    rows.append({"kernel": "compile+run, warm cache", "unit": "seconds", "threads": threads, "rate": warm})
    rows.append({"kernel": "peak memory, largest default batch job", "unit": "MB", "threads": threads,
                 "rate": peak_memory_mb()})
    table = pd.DataFrame(rows)
    tables.write_csv(table, args.output)
    with pd.option_context("display.width", 200, "display.float_format", "{:.3g}".format):
        print(table.to_string(index=False))
    print(f"peak memory of this benchmark: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
