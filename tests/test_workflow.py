"""The workflow as Snakemake users meet it: documented config, README commands in CI, a cluster
profile that plans, and clean lint."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from helpers import tagged_block

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def schema_keys(properties=None, prefix=""):
    """Dotted names of every leaf key of the config schema, with its schema entry."""
    if properties is None:
        properties = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())["properties"]
    for name, entry in properties.items():
        if entry.get("type") == "object":
            yield from schema_keys(entry["properties"], f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", entry


def documented_rows():
    """key -> the cells of its row in config/README.md."""
    rows = {}
    for line in (REPO / "config/README.md").read_text().splitlines():
        match = re.match(r"\| `([\w.]+)` \|(.*)\|$", line)
        if match:
            rows[match[1]] = [cell.strip() for cell in match[2].split("|")]
    return rows


def test_config_readme_key_tables_are_generated_from_the_schema():
    """config/README.md's key tables are those `python -m thermolearn.config --document` makes from the
    schema now: every key, its type, range, default and meaning."""
    from thermolearn import config

    assert (REPO / "config/README.md").read_text() == config.document(), "run python -m thermolearn.config --document"
    rows = documented_rows()
    assert set(rows) == {key for key, _ in schema_keys()}


def test_each_default_is_written_once_in_the_schema_or_in_config_yaml():
    default = yaml.safe_load((REPO / "config/config.yaml").read_text())
    for key, entry in schema_keys():
        section, _, name = key.rpartition(".")
        where = default
        for part in filter(None, section.split(".")):
            where = where.get(part, {})
        assert not ("default" in entry and name in where), f"{key}: default in the schema and in config/config.yaml"


def readme_commands():
    """The README's two set-up commands, the pipeline's and the tests' (its tagged code blocks)."""
    return [tagged_block(REPO / "README.md", tag) for tag in ("setup-pipeline", "setup-tests")]


def test_github_workflow_runs_the_readme_commands():
    workflow = yaml.safe_load((REPO / ".github/workflows/figures.yml").read_text())
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    pipeline, tests = readme_commands()
    assert tests in steps and pipeline in steps
    assert tests in (REPO / ".ci/run").read_text().splitlines(), "the README's test command is .ci/run's"
    assert any("--report" in step for step in steps)
    uploads = [step for job in workflow["jobs"].values() for step in job["steps"]
               if step.get("uses", "").startswith("actions/upload-artifact")]
    uploaded = uploads[0]["with"]["path"]
    assert "results/default/figures" in uploaded and "results/default/report.html" in uploaded
    assert set(workflow[True]) == {"push", "workflow_dispatch"}  # YAML reads the key `on` as True


def test_slurm_profile_plans_the_paper_config(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path),
         "--workflow-profile", str(REPO / "profiles/slurm"), "-n", "--configfile", str(REPO / "config/paper.yaml")],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    plan = result.stdout + result.stderr
    simulate_jobs = re.findall(r"rule \w+_simulate:.*?resources: ([^\n]+)", plan, flags=re.S)
    assert simulate_jobs and all("mem_mb=" in r and "runtime=" in r for r in simulate_jobs)
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("command", [
    ["snakemake", "--lint"],
    ["snakefmt", "--check", "Snakefile", "workflow"],
    ["ruff", "check", "."],
])
def test_lint_is_clean(command):
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    if command[0] == "snakemake":
        assert "Congratulations, your workflow is in a good condition!" in result.stdout + result.stderr


def test_license_and_citation_match_the_package_and_cite_the_reproduced_papers():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n\nCopyright (c) 2026 thermolearn contributors")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["license"] == project["license"]
    assert citation["version"] == project["version"]
    dois = {reference.get("doi") for reference in citation["references"]}
    assert dois >= {"10.1103/PhysRevLett.118.010601", "10.1088/1367-2630/aa89ff", "10.48550/arXiv.2503.09980",
                    "10.1038/nature10872", "10.1103/PhysRevLett.113.190601",
                    # the steady-state result (Model F): learning rate and the finite-time TUR
                    "10.1088/1367-2630/16/10/103024", "10.1103/PhysRevE.96.012101", "10.1103/PhysRevE.96.020103"}
