"""The whole workflow on config/quick.yaml in a temporary directory (snakemake --directory)."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
import yaml
from helpers import tagged_block

from thermolearn import bounds, provenance, tables
from thermolearn.experiments import REGISTRY, batch, tur

pytestmark = [pytest.mark.pipeline, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile")]

QUICK_SETTINGS = yaml.safe_load((REPO / "config/quick.yaml").read_text())
EXPERIMENTS = tuple(REGISTRY)
FIGURES = tuple(file for spec in REGISTRY.values() for file in spec.figure_files)
OUTPUTS = [
    *[f"results/quick/tables/{experiment}_summary.csv" for experiment in EXPERIMENTS],
    *[f"results/quick/bounds/{experiment}.csv" for experiment in EXPERIMENTS],
    "results/quick/bounds/verdict.csv",
    *[f"results/quick/figures/{f}.{ext}" for f in FIGURES for ext in ("pdf", "png")],
]


def snakemake(workdir, *args, configfile=None):
    command = [*SNAKEMAKE, "--directory", str(workdir), "--cores", "2", *args]
    if configfile is not None:  # last: --configfile takes every argument after it
        command += ["--configfile", str(configfile)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900)


def planned_jobs(result):
    """Rule -> count from the 'Job stats' table of a dry run."""
    jobs, in_table = {}, False
    for line in (result.stdout + result.stderr).splitlines():
        parts = line.split()
        if parts[:2] == ["job", "count"]:
            in_table = True
        elif in_table and len(parts) == 2 and parts[1].isdigit():
            if parts[0] != "total":
                jobs[parts[0]] = int(parts[1])
        elif in_table and not set(line) <= {"-", " "}:
            in_table = False
    return jobs


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("quick")
    config = workdir / "quick.yaml"
    shutil.copy(REPO / "config" / "quick.yaml", config)
    result = snakemake(workdir, configfile=config)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (workdir / "run.stdout").write_text(result.stdout)
    (workdir / "run.stderr").write_text(result.stderr)
    return workdir, config


def test_the_terminal_shows_progress_lines_and_the_log_file_every_job(quick_run):
    """profiles/default's logger: one line per finished job, no banners; Snakemake's log keeps them."""
    workdir, _ = quick_run
    terminal = (workdir / "run.stderr").read_text()
    progress = re.findall(r"^(\d+)/(\d+) jobs \(\d+%\) in \d+:\d\d:\d\d", terminal, flags=re.M)
    total = int(progress[-1][1])  # a job finishing, or a minute without one (then the count repeats)
    assert sorted({int(done) for done, _ in progress}) == list(range(1, total + 1)) and total > 100, terminal[-3000:]
    assert "rule batch_simulate:" not in terminal and "Select jobs to execute" not in terminal
    (log,) = (workdir / ".snakemake/log").glob("*.snakemake.log")
    assert log.read_text().count("rule batch_simulate:") == len(REGISTRY["batch"].points(as_run(QUICK_SETTINGS)))


def test_quick_config_produces_every_output(quick_run):
    workdir, _ = quick_run
    for output in OUTPUTS:
        assert (workdir / output).stat().st_size > 0, output


def test_every_job_ran_in_its_own_process_without_the_opt_in(quick_run):
    """Each job's log says where it ran (thermolearn.scripting.start); without THERMOLEARN_WARM_WORKER=1
    no warm worker serves a run (thermolearn.warm is an opt-in), the last rule's plain-text verdict aside."""
    workdir, _ = quick_run
    logs = [log for log in (workdir / "results/quick/logs").rglob("*.log") if log.name != "verdict.log"]
    where = {re.search(r"^.* started .* of CPU \((.+)\)$", log.read_text(), flags=re.M)[1] for log in logs}
    assert len(logs) > 50 and where == {"its own process"}


