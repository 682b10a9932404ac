"""The pipeline benchmark's reading of job logs and benchmark files (no timing)."""

from pathlib import Path

import pandas as pd
import pytest

from thermolearn import bench
from thermolearn.experiments import REGISTRY


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def results(tmp_path):
    """A results/ tree with two simulate jobs with benchmark files (one killed before its last
    log line), a figure job and a log that thermolearn.scripting did not write."""
    stamp = "2026-12-01 03:47:41,331 INFO "
    finished_a1 = "1.500 s after the process started, 2.000 s of CPU, peak memory 310 MB"
    for point, kernel, finished in [("a~1", (0.25, 0.5), finished_a1), ("a~2", (0.25,), None)]:
        lines = ["rule x_simulate, threads 2, output ['o.csv']", "started 0.800 s after the process, 0.700 s of CPU"]
        for seconds in kernel:
            lines += [f" 50.0% of 10 trials, {seconds / 2:.3f} s elapsed, 1e+03 trials/s",
                      f"100.0% of 10 trials, {seconds:.3f} s elapsed, 1e+03 trials/s"]
        lines += [f"finished {finished}"] if finished else []
        write(tmp_path / "logs" / "x" / "simulate" / f"{point}.log", "".join(stamp + line + "\n" for line in lines))
    for point, seconds in [("a~1", 1.75), ("a~2", 2.5)]:
        write(tmp_path / "benchmarks" / "x" / "simulate" / f"{point}.tsv", f"s\tmax_rss\n{seconds}\t100\n")
    write(tmp_path / "logs" / "figures" / "x.log",
          stamp + "rule x_figure, threads 1, output ['f.png']\n" + stamp + "started 1.000 s after the process, 0.9 s"
          " of CPU\n" + stamp + "finished 1.250 s after the process started, 1.100 s of CPU, peak memory 290 MB\n")
    write(tmp_path / "logs" / "verdict.log", "verdict: no violation\n")
    return tmp_path


def test_job_table_reads_rule_times_and_kernel_time_from_the_logs(results):
    jobs = bench.job_table(results).set_index("log")
    assert sorted(jobs["rule"]) == ["x_figure", "x_simulate", "x_simulate"]
    first = jobs.loc["logs/x/simulate/a~1.log"]
    assert (first["wall"], first["cpu"], first["startup"], first["threads"]) == (1.5, 2.0, 0.8, 2)
    assert first["memory_mb"] == 310
    assert first["kernel"] == pytest.approx(0.75) and first["overhead"] == pytest.approx(1.75 - 0.75)
    killed = jobs.loc["logs/x/simulate/a~2.log"]
    assert pd.isna(killed["wall"]) and killed["benchmark_s"] == 2.5
    assert killed["overhead"] == pytest.approx(2.5 - 0.25)
    assert jobs.loc["logs/figures/x.log", "overhead"] == 1.25


def test_kernel_time_leaves_out_each_calls_first_chunk():
    lines = ["x 25.0% of 8 trials, 0.400 s elapsed", "x 50.0% of 8 trials, 0.500 s elapsed",
             "x 100.0% of 8 trials, 0.700 s elapsed", "x 100.0% of 1 trials, 0.050 s elapsed"]
    assert bench.kernel_time("\n".join(lines)) == pytest.approx(0.3 * 4 / 3 + 0.05)


def test_job_summary_gives_overhead_quantiles_per_rule_and_for_all_jobs(results):
    rows = {(quantity, scope): value for quantity, scope, value, _ in bench.job_summary(bench.job_table(results))}
    assert rows["jobs", "all jobs"] == 3 and rows["jobs", "x_simulate"] == 2
    assert rows["overhead max", "all jobs"] == pytest.approx(2.25)
    assert rows["overhead median", "all jobs"] == 1.25
    assert rows["kernel (sum)", "x_simulate"] == pytest.approx(1.0)


