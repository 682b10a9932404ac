"""The workflow through a real SLURM (tests/slurm/cluster.sh: one node with accounting and memory
enforcement) with the project's profile, profiles/slurm. Opt-in, it needs root: tests/slurm/run.sh
starts the cluster and runs this file with THERMOLEARN_SLURM=1; otherwise every test skips."""

import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import interruptible

from thermolearn import bench, resources
from thermolearn.experiments import REGISTRY

pytestmark = [
    pytest.mark.slurm,
    pytest.mark.skipif(os.environ.get("THERMOLEARN_SLURM") != "1",
                       reason="a real SLURM run, opt-in: tests/slurm/run.sh (needs root)"),
]

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile")]
QUICK = REPO / "config" / "quick.yaml"
PAPER = REPO / "config" / "paper.yaml"
WHOLE = ("landauer", "tur", "inference", "steady", "training")
"""The experiments whose every job of config/paper.yaml goes through SLURM, up to their figures (0.48 of the
config's 1.9 simulate CPU hours); of the others (Models B, C, H: 1.4 CPU hours), the largest simulate job and
its estimate where the estimate runs per point."""
FIELDS = ("JobID", "State", "ReqMem", "MaxRSS", "Elapsed", "Timelimit", "ReqCPUS", "Comment")
CALL = re.compile(r"sbatch call: (.*--local-groupid '([^']+)'.*)")
SUBMITTED = re.compile(r"Job (\S+) has been submitted with SLURM jobid (\d+)")
RANDOM_BYTES = ("results/quick/logs/", "results/quick/benchmarks/")
"""Logs and benchmark files record times; every other output must equal the local run's bytes."""


def slurm_command(workdir, *targets, configfile=QUICK):
    """The docs' cluster command in ``workdir``, ``--cores`` the node's CPUs (``--configfile`` last: it takes
    every argument after it)."""
    return [*SNAKEMAKE, "--directory", str(workdir), "--workflow-profile", str(REPO / "profiles/slurm"),
            "--cores", str(os.cpu_count()), "--verbose", *targets, "--configfile", str(configfile)]


def run(command, workdir, timeout=3600, **kwargs):
    """Run ``command``, its output in workdir/snakemake.log: (return code, output, wall seconds)."""
    start = time.monotonic()
    with open(workdir / "snakemake.log", "a") as log:
        code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, **kwargs).returncode
    return code, (workdir / "snakemake.log").read_text(), time.monotonic() - start


def outputs(workdir):
    """{path: bytes} of every result file but the logs and benchmark files."""
    files = (path for path in (workdir / "results").rglob("*") if path.is_file())
    return {str(path.relative_to(workdir)): path.read_bytes() for path in files
            if not str(path.relative_to(workdir)).startswith(RANDOM_BYTES)}


def megabytes(text):
    """sacct's memory (``1234K``, ``501M``, ``2G``) in MB; NaN where sacct does not know it (``16?`` for a job
    killed before its first sample), so that no comparison with it holds."""
    if not text:
        return 0.0
    scale = {"K": 1 / 1024, "M": 1, "G": 1024, "T": 2**20}
    if text[-1] in scale:
        return float(text[:-1]) * scale[text[-1]]
    return float(text) / 2**20 if text.isdigit() else math.nan