def test_the_warm_worker_serves_a_run_that_asks_for_it_with_the_same_bytes(quick_run, tmp_path):
    """THERMOLEARN_WARM_WORKER=1: the jobs that rebuild Model B's figures run in copies of the warm worker
    and draw the same bytes as the jobs that ran in their own processes."""
    workdir, config = quick_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy)
    figures = sorted((copy / "results/quick/figures").glob("batch_*"))
    for figure in figures:
        figure.unlink()
    command = [*SNAKEMAKE, "--directory", str(copy), "--cores", "2", "--configfile", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900,
                            env=os.environ | {"THERMOLEARN_WARM_WORKER": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    for log in (copy / "results/quick/logs/figures").glob("batch_*.log"):
        assert "(a copy of the run's warm worker)" in log.read_text(), log
    for figure in figures:
        assert figure.read_bytes() == (workdir / figure.relative_to(copy)).read_bytes(), figure


def test_summary_has_value_error_and_theory_columns(quick_run):
    summary = pd.read_csv(quick_run[0] / "results/quick/tables/batch_summary.csv")
    for quantity in ["eta", "heat", "entropy_change", "eps"]:
        for suffix in ["", "_err", "_theory"]:
            assert f"{quantity}{suffix}" in summary.columns
    assert set(batch.SUMMARY_COLUMNS) <= set(summary.columns)
    assert not summary[batch.SUMMARY_COLUMNS].isna().any().any()


def test_summary_tables_give_the_degrees_of_freedom_of_their_errors(quick_run):
    settings = yaml.safe_load(quick_run[1].read_text())
    for experiment, dof in [("batch", settings["batch"]["jackknife_groups"] - 1),
                            ("online", settings["online"]["jackknife_groups"] - 1),
                            ("landauer", settings["landauer"]["trajectories"] - 1),
                            ("tur", settings["tur"]["trajectories"] - 1)]:
        summary = pd.read_csv(quick_run[0] / f"results/quick/tables/{experiment}_summary.csv")
        assert (summary["dof"] == dof).all(), experiment
    inference = pd.read_csv(quick_run[0] / "results/quick/tables/inference_summary.csv").set_index("kind")
    assert (inference.loc["analog", "dof"] == settings["inference"]["trajectories"] - 1).all()
    assert (inference.loc["digital", "dof"] == settings["landauer"]["trajectories"] - 1).all()


def test_the_run_ends_with_the_verdict_and_every_relation_holds(quick_run):
    workdir, _ = quick_run
    verdict = pd.read_csv(workdir / "results/quick/bounds/verdict.csv")
    for experiment in EXPERIMENTS:
        rows = pd.read_csv(workdir / f"results/quick/bounds/{experiment}.csv")
        assert list(rows.columns[-len(bounds.ROW_COLUMNS):]) == bounds.ROW_COLUMNS
        listed = verdict[verdict["experiment"] == experiment].set_index("relation")
        tested = listed[listed["rows"] > 0]
        assert tested["rows"].to_dict() == rows.loc[rows["p"].notna(), "relation"].value_counts().to_dict(), experiment
        assert listed["untested_rows"].sum() == rows["p"].isna().sum(), experiment  # e.g. eta over a cost near 0
        assert (listed.loc[listed["rows"] == 0, "verdict"] == "untested").all(), experiment
    # quick.yaml's analog energies are all above where <exp(-W/T)> = 1 is testable: listed, untested
    assert verdict.set_index(["experiment", "relation"]).loc[("inference", "<exp(-W/T)> = 1"), "verdict"] == "untested"
    assert (verdict["verdict"] != "violated").all(), verdict
    printed = (workdir / "run.stdout").read_text()
    assert "Verdict:" in printed and printed.rstrip().endswith("Every relation holds."), printed[-3000:]
    stated = re.search(r"(\d+) in the quick one", (REPO / "docs/statistics.md").read_text().replace("\n", " "))
    count = verdict["rows"].sum()
    assert stated and int(stated[1]) == count, f"docs/statistics.md should state the quick run's {count} tested rows"


def test_a_violated_relation_fails_the_run_and_every_rerun(quick_run, tmp_path):
    """The TUR table recomputed with a third of the entropy production: the run exits non-zero,
    prints the verdict naming the relation, keeps the verdict table, and a rerun fails again."""
    workdir, config = quick_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy)
    summary = pd.read_csv(copy / "results/quick/tables/tur_summary.csv")
    wrong = summary.assign(ratio=3 * summary["ratio"], ratio_err=3 * summary["ratio_err"])
    table = copy / "results/quick/bounds/tur.csv"  # rewritten as its job would (its record kept): not corrupted
    tables.write_csv(bounds.with_table_rows(tur.bound_checks(wrong)), table, made=tables.recorded(table))
    for _ in range(2):
        result = snakemake(copy, configfile=config)
        assert result.returncode != 0, result.stdout[-3000:]
        assert "relation(s) violated: tur: (t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1" in result.stdout, result.stdout
    verdict = pd.read_csv(copy / "results/quick/bounds/verdict.csv").set_index("experiment")
    assert verdict.loc["tur", "verdict"] == "violated"
    assert (verdict.drop(index="tur")["verdict"] != "violated").all()


def test_a_deleted_figure_is_rebuilt_alone(quick_run):
    workdir, config = quick_run
    (workdir / "results/quick/figures/batch_eta.pdf").unlink()
    dry = snakemake(workdir, "-n", "results/quick/figures/batch_eta.pdf", configfile=config)
    assert planned_jobs(dry) == {"batch_eta_figure": 1}, dry.stdout
    rebuilt = snakemake(workdir, "results/quick/figures/batch_eta.pdf", configfile=config)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]


