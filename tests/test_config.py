"""Bad configs fail before any job starts, with an error naming the key."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def quick():
    return yaml.safe_load((REPO / "config" / "quick.yaml").read_text())


def with_change(path, value):
    config = quick()
    *parents, last = path
    node = config
    for key in parents:
        node = node[key]
    node[last] = value
    return config


BAD = {
    "negative N": (with_change(["batch", "N"], -5), "batch.N"),
    "alpha = 0": (with_change(["batch", "alpha"], [0.0, 1.0]), "batch.alpha"),
    "string for nu": (with_change(["batch", "nu"], ["fast", 1.0]), "batch.nu"),
    "unknown key": (with_change(["batch", "temperature"], 2.0), "temperature"),
    "non-increasing times": (with_change(["batch", "times"], [1.0, 0.5, 10.0]), "batch.times"),
    "t_f k < 10": (with_change(["batch", "times"], [0.5, 2.0]), "batch.times"),
    "bound point off the grid": (with_change(["batch", "bound", "alpha"], 3.0), "batch.bound.alpha"),
    "tau = 0": (with_change(["landauer", "tau"], [0.0, 4.0, 32.0, 64.0]), "landauer.tau"),
    "unstable dt": (with_change(["landauer", "dt"], 0.01), "landauer.dt"),
    "too few tau for the fit": (with_change(["landauer", "fit_min_tau"], 64.0), "landauer.fit_min_tau"),
    "unknown rule": (with_change(["online", "rules"], ["hebbian", "oja"]), "online.rules"),
    "fixed nu off the grid": (with_change(["online", "nu_fixed"], 0.5), "online.nu_fixed"),
    "input of the wrong width": (with_change(["inference", "u_end"], [1.0, 2.0]), "inference.u_end"),
    "trade-off time off the grid": (with_change(["tur", "tradeoff_time"], 0.3), "tur.tradeoff_time"),
    "string for an integer": (with_change(["online", "N"], "200"), "online.N"),
    "empty grid": (with_change(["batch", "alpha"], []), "batch.alpha"),
    "too many trials for memory": (with_change(["batch", "trials"], 10**7), "batch.trials"),
    "float trials": (with_change(["landauer", "trajectories"], 100.5), "landauer.trajectories"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_config_is_refused_naming_the_key(tmp_path, case):
    config, key = BAD[case]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(config))
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path),
         "--configfile", str(path), "--cores", "1"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode != 0
    output = (result.stdout + result.stderr).splitlines()
    # Snakemake's header line "ConfigError in file ...", then one line that names the key
    header = next(i for i, line in enumerate(output) if line.startswith("ConfigError"))
    assert key in output[header + 1], "\n".join(output)
    assert not (tmp_path / "results").exists()