def test_workload_sums_every_point_of_every_experiment(repo):
    from thermolearn import config

    quick = config.validate(config.merge(config.load(config.DEFAULT), config.load(repo / "config" / "quick.yaml")))
    work = bench.workload(quick)
    batch = quick["batch"]
    per_update = batch["trials"] * batch["N"] * len(batch["times"])
    assert work["batch"] == sum(per_update * (1 + alpha) * len(batch["nu"]) for alpha in batch["alpha"])
    landauer = quick["landauer"]
    assert work["landauer"] == pytest.approx(2 * landauer["trajectories"] * sum(landauer["tau"]) / landauer["dt"])


def test_plan_sums_every_simulate_job_and_requests_the_longest_ones_runtime():
    config = bench.load_config(bench.configuration.REPO / "config" / "paper.yaml")
    plan = pd.DataFrame(bench.plan(config), columns=["quantity", "scope", "value", "unit"])
    plan = plan.set_index(["quantity", "scope"])["value"]
    jobs = {name: sum(1 for job, _ in bench.simulate_jobs(config) if job == name) for name in bench.REGISTRY}
    assert {name: plan[("simulate jobs", name)] for name in jobs} == jobs
    assert plan[("cpu", "all")] == pytest.approx(sum(plan[("cpu", name)] for name in jobs), rel=1e-12)
    for name in jobs:
        longest, request = plan[("longest job", name)], 60 * plan[("runtime request of the longest job", name)]
        # the margin over the predicted time and the measured start, rounded up to whole minutes (at least one)
        start = bench.resources.measured(name, "start_s")
        assert request >= bench.resources.RUNTIME_MARGIN * (longest + start)
        assert request <= max(60, bench.resources.RUNTIME_MARGIN * (longest + start) + 60)


def test_benchmark_jobs_are_each_experiments_largest_point_scaled_to_the_time_asked():
    """One job per registered experiment, at the default config's most expensive point, its samples
    scaled so that its predicted time at the measured rate is the time asked (within the rounding)."""
    config = bench.load_config()
    jobs = bench.benchmark_jobs(config, 0.5)
    assert [job.experiment for job in jobs] == list(bench.REGISTRY)
    for job in jobs:
        spec = bench.REGISTRY[job.experiment]
        works = [bench.resources.simulate_work(config, job.experiment, point) for point in spec.points(config)]
        assert bench.resources.simulate_work(config, job.experiment, job.point) == max(works)
        samples = next(key for key in bench.SAMPLE_KEYS if key in job.config)
        scaled = config | {job.experiment: config[job.experiment] | {samples: job.config[samples]}}
        assert job.work == bench.resources.simulate_work(scaled, job.experiment, job.point)
        if job.config[samples] > bench.MIN_SAMPLES:
            assert job.work / bench.resources.rate(job.experiment) == pytest.approx(0.5, rel=1 / job.config[samples])


def test_baselines_read_the_job_logs_of_the_configs_own_run(monkeypatch):
    """baselines() reads the simulate jobs' logs where the quick run writes them (results/quick/logs): two
    Snakemake processes plus the script's peak memory and wall time."""
    def run_pipeline(workdir, cores, configfile, options):
        for name in REGISTRY:
            write(Path(workdir) / "results" / "quick" / "logs" / name / "simulate" / "p~1.log",
                  f"rule {name}_simulate, threads 1, output []\nfinished 2.500 s after the process started, "
                  f"2.000 s of CPU, peak memory 300 MB\n")
        return 1.0, 1.0

    monkeypatch.setattr(bench, "run_pipeline", run_pipeline)
    monkeypatch.setattr(bench, "snakemake_process", lambda configfile: (320.0, 4.0))
    assert bench.baselines() == dict.fromkeys(REGISTRY, (bench.SNAKEMAKE_PROCESSES * 320.0 + 300.0,
                                                           bench.SNAKEMAKE_PROCESSES * 4.0 + 2.5))