def test_a_new_grid_value_runs_only_the_new_points(quick_run):
    workdir, config = quick_run
    settings = yaml.safe_load(config.read_text())
    settings["batch"]["nu"].append(3.0)
    variant = workdir / "variant.yaml"
    variant.write_text(yaml.safe_dump(settings))
    jobs = planned_jobs(snakemake(workdir, "-n", "--config", "run=quick", configfile=variant))
    n_alpha = len(settings["batch"]["alpha"])
    for rule in ("batch_simulate", "batch_estimate"):
        assert jobs[rule] == n_alpha, jobs
    assert jobs["batch_information"] == 1


def test_a_variant_writes_under_its_own_run_and_rebuilds_one_figure_alone(quick_run, tmp_path):
    """A variant named other.yaml plans every job under results/other/ and none of the quick run's; its
    figure is one command (docs/usage.md), and without its --configfile that target is refused."""
    workdir, config = quick_run
    variant = tmp_path / "other.yaml"
    shutil.copy(config, variant)
    dry = snakemake(workdir, "-n", configfile=variant)
    outputs = re.findall(r"^\s+output: (.+)$", dry.stdout, flags=re.M)
    paths = [path for line in outputs for path in line.split(", ")]
    assert len(paths) > 100 and all(path.startswith("results/other/") for path in paths), paths[:5]
    figure = snakemake(workdir, "-n", "results/other/figures/batch_eta.pdf", configfile=variant)
    assert figure.returncode == 0 and "batch_eta_figure" in planned_jobs(figure), figure.stdout[-2000:]
    refused = snakemake(workdir, "-n", "results/other/figures/batch_eta.pdf")
    refusal = refused.stdout + refused.stderr  # a dry run's messages go to stdout
    assert refused.returncode != 0 and "No rule to produce results/other/figures/batch_eta.pdf" in refusal


@pytest.fixture(scope="module")
def quick_report(quick_run):
    workdir, config = quick_run
    result = snakemake(workdir, "--report", "results/quick/report.html", configfile=config)
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results/quick/report.html"


