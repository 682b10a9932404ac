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


def test_config_readme_documents_every_schema_key_with_its_type_and_default():
    rows = documented_rows()
    keys = dict(schema_keys())
    assert set(rows) == set(keys), set(rows) ^ set(keys)
    for key, entry in keys.items():
        kind, _, default, meaning = rows[key]
        item = entry["items"]["type"] if entry["type"] == "array" else None
        expected = entry["type"] if item is None else f"list of {' or '.join(item) if isinstance(item, list) else item}"
        assert kind == expected, key
        assert default == str(entry["default"]) if "default" in entry else default.startswith("required"), key
        assert meaning, key


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
    assert "results/figures" in uploads[0]["with"]["path"] and "results/report.html" in uploads[0]["with"]["path"]
    assert set(workflow[True]) == {"push", "workflow_dispatch"}  # YAML reads the key `on` as True


def test_slurm_profile_plans_the_paper_config(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path),
         "--profile", str(REPO / "workflow/profiles/slurm"), "-n", "--configfile", str(REPO / "config/paper.yaml")],
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
                    "10.1038/nature10872", "10.1103/PhysRevLett.113.190601"}
