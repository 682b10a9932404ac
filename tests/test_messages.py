"""``python -m thermolearn.config``: one line for every kind of refusal, help that is help, and off-grid
errors that list every value off its grid with the keys that change together."""

import subprocess
import sys
from pathlib import Path

import pytest

from thermolearn import config as cfg

REPO = Path(__file__).resolve().parents[1]
QUICK = REPO / "config" / "quick.yaml"


def checker(*arguments):
    """``python -m thermolearn.config ARGUMENTS``: its exit code, standard output and error."""
    result = subprocess.run([sys.executable, "-m", "thermolearn.config", *map(str, arguments)], capture_output=True,
                            text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def check_variant(tmp_path, text):
    """The checker's entry (``thermolearn.config.main``) on config/quick.yaml and a variant over it, in this
    process: the line it exits with, or None when the variant is valid."""
    path = tmp_path / "variant.yaml"
    path.write_text(text)
    try:
        cfg.main([str(QUICK), str(path)])
    except SystemExit as exit:
        return exit.code
    return None


REFUSALS = {  # error class: (variant over quick.yaml, what its one line says)
    "grid": ("batch:\n  fluctuation: {nu: 0.5}\n", "batch.fluctuation.nu (0.5): not in the grid batch.nu"),
    "rule": ("online:\n  rules: [nosuch]\n", "online.rules: rule 'nosuch'"),
    "user rule": ("online:\n  rules: [{name: m, function: 'nosuchmodule:f'}]\n", "online.rules: rule 'm'"),
    "schema": ("batch:\n  N: -5\n", "batch.N: -5 is less than the minimum of 2"),
    "YAML": ("batch: [\n", "variant.yaml, line 2, column 1"),
    "overflow": ("landauer:\n  tau: [1.0, 4.0, 32.0, 1.0e+308]\n", "landauer"),
    "resources": ("tur:\n  trajectories: 100000000\n", "above max_job_mem_mb"),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_every_kind_of_refusal_is_one_line(tmp_path, case):
    text, expected = REFUSALS[case]
    line = check_variant(tmp_path, text)
    assert isinstance(line, str) and "\n" not in line and expected in line, line


def test_a_valid_variant_is_valid(tmp_path):
    """Negative control of the refusals: the same check of a variant that puts no value off its grid."""
    assert check_variant(tmp_path, "batch:\n  fluctuation: {nu: 1.0}\n") is None


@pytest.mark.parametrize("case", ["grid", "rule"])
def test_python_m_prints_the_one_line_without_a_traceback(tmp_path, case):
    """As a command (the module is __main__ there, and the error class must still be the one it catches)."""
    text, expected = REFUSALS[case]
    (tmp_path / "variant.yaml").write_text(text)
    code, out, err = checker(QUICK, tmp_path / "variant.yaml")
    assert code == 1 and out == "" and err.count("\n") == 1 and expected in err and "Traceback" not in err, err


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_help_not_a_file_name(flag):
    code, out, err = checker(flag)
    assert code == 0 and out.startswith("usage: python -m thermolearn.config") and "variants" in out and err == ""


def test_an_unknown_option_is_refused_as_an_option():
    code, _, err = checker("--nosuch")
    assert code == 2 and "unrecognized arguments: --nosuch" in err and "cannot read" not in err


OFF_GRID = {  # variant over quick.yaml: (every value off its grid, the keys that change together)
    "batch: nu without 0.2": (
        "batch:\n  nu: [1.0, 3.0]\n  bound: {nu: [0.2, 1.0, 5.0]}\n",
        ["batch.bound.nu (0.2, 5.0) and batch.fluctuation.nu (0.2)"],
        "batch.nu, batch.bound.nu, batch.fluctuation.nu"),
    "batch: alpha and nu": (
        "batch:\n  alpha: [1.0, 3.0]\n  nu: [1.0, 3.0]\n",
        ["batch.bound.alpha (2.0) and batch.fluctuation.alpha (0.5)", "batch.fluctuation.nu (0.2)"],
        "batch.alpha, batch.bound.alpha, batch.fluctuation.alpha"),
    "online: k without k_fixed": ("online:\n  k: [0.3, 3.0]\n", ["online.k_fixed (1.0)"], "online.k, online.k_fixed"),
    "tur: times without tradeoff_time": ("tur:\n  times: [0.01, 0.1, 2.0]\n", ["tur.tradeoff_time (0.5)"],
                                         "tur.times, tur.tradeoff_time"),
    "steady: gamma and c": ("steady:\n  ratio_point: {gamma: 0.5, c: 2.0}\n",
                            ["steady.ratio_point.gamma (0.5)", "steady.ratio_point.c (2.0)"],
                            "steady.gamma, steady.ratio_point.gamma"),
}


@pytest.mark.parametrize("case", OFF_GRID)
def test_an_off_grid_error_lists_every_value_and_the_keys_that_change_together(tmp_path, case):
    text, offending, together = OFF_GRID[case]
    line = check_variant(tmp_path, text)
    assert all(values in line for values in offending) and f"these keys change together: {together}" in line, line