def test_report_has_every_figure_with_its_caption_and_the_tables_as_html(quick_run, quick_report):
    html = quick_report.read_text()
    for name in FIGURES:
        assert f'"results/quick/figures/{name}.png"' in html, name
    for experiment in EXPERIMENTS:
        for kind in ("summary", "bounds"):
            assert f'"results/quick/report/{experiment}_{kind}.html"' in html, (experiment, kind)
    assert '"results/quick/report/verdict.html"' in html
    for category in ("Model A", "Model B", "Model C", "Model D", "Model E"):
        assert category in html
    assert "Model B, figure B1." in html and "{{" not in html.split("Model B, figure B1.")[1][:2000]
    table = (quick_run[0] / "results/quick/report/batch_summary.html").read_text()
    assert table.startswith("<table") and "<th>eta_theory</th>" in table


def test_provenance_records_the_run_and_a_new_commit_reruns_only_it_and_the_report_page(quick_run, tmp_path):
    """provenance.yaml holds the run, commit, versions and effective config; the same files committed
    anew in another checkout plan only the provenance, the report page and the last job."""
    workdir, config = quick_run
    record = yaml.safe_load((workdir / "results/quick/provenance.yaml").read_text())
    assert (record["commit"], record["dirty"]) == provenance.commit(REPO) and record["run"] == "quick"
    assert record["config"]["batch"] == as_run(yaml.safe_load(config.read_text()))["batch"]
    assert record["packages"]["numpy"] == np.__version__ and record["python"].endswith(sys.version.split()[0])
    clone = tmp_path / "clone"
    files = subprocess.run(["git", "-C", str(REPO), "ls-files"], capture_output=True, text=True, check=True)
    for name in files.stdout.split("\n"):
        if name and (REPO / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, clone / name)
    git = ["git", "-C", str(clone), "-c", "user.name=t", "-c", "user.email=t@t"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "another commit"]):
        subprocess.run([*git, *command], check=True)
    dry = subprocess.run([sys.executable, "-m", "snakemake", "--snakefile", str(clone / "Snakefile"), "--directory",
                          str(workdir), "--cores", "2", "-n", "--configfile", str(config)],
                         capture_output=True, text=True, timeout=300)
    assert planned_jobs(dry) == {"provenance": 1, "report_page": 1, "all": 1}, dry.stdout[-3000:]
    same = snakemake(workdir, "-n", configfile=config)
    assert "provenance" not in planned_jobs(same), same.stdout[-3000:]  # the negative control: the same commit


def chromium():
    """The browser: $CHROMIUM (the GitHub workflow's), else Debian's chromium or another on PATH."""
    names = (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome")
    return next(filter(None, map(shutil.which, filter(None, names))), None)


def test_the_report_shows_the_verdict_and_a_figure_in_headless_chromium(quick_report, tmp_path):
    """What a reader sees: the report's page as Chromium renders it (its JavaScript run) has the decision
    of the verdict, the commit and the figures as images."""
    browser = chromium()
    if browser is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium); the GitHub workflow installs it")
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}",
               "--virtual-time-budget=20000"]
    dom = subprocess.run([*command, "--dump-dom", quick_report.as_uri()], capture_output=True, text=True, timeout=300)
    assert "<strong>Every relation holds.</strong>" in dom.stdout, dom.stdout[-3000:] + dom.stderr[-2000:]
    assert provenance.commit(REPO)[0] in dom.stdout
    images = re.findall(r'<img[^>]+src="data:image/png;base64,', dom.stdout)
    assert len(images) >= len(FIGURES), len(images)


def wait_for(event, run, timeout=600):
    """Poll every 10 ms until ``event()`` holds; fail if the run ends first."""
    deadline = time.monotonic() + timeout
    while not event():
        assert run.poll() is None, f"the run ended before the event: {run.communicate()[0]}"
        assert time.monotonic() < deadline, "timed out waiting for the event"
        time.sleep(0.01)