def seconds(text):
    """sacct's ``[D-]HH:MM:SS`` in seconds."""
    days, _, clock = text.rpartition("-")
    parts = [float(part) for part in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return 86400 * float(days or 0) + 3600 * parts[0] + 60 * parts[1] + parts[2]


def accounting(jobids):
    """{jobid: {state, requested memory MB, used memory MB, elapsed s, time limit s, CPUs, comment}} from sacct.
    The used memory is the peak of the batch step (the jobstep's Snakemake) plus the largest peak of the
    other steps (each an ``srun`` of Snakemake and the job's script): the jobstep starts them one at a time
    (``--jobs 1``, checked in ``test_every_job_gets_what_it_asked_and_fits_in_it``) beside its own."""
    table = subprocess.run(["sacct", "-n", "-P", "-j", ",".join(jobids), "-o", ",".join(FIELDS)],
                           capture_output=True, text=True, check=True).stdout
    jobs = {}
    for line in table.splitlines():
        row = dict(zip(FIELDS, line.split("|")))
        job, _, step = row["JobID"].partition(".")
        if not step:
            jobs[job] = {"state": row["State"], "mem_mb": megabytes(row["ReqMem"]), "used_mb": 0.0,
                         "elapsed": seconds(row["Elapsed"]), "limit": seconds(row["Timelimit"]),
                         "cpus": int(row["ReqCPUS"]), "comment": row["Comment"]}
        elif step == "batch":
            jobs[job]["used_mb"] += megabytes(row["MaxRSS"])
        else:
            jobs[job]["step_mb"] = max(jobs[job].get("step_mb", 0.0), megabytes(row["MaxRSS"]))
    for job in jobs.values():
        job["used_mb"] += job.pop("step_mb", 0.0)
    return jobs


def submissions(log):
    """{jobid: the sbatch call} of every (grouped) job a verbose run submitted: the calls and the job ids of
    a group, in order (a retry submits a group again)."""
    calls = {}
    for call, group in CALL.findall(log):
        calls.setdefault(group, []).append(call)
    return {jobid: calls[group].pop(0) for group, jobid in SUBMITTED.findall(log)}


def requested(call):
    """(mem MB, time limit s, CPUs) of an sbatch call."""
    mem = int(re.search(r"--mem[= ](\d+)", call)[1])
    minutes = int(re.search(r"-t '?(\d+)", call)[1])
    cpus = int(re.search(r"--cpus-per-task[= ](\d+)", call)[1])
    return mem, 60 * minutes, cpus


@pytest.fixture(scope="module")
def local_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("local")
    code, log, _ = run([*SNAKEMAKE, "--directory", str(workdir), "--workflow-profile", str(REPO / "profiles/default"),
                        "--cores", "2", "--configfile", str(QUICK)], workdir)
    assert code == 0, log[-3000:]
    return workdir


def slurm_run_of(workdir, configfile, *targets, timeout=3600):
    """Run ``targets`` of ``configfile`` (all if none) through SLURM in ``workdir`` within ``timeout`` seconds;
    print each submission's requests and use from sacct: (workdir, {jobid: sbatch call}, {jobid: accounting},
    config)."""
    load = os.getloadavg()[0]
    code, log, wall = run(slurm_command(workdir, *targets, configfile=configfile), workdir, timeout)
    assert code == 0, log[-5000:]
    calls = submissions(log)
    jobs = accounting(list(calls))
    print(f"\nSLURM run of {configfile.relative_to(REPO)}: {len(calls)} jobs submitted, {wall:.0f} s wall, "
          f"load average {load:.1f}")
    for jobid, job in sorted(jobs.items(), key=lambda item: int(item[0])):
        print(f"{jobid} {job['comment']}: {job['state']}, {job['used_mb']:.0f} of {job['mem_mb']:.0f} MB, "
              f"{job['elapsed']:.0f} of {job['limit']:.0f} s, {job['cpus']} CPUs, "
              f"{' '.join(members(calls[jobid])) or 'one job'}")
    return workdir, calls, jobs, bench.load_config(configfile)


@pytest.fixture(scope="module")
def slurm_run(tmp_path_factory):
    return slurm_run_of(tmp_path_factory.mktemp("slurm"), QUICK)


def paper_targets(config):
    """config/paper.yaml's outputs whose jobs are run through SLURM: every figure of the WHOLE experiments; of
    the others, the simulate job with the most work, the one with the most data and, where the estimate runs per
    point, the latter's estimate."""
    targets = {f"results/paper/figures/{file}.pdf" for name in WHOLE for file in REGISTRY[name].figure_files}
    for name, spec in REGISTRY.items():
        if name in WHOLE:
            continue
        heavy = resources.largest(config, name, resources.simulate_work)
        big = resources.largest(config, name, resources.job_bytes)
        for stage, point in [("simulate", heavy), ("simulate", big)] + [("estimate", big)] * spec.estimate.per_point:
            targets.add(f"results/paper/{spec.point_path(stage, next(iter(spec.stages[stage].outputs)), point)}")
    return sorted(targets)


@pytest.fixture(scope="module")
def paper_run(tmp_path_factory):
    """About 75 minutes on one 2-core node: 176 jobs in 17 submissions, each job an srun of Snakemake (7-15 s)."""
    return slurm_run_of(tmp_path_factory.mktemp("paper"), PAPER, *paper_targets(bench.load_config(PAPER)),
                        timeout=4 * 3600)


RUNS = ("slurm_run", "paper_run")


def test_a_slurm_run_equals_the_local_run_byte_for_byte(local_run, slurm_run):
    workdir, calls, _, _ = slurm_run
    assert calls, "no job was submitted to SLURM"
    local, cluster = outputs(local_run), outputs(workdir)
    assert sorted(cluster) == sorted(local)
    assert [path for path in local if cluster[path] != local[path]] == []


@pytest.mark.parametrize("slurm", RUNS)
def test_every_job_gets_what_it_asked_and_fits_in_it(slurm, request):
    """sacct shows each submission's memory, time limit and CPUs as Snakemake asked, and every job
    completed within them on its first attempt: its peak memory (both Snakemake processes and the script)
    under its request, its elapsed time under its limit."""
    _, calls, jobs, _ = request.getfixturevalue(slurm)
    groups = [re.search(r"--local-groupid '([^']+)'", call)[1] for call in calls.values()]
    assert len(groups) == len(set(groups)), "a group was submitted again: a retry"
    for jobid, call in calls.items():
        job = jobs[jobid]
        assert "--jobs 1 " in call, "the jobstep runs its steps one at a time (accounting's used memory)"
        assert (job["mem_mb"], job["limit"], job["cpus"]) == requested(call), (jobid, call)
        assert job["state"] == "COMPLETED", (jobid, job)
        assert 0 < job["used_mb"] < job["mem_mb"], (jobid, job)
        assert job["elapsed"] < job["limit"], (jobid, job)


def members(call):
    """The jobs ``rule:key=value,...`` of a grouped submission's ``--target-jobs`` (none for a single job)."""
    found = re.search(r"--target-jobs ((?:'[^']+' ?)+)", call)
    return found[1].replace("'", "").split() if found else []


def member_request(config, member):
    """(mem MB, runtime min) that the resource model gives the job ``rule:key=value,...`` of a group's
    ``--target-jobs`` on its first attempt; the profile's defaults for a rule without its own."""
    rule, _, wildcards = member.partition(":")
    experiment, _, stage = rule.rpartition("_")
    point = {}
    for pair in filter(None, wildcards.split(",")):
        key, value = pair.split("=")
        point[key] = float(value) if re.fullmatch(r"[0-9.e+-]+", value) else value
    if stage == "simulate":
        return (resources.job_mem_mb(config, experiment, point),
                resources.simulate_runtime_min(config, experiment, point))
    if stage == "estimate":
        mem = resources.job_mem_mb(config, experiment, point) if point else resources.experiment_mem_mb(config,
                                                                                                        experiment)
        return mem, 30
    if stage == "information":
        return resources.experiment_mem_mb(config, experiment), 30
    return 2000, 30


def test_a_group_asks_for_its_jobs_requests_within_a_node(slurm_run):
    """A grouped submission (up to 12 jobs) asks for at most the node's CPUs, at least the largest of its
    jobs' memory and runtime and at most what they would need side by side (memory: ``--cores`` of them)
    and one after another (runtime)."""
    _, calls, _, config = slurm_run
    grouped = {jobid: call for jobid, call in calls.items() if "--target-jobs" in call}
    assert grouped, "no group was submitted"
    for jobid, call in grouped.items():
        mem, limit, cpus = requested(call)
        need = [member_request(config, member) for member in members(call)]
        assert cpus <= os.cpu_count(), (jobid, call)
        assert max(m for m, _ in need) <= mem <= os.cpu_count() * max(m for m, _ in need), (jobid, need, mem)
        assert max(t for _, t in need) <= limit / 60 <= sum(t for _, t in need), (jobid, need, limit)


@pytest.mark.parametrize("slurm", RUNS)
def test_the_memory_model_covers_what_a_job_holds_without_its_margin(slurm, request):
    """The peak a grouped submission holds (its jobstep's Snakemake beside one job's Snakemake and script,
    from sacct) is within the model's prediction for its largest job before the margin: the measured
    base_mb (two Snakemake processes and the script) plus the job's data."""
    _, calls, jobs, config = request.getfixturevalue(slurm)
    for jobid, call in calls.items():
        if not members(call):
            continue  # a single job's request is checked against its use above
        largest = max(member_request(config, member)[0] for member in members(call))
        assert jobs[jobid]["used_mb"] <= largest / resources.MEMORY_MARGIN, (jobid, jobs[jobid], largest)


def wait_for(event, process, timeout=900):
    """Poll every 0.5 s until ``event()`` holds; fail if ``process`` ends first."""
    deadline = time.monotonic() + timeout
    while not event():
        assert process.poll() is None, "the run ended before the event"
        assert time.monotonic() < deadline, "timed out waiting for the event"
        time.sleep(0.5)


def our_jobs(workdir):
    """{jobid: state} of the SLURM jobs this run has queued or running: those working in ``workdir`` (sbatch -D).
    (Not by the run's id in its log: Snakemake's output to a file is block-buffered, and on a quiet machine the
    id arrived after the jobs had ended.)"""
    queue = subprocess.run(["squeue", "-h", "-o", "%i|%Z|%T"], capture_output=True, text=True, check=True).stdout
    return {jobid: state for jobid, directory, state in (line.split("|") for line in queue.splitlines())
            if Path(directory) == Path(workdir)}


def test_a_job_over_its_time_limit_is_retried_with_a_larger_limit_and_succeeds(tmp_path):
    """config/paper.yaml's longest batch simulate job; once it runs, its time limit is cut to a second
    (scontrol), SLURM kills it (TIMEOUT) and Snakemake's retry asks for twice the first limit and succeeds."""
    target = "results/paper/batch/simulate/alpha~4.0/nu~1.0.parquet"
    with open(tmp_path / "snakemake.log", "w") as log:
        process = subprocess.Popen(slurm_command(tmp_path, target, configfile=REPO / "config/paper.yaml"), stdout=log,
                                   stderr=subprocess.STDOUT)
    wait_for(lambda: "RUNNING" in our_jobs(tmp_path).values(), process)
    (first,) = our_jobs(tmp_path)
    time.sleep(2)
    subprocess.run(["scontrol", "update", f"JobId={first}", "TimeLimit=0:01"], check=True)
    assert process.wait(timeout=1800) == 0, (tmp_path / "snakemake.log").read_text()[-5000:]
    calls = submissions((tmp_path / "snakemake.log").read_text())
    jobs = accounting(list(calls))
    assert len(calls) == 2 and first in calls, calls
    (retry,) = set(calls) - {first}
    assert jobs[first]["state"] == "TIMEOUT" and jobs[retry]["state"] == "COMPLETED", jobs
    (mem, limit, _), (retry_mem, retry_limit, _) = requested(calls[first]), requested(calls[retry])
    assert (retry_mem, retry_limit) == (2 * mem, 2 * limit)
    assert (tmp_path / target).exists()


def test_ctrl_c_cancels_every_job_and_the_same_command_finishes_the_run(local_run, tmp_path):
    """SIGINT to Snakemake while a job runs cancels every job of the run (squeue has none left); the docs'
    resume command (the same command) finishes it with the local run's bytes (Model B's part of the run)."""
    target = "results/quick/tables/batch_summary.csv"
    command = slurm_command(tmp_path, target)
    with open(tmp_path / "snakemake.log", "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, preexec_fn=interruptible)
    wait_for(lambda: "RUNNING" in our_jobs(tmp_path).values(), process)
    process.send_signal(signal.SIGINT)
    process.wait(timeout=300)
    deadline = time.monotonic() + 60  # scancel's jobs leave the queue within seconds
    while our_jobs(tmp_path) and time.monotonic() < deadline:
        time.sleep(1)
    assert our_jobs(tmp_path) == {}, "a cancelled run left jobs in the queue"
    assert not (tmp_path / target).exists(), "the run ended before the interrupt"
    code, log, _ = run(command, tmp_path)
    assert code == 0, log[-5000:]
    local, cluster = outputs(local_run), outputs(tmp_path)
    assert cluster and [path for path in cluster if cluster[path] != local[path]] == []
    assert target in cluster


def test_the_cluster_kills_a_job_over_its_memory():
    """Negative control of the memory checks above: a job that holds 400 MB under a 100 MB request is killed."""
    hold = "import time; a = bytearray(400 * 2**20); a[::4096] = bytes(len(a[::4096])); time.sleep(5)"
    job = subprocess.run(["sbatch", "--parsable", "--wait", "--mem", "100", "-t", "1", "-o", "/dev/null", "--wrap",
                          f"{shutil.which('python3')} -c '{hold}'"], capture_output=True, text=True)
    assert job.returncode != 0
    deadline = time.monotonic() + 60  # slurmdbd records the job's end a few seconds after sbatch --wait returns
    sacct = ["sacct", "-n", "-X", "-P", "-j", job.stdout.strip(), "-o", "State"]
    while (state := subprocess.run(sacct, capture_output=True, text=True).stdout.strip()) in {"", "PENDING", "RUNNING"}:
        assert time.monotonic() < deadline, f"sacct still says {state} a minute after the job ended"
        time.sleep(1)
    assert state in {"OUT_OF_MEMORY", "FAILED", "CANCELLED"}, state
