"""A user's learning rule is known by its code: editing the function reruns its points (Snakemake) and
recomputes its theory (Python), and the Python API takes the function itself."""

import importlib
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
import yaml

from thermolearn.experiments import online
from thermolearn.experiments.online import rules
from thermolearn.experiments.online.theory import closed_form_averages, order_parameters, quadrature_averages

REPO = Path(__file__).resolve().parents[1]
SAME = dict(nu=1.0, k=1.0, T=1.0, r=1.0)

HEBBIAN = "def f(h, sigma_T):\n    return 1.0\n"
PERCEPTRON = "def f(h, sigma_T):\n    return 1.0 if sigma_T * h < 0.0 else 0.0\n"


def defined(source, module="notebook"):
    """The function f that ``source`` defines, as a notebook cell run in module ``module`` defines it."""
    namespace = {"__name__": module}
    exec(compile(source, f"<{module}>", "exec"), namespace)
    return namespace["f"]


def test_the_fingerprint_follows_the_code_not_the_place():
    hebbian = rules.fingerprint(defined(HEBBIAN))
    assert rules.fingerprint(defined("\n\n# moved down\n" + HEBBIAN)) == hebbian  # control: same code
    assert rules.fingerprint(defined(PERCEPTRON)) != hebbian
    assert rules.fingerprint(defined(HEBBIAN.replace("1.0", "2.0"))) != hebbian
    assert rules.fingerprint(defined("def f(h, sigma_T, kappa=0.5):\n    return kappa\n")) != \
        rules.fingerprint(defined("def f(h, sigma_T, kappa=0.7):\n    return kappa\n"))


def test_the_python_api_takes_a_function_and_recomputes_the_theory_of_a_redefined_one():
    """A notebook's f, given itself: redefined, its theory is the new rule's (the closed forms agree with
    the quadrature to 1e-8: test_online.py)."""
    first = order_parameters(defined(HEBBIAN), [1.0], **SAME)
    second = order_parameters(defined(PERCEPTRON), [1.0], **SAME)
    for result, shipped in ((first, "hebbian"), (second, "perceptron")):
        assert result["eta"] == pytest.approx(order_parameters(shipped, [1.0], **SAME)["eta"], rel=1e-8)
    assert rules.resolve(defined(HEBBIAN)).name == "f"


def test_a_rule_named_module_function_is_recomputed_after_its_function_is_redefined(monkeypatch):
    """The string form ("notebook:f", as "__main__:f" in a notebook): the caches are keyed by the code."""
    notebook = types.ModuleType("notebook_rules")
    monkeypatch.setitem(sys.modules, "notebook_rules", notebook)
    entry = {"name": "mine", "function": "notebook_rules:f"}
    R, q = 0.3, 1.2
    for source, shipped in ((HEBBIAN, "hebbian"), (PERCEPTRON, "perceptron"), (HEBBIAN, "hebbian")):
        notebook.f = defined(source, "notebook_rules")
        averages = quadrature_averages(rules.resolve(entry), R, q)
        assert averages == pytest.approx(closed_form_averages(shipped, R, q), abs=1e-8)


def test_simulate_takes_a_function_and_gives_the_bytes_of_the_same_rule_named_in_a_module(monkeypatch):
    module = types.ModuleType("same_rules")
    module.f = defined(PERCEPTRON, "same_rules")
    monkeypatch.setitem(sys.modules, "same_rules", module)
    run = dict(nu=1.0, k=1.0, N=40, T=1.0, r=1.0, alpha=[0.5, 1.0], trials=4, test_samples=10, seed=3, key="f")
    named = {"name": "f", "function": "same_rules:f"}
    given, named = (online.simulate(rule=rule, **run) for rule in (defined(PERCEPTRON), named))
    for a, b in zip(given, named):
        assert a.equals(b)


def test_job_params_carry_the_code_of_a_user_rule_only(tmp_path, monkeypatch):
    """Shipped rules keep their params (no rerun of existing results); a user rule's change with its file."""
    (tmp_path / "edited_rules.py").write_text(HEBBIAN)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert rules.tracked("hebbian") == {"name": "hebbian", "function": "hebbian", "params": {}}
    entry = {"name": "mine", "function": "edited_rules:f"}
    before = rules.tracked(entry)
    assert before == {**rules.spec(entry), "code": rules.fingerprint(defined(HEBBIAN))}
    (tmp_path / "edited_rules.py").write_text(PERCEPTRON)
    importlib.reload(importlib.import_module("edited_rules"))
    assert rules.tracked(entry)["code"] != before["code"]
    assert rules.resolve(before) == rules.resolve(entry)  # a job's params resolve to the rule it runs now


def planned(workdir, config, targets, env):
    """The jobs ``snakemake -n`` plans for ``targets``, by rule."""
    result = subprocess.run([sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
                             "--directory", str(workdir), "--cores", "2", "-n", *targets, "--configfile", str(config)],
                            capture_output=True, text=True, timeout=600, env=env)
    printed = result.stdout + result.stderr
    assert result.returncode == 0, printed[-3000:]
    jobs = [line.split()[1].rstrip(":") for line in printed.splitlines() if line.strip().startswith("rule ")]
    assert bool(jobs) != ("Nothing to be done" in printed), printed[-3000:]
    return jobs


@pytest.mark.slow
@pytest.mark.pipeline
def test_editing_a_user_rules_function_reruns_its_points_only(tmp_path):
    folder = tmp_path / "myrules"
    folder.mkdir()
    rule_file = folder / "myrules.py"
    rule_file.write_text(textwrap.dedent(PERCEPTRON))
    config = tmp_path / "my.yaml"
    settings = yaml.safe_load((REPO / "config/quick.yaml").read_text())
    settings["online"]["rules"] = ["hebbian", {"name": "mine", "function": "myrules:f"}]
    config.write_text(yaml.safe_dump(settings))
    targets = [f"results/my/online/simulate/rule~{rule}/nu~1.0/k~1.0.csv" for rule in ("hebbian", "mine")]
    env = {**os.environ, "PYTHONPATH": str(folder)}
    run = subprocess.run([sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory",
                          str(tmp_path), "--cores", "2", *targets, "--configfile", str(config)],
                         capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    assert planned(tmp_path, config, targets, env) == []
    rule_file.write_text("# a comment above the function moves it, and changes nothing\n" + PERCEPTRON)
    assert planned(tmp_path, config, targets, env) == []
    rule_file.write_text(PERCEPTRON.replace("1.0 if", "0.5 if"))
    assert planned(tmp_path, config, targets, env) == ["online_simulate"]