def readme_unlock_commands():
    """The two commands of docs/usage.md's Troubleshooting block on a lock (tagged unlock), without comments."""
    block = tagged_block(REPO / "docs/usage.md", "unlock")
    return [line.split("#")[0].strip() for line in block.splitlines()]


def test_a_killed_run_resumes_after_unlock_and_equals_an_uninterrupted_run(quick_run, tmp_path):
    """kill -9 of Snakemake's process group (OOM killer, lost node) leaves Snakemake's lock: the
    same command stops with a LockException; the README's same command with --unlock, then the
    same command, completes, and every table equals the uninterrupted run's byte for byte."""
    unlock, same = readme_unlock_commands()
    assert unlock.split() == [*same.split(), "--unlock"], "the README's unlock is the same command with --unlock"
    reference, config = quick_run
    command = [*SNAKEMAKE, "--directory", str(tmp_path), "--workflow-profile", str(REPO / "profiles/default"),
               "results/quick/tables/batch_summary.csv", "--configfile", str(config)]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    simulated = tmp_path / "results/quick/batch/simulate"
    # The first point's weights are written: three simulate jobs and nine others are left.
    wait_for(lambda: any(simulated.rglob("*.parquet")), run)
    os.killpg(run.pid, signal.SIGKILL)
    assert run.wait(timeout=60) == -signal.SIGKILL
    locked = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert locked.returncode != 0 and "LockException" in locked.stderr, locked.stderr[-3000:]
    unlocked = subprocess.run([*command[:-2], "--unlock", *command[-2:]], capture_output=True, text=True, timeout=300)
    assert unlocked.returncode == 0, unlocked.stderr[-3000:]
    resumed = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    files = [path.relative_to(reference) for path in (reference / "results/quick/batch").rglob("*") if path.is_file()]
    written = [path for path in files if path.suffix != ".made"]  # a CSV's provenance record is <table>.made
    assert len(written) == 4 * 4  # per point: trials, weights, replicates, histogram
    for path in [*files, Path("results/quick/tables/batch_summary.csv")]:
        assert (tmp_path / path).read_bytes() == (reference / path).read_bytes(), path
    assert not list(tmp_path.glob("results/**/.*.tmp*")), "a killed writer's temporary file was left"


# Per run: each damaged file (cut to half of its rows) and the jobs that read it, which must fail
# naming it. A failed job stops everything downstream, so a run damages only files whose readers
# do not depend on another damaged file's readers (Model D's summary reads Model A's), and a job that
# reads every point's tables (an experiment's estimate or information job) meets one damaged file.
TRUNCATED = {
    "simulate and estimate tables": {
        "batch/simulate/alpha~0.5/nu~1.0.parquet": ["batch/estimate/alpha~0.5/nu~1.0"],
        "landauer/simulate/protocol~control/tau~4.0.csv": ["landauer/estimate"],
        "online/simulate/rule~perceptron/nu~1.0/k~1.0.parquet": ["online/estimate/rule~perceptron/nu~1.0/k~1.0"],
        "tur/simulate/nu~0.3_force.csv": ["tur/estimate"],
    },
    "tables read by the information jobs": {
        "batch/estimate/alpha~2.0/nu~0.2.csv": ["batch/information"],
        "online/simulate/rule~hebbian/nu~1.0/k~1.0.csv": ["online/information"],
        "tur/estimate/nu~3.0.csv": ["tur/information"],
        "inference/estimate/tau~32.0.csv": ["inference/information"],
    },
    "summaries read by bounds and figures": {
        "tables/batch_summary.csv": ["bounds/batch", "figures/batch_eta", "figures/batch_bound",
                                     "figures/batch_fluctuation"],
        "tables/online_summary.csv": ["bounds/online", "figures/online_eta_nu", "figures/online_eta_k",
                                      "figures/online_dynamics"],
        "tables/tur_summary.csv": ["bounds/tur", "figures/tur"],
        "tables/inference_summary.csv": ["bounds/inference", "figures/inference_energy"],
    },
    "Model A's summary and the fluctuation histogram": {
        "tables/landauer_summary.csv": ["bounds/landauer", "figures/landauer_work", "inference/information"],
        "batch/estimate/alpha~0.5/nu~0.2_fluctuation.csv": ["figures/batch_fluctuation"],
    },
    "a bounds table read by the verdict": {
        "bounds/online.csv": ["bounds/verdict"],
    },
    "Model A's estimates and Model D's trajectories": {
        "landauer/estimate/protocol~erasure/tau~32.0.csv": ["landauer/information"],
        "inference/simulate/tau~8.0.csv": ["inference/estimate"],
        "batch/simulate/alpha~0.5/nu~0.2.csv": ["batch/information"],
    },
}
def cut_to_half(path):
    """Keep the first half of a table's rows: CSV cut at a line boundary, Parquet rewritten."""
    if path.suffix == ".parquet":
        weights = pd.read_parquet(path)
        weights.iloc[: len(weights) // 2].to_parquet(path, index=False)
    else:
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(lines[: 1 + (len(lines) - 1) // 2]))


@pytest.mark.parametrize("damaged", TRUNCATED)
def test_a_truncated_table_fails_every_job_that_reads_it_naming_the_file(quick_run, tmp_path, damaged):
    workdir, config = quick_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy)
    for table in TRUNCATED[damaged]:
        cut_to_half(copy / "results/quick" / table)
    result = snakemake(copy, "--keep-going", configfile=config)
    assert result.returncode != 0
    for table, readers in TRUNCATED[damaged].items():
        for reader in readers:
            log = (copy / "results/quick/logs" / f"{reader}.log").read_text()
            # refused by its provenance record: a CSV's bytes differ from the recorded hash, a Parquet
            # rewritten without its footer's record was not made by this pipeline
            assert f"results/quick/{table}: corrupted: " in log or f"results/quick/{table}: stale: no record" in log, (
                reader, log[-2000:])


@pytest.mark.parametrize("damage", ["missing column", "NaN"])
def test_a_damaged_intermediate_table_fails_the_downstream_rule_naming_the_file(quick_run, tmp_path, damage):
    workdir, config = quick_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy)
    point = "results/quick/landauer/estimate/protocol~erasure/tau~4.0.csv"
    table = pd.read_csv(copy / point)
    if damage == "missing column":
        table = table.drop(columns="work")
    else:
        table.loc[0, "work"] = float("nan")
    table.to_csv(copy / point, index=False)
    result = snakemake(copy, "results/quick/tables/landauer_summary.csv", configfile=config)
    assert result.returncode != 0
    log = (copy / "results/quick/logs/landauer/information.log").read_text()
    assert f"{point}: corrupted: content hash " in log, log  # its bytes are not those written


# Figures: each figure function called in this process on the quick run's tables, with the params its
# rule (workflow/rules/figures.smk) would give it for a config; what it draws is recorded.


def render(spec, figure, config, results, outdir):
    """Draw one figure spec as scripts/figure.py does and save it to ``outdir``; returns {output path:
    (texts, overlaps)} of what it saved, the texts joined by ' | '. The summary is read as the figure job
    reads it, with its rows (which also say which key columns hold names)."""
    import importlib

    from thermolearn import plotting, tables

    functions = importlib.import_module(f"thermolearn.experiments.{spec.name}.figures")
    section = config[spec.name]
    summary = tables.read_csv(results / f"tables/{spec.name}_summary.csv", spec.summary.columns_of(config),
                              spec.summary.rows(config))
    paths = {name: results / spec.point_path(*where) for name, where in figure.inputs(section).items()}
    read = getattr(functions, figure.read)(paths, **figure.reading(section)) if figure.read else {}
    plotting.setup()
    drawn = getattr(functions, figure.draw)(summary, **read, **figure.params(section))
    if isinstance(drawn, matplotlib.figure.Figure):
        drawn = {next(iter(figure.outputs)): drawn}
    recorded = {}
    for name, fig in drawn.items():
        path = outdir / f"{figure.outputs[name]}.png"
        problems = plotting.finish(fig)  # what plotting.save logs: called here once, as in the pipeline
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text()]
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(plotting, "finish", lambda fig: [])
            plotting.save(fig, [path, path.with_suffix(".pdf")], provenance.describe(REPO))
        recorded[str(path)] = (" | ".join(texts), problems)
    return recorded


def as_run(settings):
    """A config file's settings as the run sees them: over config/config.yaml, with the schema's defaults
    (a figure reads keys that only the schema sets, e.g. Model H's K and M)."""
    from thermolearn import config as configuration

    config = configuration.merge(configuration.load(configuration.DEFAULT), settings)
    configuration.check_schema(config)
    return config


def render_all(settings, results, outdir):
    config = as_run(settings)
    return {path: drawn for spec in REGISTRY.values() for figure in spec.figures
            for path, drawn in render(spec, figure, config, results, outdir).items()}


@pytest.fixture(scope="module")
def quick_figures(quick_run, tmp_path_factory):
    workdir, config = quick_run
    outdir = tmp_path_factory.mktemp("figures")
    return outdir, render_all(yaml.safe_load(config.read_text()), workdir / "results/quick", outdir)


def test_every_figure_renders_without_a_legend_on_data_or_overlapping_texts(quick_figures):
    _, drawn = quick_figures
    assert len(drawn) == len(FIGURES)
    for path, (_, problems) in drawn.items():
        assert problems == [], path


def test_figures_are_byte_identical_to_the_pipelines_in_another_process(quick_run, quick_figures):
    """Same tables and params give the same PDF and PNG bytes (no creation date in the PDF)."""
    outdir, _ = quick_figures
    for name in FIGURES:
        for ext in ("pdf", "png"):
            rendered = (outdir / f"{name}.{ext}").read_bytes()
            assert rendered == (quick_run[0] / f"results/quick/figures/{name}.{ext}").read_bytes(), (name, ext)


VARIANT = {"batch": {"k": 2.0, "T": 0.5}, "landauer": {"E0": 12.0, "T": 0.5}, "online": {"r": 2.0, "T": 0.5},
           "tur": {"k": 2.0, "T": 0.5}, "inference": {"g": 1.25, "K": 8.0, "T": 0.5},
           "steady": {"k": 2.0, "T": 0.5}, "committee": {"k": 2.0, "T": 0.5}, "training": {"T": 0.02, "sigma": 2.0}}
"""Parameters a variant config changes, per experiment; the figures are drawn from the quick tables."""


def test_titles_carry_the_parameters_a_variant_config_changes(quick_run, quick_figures, tmp_path):
    workdir, config = quick_run
    settings = yaml.safe_load(config.read_text())
    for experiment, changes in VARIANT.items():
        settings[experiment].update(changes)
    variant = render_all(settings, workdir / "results/quick", tmp_path)
    from thermolearn.plotting import SYMBOLS

    for drawn, expect_found in ((variant, True), (quick_figures[1], False)):  # the quick config: a negative control
        for path, (texts, _) in drawn.items():
            changes = VARIANT[Path(path).stem.split("_")[0]]
            for name, value in changes.items():
                assert (f"${SYMBOLS.get(name, name)} = {value:g}$" in texts) == expect_found, (path, name, texts)
            # no parameter is shown divided by k, but Model F's axis gamma/k (the drift rate in units of k)
            assert "/k" not in texts.replace(r"\gamma/k", ""), (path, texts)


RECORD = {"provenance", "report_page"}
"""The jobs that record the effective config (results/<run>/provenance.yaml, the report's first page): any
change of the config reruns them, and nothing else they do costs more than a second."""


def test_a_figure_only_key_reruns_only_its_figure(quick_run):
    """A job's params hold only the keys it reads: tur.tradeoff_time (read by Model E's figures
    alone) reruns tur_figure and nothing else; the negative control, tur.trajectories (read by the
    simulate jobs), reruns every tur job."""
    workdir, config = quick_run
    settings = yaml.safe_load(config.read_text())
    settings["tur"]["tradeoff_time"] = settings["tur"]["times"][-1]
    settings["run"] = "quick"  # the quick run's results, not a run of its own
    variant = workdir / "figure_variant.yaml"
    variant.write_text(yaml.safe_dump(settings))
    jobs = planned_jobs(snakemake(workdir, "-n", configfile=variant))
    assert set(jobs) - {"all", *RECORD} == {"tur_figure"}, jobs
    settings["tur"]["trajectories"] += 1
    variant.write_text(yaml.safe_dump(settings))
    jobs = planned_jobs(snakemake(workdir, "-n", configfile=variant))
    assert jobs["tur_simulate"] == len(settings["tur"]["nu"]) and jobs["tur_bounds"] == 1, jobs


def test_an_estimate_key_reruns_only_its_experiment_from_the_estimate_stage(quick_run):
    """batch.histogram_bins is read by Model B's estimate jobs (and its fluctuation figure): every
    batch point is estimated again and its downstream jobs follow, no simulation and no other
    experiment's job reruns."""
    workdir, config = quick_run
    settings = yaml.safe_load(config.read_text())
    settings["batch"]["histogram_bins"] += 1
    settings["run"] = "quick"  # the quick run's results, not a run of its own
    variant = workdir / "estimate_variant.yaml"
    variant.write_text(yaml.safe_dump(settings))
    jobs = planned_jobs(snakemake(workdir, "-n", configfile=variant))
    points = len(settings["batch"]["alpha"]) * len(settings["batch"]["nu"])
    assert jobs.get("batch_estimate") == points and "batch_simulate" not in jobs, jobs
    assert all(rule.startswith("batch_") for rule in set(jobs) - {"verdict", "all", *RECORD}), jobs


@pytest.mark.parametrize("change", [{"trajectories": 301}, {"E0": 11.0}])
def test_a_stale_table_is_refused_after_snakemake_forgot_its_params_and_the_line_rebuilds_it(
        quick_run, tmp_path, change):
    """issue 26: delete .snakemake/, change a landauer key: Snakemake plans nothing, but the run prints one
    line naming a stale table and the --forcerun command, and fails (the verdict is stale) instead of
    passing on the old tables; that command then rebuilds them and the run passes."""
    workdir, config = quick_run
    copy = tmp_path / "run"
    shutil.copytree(workdir, copy)
    shutil.rmtree(copy / ".snakemake")
    settings = yaml.safe_load(config.read_text())
    settings["landauer"].update(change)
    settings["run"] = "quick"  # the quick run's results, not a run of its own
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(settings))
    stale = snakemake(copy, configfile=changed)
    assert stale.returncode != 0, stale.stderr[-3000:]
    line = next(line for line in stale.stderr.splitlines() if line.startswith("thermolearn: "))
    assert "results/quick/landauer/simulate/" in line and ": stale: expected params hash " in line, line
    assert "results/quick/bounds/verdict.csv: stale: expected params hash " in stale.stderr, stale.stderr[-3000:]
    rules = line.split("--forcerun ")[1].split()
    assert rules[0] == "landauer_simulate" and "verdict" in rules, rules
    rebuilt = snakemake(copy, "--forcerun", *rules, configfile=changed)
    assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
    again = snakemake(copy, configfile=changed)
    assert again.returncode == 0 and "thermolearn: " not in again.stderr, again.stderr[-3000:]
    trajectories = pd.read_csv(copy / "results/quick/landauer/simulate/protocol~erasure/tau~1.0.csv")
    assert len(trajectories) == settings["landauer"]["trajectories"]
