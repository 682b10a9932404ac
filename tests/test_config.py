"""Bad configs are refused before any job starts, with one line naming the key, its value and the
allowed range; good ones pass and print what they change."""

import math
import subprocess
import sys
from pathlib import Path

import pytest

from thermolearn import config as cfg
from thermolearn import resources

REPO = Path(__file__).resolve().parents[1]
QUICK = REPO / "config" / "quick.yaml"
NAN, INF = float("nan"), float("inf")


def over_quick(variant):
    """A variant (only what it changes) merged over the default and quick.yaml, as a run sees it."""
    return cfg.merge(cfg.merge(cfg.load(cfg.DEFAULT), cfg.load(QUICK)), variant)


BAD = {  # case: (variant over quick.yaml, the key its message must name)
    "negative N": ({"batch": {"N": -5}}, "batch.N"),
    "alpha = 0": ({"batch": {"alpha": [0.0, 1.0]}}, "batch.alpha"),
    "alpha N not a whole number": ({"batch": {"alpha": [0.5, 2.01]}}, "batch.alpha"),
    "no tilt: nothing is erased": ({"landauer": {"a_max": 0.0}}, "landauer.a_max"),
    "barrier not lowered": ({"landauer": {"b_min": 1.0}}, "landauer.b_min"),
    "string for nu": ({"batch": {"nu": ["fast", 1.0]}}, "batch.nu"),
    "unknown key": ({"batch": {"temperature": 2.0}}, "temperature"),
    "run name leaving results/": ({"run": "../elsewhere"}, "run"),
    "non-increasing times": ({"batch": {"times": [1.0, 0.5, 10.0]}}, "batch.times"),
    "t_f k < 10": ({"batch": {"times": [0.5, 2.0]}}, "batch.times"),
    "bound point off the grid": ({"batch": {"bound": {"alpha": 3.0}}}, "batch.bound.alpha"),
    "tau = 0": ({"landauer": {"tau": [0.0, 4.0, 32.0, 64.0]}}, "landauer.tau"),
    "unstable dt": ({"landauer": {"dt": 0.01}}, "landauer.dt"),
    "too few tau for the fit": ({"landauer": {"fit_min_tau": 64.0}}, "landauer.fit_min_tau"),
    "unknown rule": ({"online": {"rules": ["hebbian", "oja"]}}, "online.rules"),
    "fixed nu off the grid": ({"online": {"nu_fixed": 0.5}}, "online.nu_fixed"),
    "input of the wrong width": ({"inference": {"u_end": [1.0, 2.0]}}, "inference.u_end"),
    "trade-off time off the grid": ({"tur": {"tradeoff_time": 0.3}}, "tur.tradeoff_time"),
    "string for an integer": ({"online": {"N": "200"}}, "online.N"),
    "empty grid": ({"batch": {"alpha": []}}, "batch.alpha"),
    "too many trials for memory": ({"batch": {"trials": 10**7}}, "batch.trials"),
    "float trials": ({"landauer": {"trajectories": 100.5}}, "landauer.trajectories"),
    # issue 14: mid-run failures and silently wrong runs
    "k = nan": ({"batch": {"k": NAN}}, "batch.k"),
    "T = inf": ({"landauer": {"T": INF}}, "landauer.T"),
    "E0 = inf blames E0, not dt": ({"landauer": {"E0": INF}}, "landauer.E0"),
    "r = 1e-12": ({"online": {"r": 1e-12}}, "online.r"),
    "float histogram bins": ({"batch": {"histogram_bins": 40.0}}, "batch.histogram_bins"),
    "tur.N = 100000 (memory)": ({"tur": {"N": 100000}}, "tur.N"),
    "1e9 Landauer trajectories (time)": ({"landauer": {"trajectories": 10**9}}, "landauer.trajectories"),
    "1e9 TUR trajectories": ({"tur": {"trajectories": 10**9}}, "tur.trajectories"),
    "1e9 inference trajectories": ({"inference": {"trajectories": 10**9}}, "inference.trajectories"),
    "1e11 test samples": ({"online": {"test_samples": 10**11}}, "online.test_samples"),
    "wide inference layers": ({"inference": {"widths": [4, 10000, 10000, 2], "trajectories": 1000}},
                              "inference.widths"),
    "inference tau shorter than dt": ({"inference": {"tau": [0.001, 8.0, 32.0]}}, "inference.tau"),
    # every numeric key class: zero, negative, NaN, infinity
    "nan in a grid": ({"batch": {"nu": [NAN, 1.0]}}, "batch.nu"),
    "-inf weight scale": ({"inference": {"g": -INF}}, "inference.g"),
    "inf in tur times": ({"tur": {"times": [0.01, 0.1, 0.5, INF]}}, "tur.times"),
    "k = 0": ({"batch": {"k": 0.0}}, "batch.k"),
    "negative temperature": ({"online": {"T": -1.0}}, "online.T"),
    "zero trials": ({"online": {"trials": 0}}, "online.trials"),
    "negative seed": ({"seed": -1}, "seed"),
    "negative dt": ({"inference": {"dt": -0.005}}, "inference.dt"),
    "nan fit_min_tau": ({"inference": {"fit_min_tau": NAN}}, "inference.fit_min_tau"),
    "b_min above 1": ({"landauer": {"b_min": 2.0}}, "landauer.b_min"),
    "N above the maximum": ({"batch": {"N": 10**6}}, "batch.N"),
    "nu above the maximum": ({"online": {"nu": [0.3, 1.0, 5000.0]}}, "online.nu"),
    "r above the maximum": ({"online": {"r": 1e6}}, "online.r"),
    # wrong types
    "string seed": ({"seed": "abc"}, "seed"),
    "boolean for a number": ({"batch": {"k": True}}, "batch.k"),
    "boolean for an integer": ({"batch": {"N": True}}, "batch.N"),
    "list for a number": ({"batch": {"T": [1.0]}}, "batch.T"),
    "number for a list": ({"batch": {"alpha": 0.5}}, "batch.alpha"),
    "null value": ({"tur": {"k": None}}, "tur.k"),
    "number for a section": ({"landauer": 5}, "landauer"),
    "string for a fixed point": ({"online": {"k_fixed": "one"}}, "online.k_fixed"),
    # empty lists and non-increasing grids
    "no rules": ({"online": {"rules": []}}, "online.rules"),
    "no tur times": ({"tur": {"times": []}}, "tur.times"),
    "repeated tau": ({"landauer": {"tau": [1.0, 4.0, 4.0, 64.0]}}, "landauer.tau"),
    "decreasing online alpha": ({"online": {"alpha": [2.0, 0.5]}}, "online.alpha"),
    "decreasing tur times": ({"tur": {"times": [0.5, 0.1, 2.0]}}, "tur.times"),
    "decreasing inference tau": ({"inference": {"tau": [32.0, 8.0, 1.0]}}, "inference.tau"),
    # unknown keys
    "misspelt top-level key": ({"sed": 7}, "sed"),
    "unknown section": ({"landau": {"tau": [1.0]}}, "landau"),
    # grid points off the grid, wrong widths
    "fluctuation nu off the grid": ({"batch": {"fluctuation": {"nu": 0.5}}}, "batch.fluctuation.nu"),
    "bound nu off the grid": ({"batch": {"bound": {"nu": [0.5]}}}, "batch.bound.nu"),
    "fixed k off the grid": ({"online": {"k_fixed": 3.0}}, "online.k_fixed"),
    "start input of the wrong width": ({"inference": {"u_start": [1.0]}}, "inference.u_start"),
    "one layer": ({"inference": {"widths": [4]}}, "inference.widths"),
    "empty layer": ({"inference": {"widths": [4, 0, 2]}}, "inference.widths"),
    # sizes and groups
    "more batch groups than trials": ({"batch": {"jackknife_groups": 500}}, "batch.jackknife_groups"),
    "more online groups than trials": ({"online": {"jackknife_groups": 50}}, "online.jackknife_groups"),
    "no sample at the first online alpha": ({"online": {"alpha": [0.001, 2.0]}}, "online.alpha"),
    "two alpha with the same samples": ({"online": {"alpha": [0.5, 0.501]}}, "online.alpha"),
    "no sample at the first batch alpha": ({"batch": {"alpha": [0.001, 2.0]}}, "batch.alpha"),
    "no sample in the TUR data set": ({"tur": {"alpha": 0.001}}, "tur.alpha"),
    "unstable inference dt": ({"inference": {"dt": 0.05}}, "inference.dt"),
    "Landauer tau shorter than four steps": ({"landauer": {"tau": [0.002, 4.0, 32.0, 64.0]}}, "landauer.tau"),
    "memory limit below the interpreter": ({"max_job_mem_mb": 50}, "max_job_mem_mb"),
    "zero hours": ({"max_job_hours": 0}, "max_job_hours"),
    "jobs longer than the hour limit": ({"max_job_hours": 0.01}, "max_job_hours"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_config_is_refused_in_one_line_naming_the_key(case):
    variant, key = BAD[case]
    with pytest.raises(cfg.ConfigError) as refused:
        cfg.validate(over_quick(variant))
    message = str(refused.value)
    assert key in message
    assert "\n" not in message


def test_the_table_has_at_least_45_bad_configs():
    assert len(BAD) >= 45


@pytest.mark.parametrize("name", ["config", "quick", "paper"])
def test_shipped_configs_are_valid(name):
    """The positive control of every check above."""
    config = cfg.validate(over_quick({}) if name == "quick" else cfg.merge(cfg.load(cfg.DEFAULT),
                                                                            cfg.load(REPO / f"config/{name}.yaml")))
    assert config["max_job_hours"] == 48 and config["max_job_mem_mb"] == 16000


@pytest.mark.parametrize("text, refused", [("1e-1", True), ("1.0e1", True), ("1.0e+1", False)])
def test_an_exponent_yaml_reads_as_text_is_refused_with_how_to_write_it(tmp_path, text, refused):
    variant = tmp_path / "variant.yaml"
    variant.write_text(f"batch:\n  k: {text}\n")
    if not refused:
        cfg.validate(cfg.merge(cfg.load(cfg.DEFAULT), cfg.load(variant)))
        return
    with pytest.raises(cfg.ConfigError, match=r"^batch\.k: .*YAML reads .* as text: write .*1\.0e-3$"):
        cfg.validate(cfg.merge(cfg.load(cfg.DEFAULT), cfg.load(variant)))


def test_a_quoted_integer_gets_no_exponent_hint():
    with pytest.raises(cfg.ConfigError) as refused:
        cfg.validate(over_quick({"online": {"N": "200"}}))
    assert "YAML reads" not in str(refused.value)


def test_nan_is_refused_before_the_range_checks_that_it_would_pass():
    message = str(pytest.raises(cfg.ConfigError, cfg.validate, over_quick({"batch": {"T": NAN}})).value)
    assert message.startswith("batch.T: nan is not finite")


LONG_LANDAUER = {"landauer": {"trajectories": 3 * 10**7}}
"""3e7 trajectories * 64 / 1e-3 steps at the measured rate on 2 threads: hours per job (``landauer_hours``)."""


def landauer_hours():
    """The request of LONG_LANDAUER's longest job: its steps at the measured rate on 2 threads, plus the measured
    start, times the margin, in whole minutes."""
    seconds = 3e7 * 64 / 1e-3 / (resources.rate("landauer") * 2) + resources.measured("landauer", "start_s")
    return math.ceil(resources.RUNTIME_MARGIN * seconds / 60) / 60


def test_resource_messages_give_the_estimate_and_the_limit():
    limit = max(math.floor(landauer_hours() / 2), 1)
    long_jobs = over_quick(cfg.merge(LONG_LANDAUER, {"max_job_hours": limit}))
    time = str(pytest.raises(cfg.ConfigError, cfg.validate, long_jobs).value)
    assert f"landauer: the longest simulate job would request about {landauer_hours():.3g} h" in time
    assert (f"at {resources.rate('landauer'):.2g}/s per thread on 2 threads, x {resources.RUNTIME_MARGIN}), "
            f"above max_job_hours = {limit}") in time
    memory = str(pytest.raises(cfg.ConfigError, cfg.validate, over_quick({"tur": {"N": 100000}})).value)
    # the margin x (the measured base + 8 B (1e5 * 1e5 data + 8 * 500 trajectories * 4 times) / 2^20)
    data_mb = 8 * (1e10 + 8 * 500 * 4) / 2**20
    need = math.ceil(resources.MEMORY_MARGIN * (resources.measured("tur", "base_mb") + data_mb))
    assert f"tur: one simulate job would need about {need} MB" in memory
    assert "above max_job_mem_mb = 16000" in memory


def test_raising_the_limits_admits_a_large_config():
    """The limits are the only reason a large but sound config is refused."""
    assert landauer_hours() > 2  # a large config: the negative control below refuses it
    large = cfg.merge(LONG_LANDAUER, {"max_job_hours": math.ceil(landauer_hours())})
    assert cfg.validate(over_quick(large))["landauer"]["trajectories"] == 3 * 10**7
    with pytest.raises(cfg.ConfigError, match="max_job_hours"):
        cfg.validate(over_quick(cfg.merge(LONG_LANDAUER, {"max_job_hours": math.floor(landauer_hours()) - 1})))


def test_defaults_are_filled_in():
    config = over_quick({})
    del config["batch"]["histogram_bins"]
    assert "max_job_mem_mb" not in config
    cfg.validate(config)
    assert config["batch"]["histogram_bins"] == 80 and config["max_job_mem_mb"] == 16000


BAD_FILES = {  # case: (file text, what the message must say)
    "unclosed list": ("batch:\n  N: [1\n", "line 3, column 1"),
    "tab indentation": ("batch:\n\tN: 5\n", "line 2, column 1"),
    "duplicated key": ("seed: 7\nbatch:\n  N: 40\n  N: 50\n", "line 4, column 3: duplicated key 'N' (first on line 3)"),
    "duplicated section": ("batch:\n  N: 40\nbatch:\n  k: 2.0\n", "line 3, column 1: duplicated key 'batch'"),
    "a list, not a mapping": ("- 1\n- 2\n", "a config file is a mapping"),
    "empty file": ("", "a config file is a mapping"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_bad_yaml_is_refused_with_file_line_and_column(tmp_path, case):
    text, expected = BAD_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    message = str(pytest.raises(cfg.ConfigError, cfg.load, path).value)
    assert message.startswith(f"{path}") and expected in message and "\n" not in message


def test_missing_file_is_refused_in_one_line(tmp_path):
    message = str(pytest.raises(cfg.ConfigError, cfg.load, tmp_path / "nothere.yaml").value)
    assert message == f"{tmp_path / 'nothere.yaml'}: cannot read the config file (No such file or directory)"


def test_differences_list_only_the_changed_keys():
    default = cfg.validate(cfg.load(cfg.DEFAULT))
    config = cfg.validate(cfg.merge(default, {"batch": {"N": 60, "bound": {"nu": [0.2]}}, "seed": 20170101}))
    assert cfg.differences(config, default) == [
        "batch.N = 60 (default 100)", "batch.bound.nu = [0.2] (default [0.2, 1.0, 5.0])"
    ]
    assert cfg.differences(default, default) == []


def test_merge_keeps_the_default_sections_a_variant_leaves_out():
    default = cfg.load(cfg.DEFAULT)
    merged = cfg.merge(default, {"batch": {"N": 60}})
    assert merged["batch"]["N"] == 60 and merged["batch"]["k"] == default["batch"]["k"]
    assert merged["tur"] == default["tur"] and default["batch"]["N"] == 100


def test_a_run_is_named_by_its_key_else_its_last_configfile_else_default():
    """Every output goes under results/<run>/ (the one root, thermolearn.config.results_dir)."""
    assert cfg.run_name({}, []) == "default" and cfg.run_name({}, [cfg.DEFAULT]) == "default"
    assert cfg.run_name({}, ["config/quick.yaml", "/tmp/my.variant.yaml"]) == "my.variant"
    assert cfg.run_name({"run": "mine"}, ["config/quick.yaml"]) == "mine"
    assert cfg.results_dir(cfg.run_name({}, ["config/quick.yaml"])) == "results/quick"
    with pytest.raises(cfg.ConfigError, match=r"run: ' spaced' \(the stem of /tmp/ spaced.yaml\) is not a run name"):
        cfg.run_name({}, ["/tmp/ spaced.yaml"])  # negative control: a stem that is no path piece


# End to end through Snakemake: the line the user sees, and that nothing started.


def snakemake(tmp_path, configfile, *targets):
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
         "--directory", str(tmp_path / "run"), "--cores", "1", *targets, "--configfile", str(configfile)],
        capture_output=True, text=True, timeout=300,
    )


def user_lines(result):
    """What Snakemake prints, without its notes that it created the working directory, uses the workflow
    profile (profiles/default) and merged the variant over the default."""
    notes = ("Creating specified working directory", "Using workflow specific profile",
             f"Config file {REPO / 'config/config.yaml'} is extended")
    lines = (result.stdout + result.stderr).splitlines()
    return [line for line in lines if line.strip() and not line.startswith(notes)]


END_TO_END = {  # case: (variant text, the one line the user sees)
    "negative N": ("batch:\n  N: -5\n",
                   "batch.N: -5 is less than the minimum of 2 (allowed: type integer, minimum 2, maximum 100000)"),
    "duplicated key": ("seed: 7\nbatch:\n  N: 40\n  N: 50\n",
                       "{path}, line 4, column 3: duplicated key 'N' (first on line 3)"),
    "k = nan": ("batch:\n  k: .nan\n", "batch.k: nan is not finite (allowed: finite numbers)"),
    "float histogram bins": ("batch:\n  histogram_bins: 40.0\n",
                             "batch.histogram_bins: 40.0 is not of type 'integer' "
                             "(allowed: type integer, minimum 5, maximum 1000)"),
    "inference tau shorter than dt": ("inference:\n  tau: [0.001, 8.0, 32.0]\n  fit_min_tau: 8.0\n",
                                      "inference.tau: the shortest tau must span four steps dt = 0.005, got 0.001"),
    "unknown key": ("batch:\n  temperature: 2.0\n",
                    "batch: Additional properties are not allowed ('temperature' was unexpected)"),
    "1e7 Landauer trajectories in one hour": ("max_job_hours: 1\nlandauer:\n  trajectories: 10000000\n",
                                              "landauer: the longest simulate job would request about "),
    "a user rule whose module is missing": (
        "online:\n  rules: [hebbian, {name: mine, function: 'nowhere.rules:margin', params: {kappa: 0.5}}]\n",
        "online.rules: rule 'mine' (nowhere.rules:margin): module 'nowhere' not found (is its folder on PYTHONPATH?)"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", END_TO_END, ids=list(END_TO_END))
def test_snakemake_refuses_with_one_line_before_any_job(tmp_path, case):
    text, line = END_TO_END[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = snakemake(tmp_path, path)
    assert result.returncode == 1
    lines = user_lines(result)
    assert len(lines) == 1 and lines[0].startswith(line.format(path=path)), "\n".join(lines)
    assert not (tmp_path / "run" / "results").exists()


@pytest.mark.slow
@pytest.mark.parametrize("text", ["batch:\n  N: [1\n", None], ids=["YAML syntax error", "missing file"])
def test_unreadable_configfile_starts_nothing_and_the_checker_names_the_line(tmp_path, text):
    """Snakemake reads --configfile before the workflow and reports these itself (a syntax error
    without its line); ``python -m thermolearn.config`` gives the file, line and column."""
    path = tmp_path / "bad.yaml"
    if text is not None:
        path.write_text(text)
    result = snakemake(tmp_path, path)
    assert result.returncode == 1
    assert not (tmp_path / "run" / "results").exists()
    check = subprocess.run([sys.executable, "-m", "thermolearn.config", str(path)], capture_output=True, text=True)
    expected = "line 3, column 1: expected ',' or ']'" if text else "cannot read the config file"
    assert check.returncode == 1 and check.stderr.count("\n") == 1 and expected in check.stderr, check.stderr


@pytest.mark.slow
def test_a_variant_lists_only_what_it_changes_and_the_run_prints_it(tmp_path):
    """Positive control end to end: a one-key variant plans the run and prints one line per change."""
    path = tmp_path / "variant.yaml"
    path.write_text("batch:\n  N: 60\n")
    result = snakemake(tmp_path, path, "-n", "results/variant/tables/tur_summary.csv")
    assert result.returncode == 0, result.stderr
    assert [line for line in user_lines(result) if line.startswith("config:")] == ["config: batch.N = 60 (default 100)"]
    assert not (tmp_path / "run" / "results").exists()
    check = subprocess.run([sys.executable, "-m", "thermolearn.config", str(path)], capture_output=True, text=True)
    assert check.returncode == 0 and check.stderr == f"config: batch.N = 60 (default 100)\n{path}: valid\n"


# Grids: a value within 1e-12 of a grid point is that point (one job, one seed, one row).

POINT = 0.1 * 3  # 0.30000000000000004, as a program writes 0.3


@pytest.mark.parametrize("variant, key, grid_key", [
    ({"online": {"nu": [POINT, 1.0], "k_fixed": 1.0, "nu_fixed": 0.3}}, ("online", "nu_fixed"), None),
    ({"online": {"k": [0.3, 1.0], "k_fixed": POINT}}, ("online", "k_fixed"), ("online", "k")),
    ({"tur": {"tradeoff_time": 0.5 + 1e-16}}, ("tur", "tradeoff_time"), ("tur", "times")),
    ({"steady": {"ratio_point": {"gamma": 0.1 * 3}}}, ("steady", "ratio_point", "gamma"), ("steady", "gamma")),
    ({"batch": {"fluctuation": {"nu": 0.2 * (1 + 4e-16)}}}, ("batch", "fluctuation", "nu"), ("batch", "nu")),
])
def test_a_point_within_tolerance_of_the_grid_is_snapped_to_the_grids_float(variant, key, grid_key):
    config = cfg.validate(over_quick(variant))
    section = config
    for part in key[:-1]:
        section = section[part]
    value = section[key[-1]]
    grid = config[grid_key[0]][grid_key[1]] if grid_key else config["online"]["nu"]
    assert any(value == point and repr(value) == repr(point) for point in grid), (value, grid)


def test_a_snapped_online_point_is_one_point_of_the_space():
    """nu = 0.1 * 3 on the grid, nu_fixed = 0.3: one (rule, nu, k) point, not two with two seeds."""
    from thermolearn.experiments.online import spec as online_spec

    config = cfg.validate(over_quick({"online": {"nu": [0.1, POINT, 1.0], "nu_fixed": 0.3}}))
    space = online_spec.space(config)
    assert sorted(set(space["nu"])) == [0.1, POINT, 1.0]
    unsnapped = over_quick({"online": {"nu": [0.1, POINT, 1.0], "nu_fixed": 0.3}})
    unsnapped["online"]["nu_fixed"] = 0.3  # what the space held before the snap: 0.3 and 0.1 * 3 both
    assert len(set(online_spec.space(unsnapped)["nu"])) == 4


@pytest.mark.parametrize("variant, key", [
    ({"online": {"nu": [0.3, POINT, 1.0]}}, "online.nu"),
    ({"batch": {"nu": [0.2, 1.0, 0.2 * (1 + 4e-16)]}}, "batch.nu"),
    ({"landauer": {"tau": [1.0, 4.0, 4.0 * (1 + 4e-16), 64.0]}}, "landauer.tau"),
])
def test_two_grid_values_within_tolerance_are_refused_as_one_point(variant, key):
    message = str(pytest.raises(cfg.ConfigError, cfg.validate, over_quick(variant)).value)
    assert message.startswith(f"{key}: ") and "are one point" in message and "\n" not in message


def test_an_exact_grid_value_is_kept_as_written():
    """Negative control: a point equal to the grid's is left alone (1 stays the int the config wrote)."""
    config = cfg.validate(over_quick({"online": {"k": [0.3, 1], "k_fixed": 1}}))
    assert config["online"]["k_fixed"] == 1 and isinstance(config["online"]["k_fixed"], int)
    assert config["online"]["nu_fixed"] == 1.0


# The checker: one line for every refusal (issue 26).

ALIAS_BOMB = "".join(f"{name}: &{name} [{', '.join([f'*{previous}' if previous else '1'] * 9)}]\n"
                     for previous, name in zip(["", *"abcdefgh"], "abcdefghi"))
"""Nine levels of nine aliases: 9^9 = 387 million values from about 400 bytes."""


def checker(tmp_path, text, name="variant.yaml", mode="w"):
    """``python -m thermolearn.config`` on a variant: its exit code and what it printed."""
    path = tmp_path / name
    path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text)
    result = subprocess.run([sys.executable, "-m", "thermolearn.config", str(path)], capture_output=True, text=True,
                            timeout=120)
    return result.returncode, result.stderr


CHECKER_REFUSES = {  # case: (variant text, what its one line must say)
    "401-digit integer": (f"batch:\n  trials: {10**400}\n", "batch.trials: an integer of 401 digits is beyond"),
    "401-digit seed": (f"seed: {10**400}\n", "seed: an integer of 401 digits"),
    "tau = 1e308 (Landauer)": ("landauer:\n  tau: [1.0, 4.0, 32.0, 1.0e+308]\n", "landauer."),
    "tau = 1e308 (inference)": ("inference:\n  tau: [1.0, 8.0, 1.0e+308]\n  fit_min_tau: 8.0\n",
                                "inference: the size of its largest simulate job (inference.trajectories"),
    "alias bomb": (ALIAS_BOMB, "expands to more than 100000 values"),
    "on: read as True": ("batch:\n  N: 60\non: 3\n", "line 3, column 1: the key 'on' reads as the boolean True"),
    "yes: read as True": ("batch:\n  yes: 3\n", "the key 'yes' reads as the boolean True"),
    "a built-in function as a rule": ("online:\n  rules: [{name: b, function: 'builtins:max'}]\n",
                                      "online.rules: rule 'b' (builtins:max): builtin_function_or_method 'max' is "
                                      "not a Python function"),
    "a numpy ufunc as a rule": ("online:\n  rules: [{name: b, function: 'numpy:hypot'}]\n",
                                "online.rules: rule 'b' (numpy:hypot): ufunc 'hypot' is not a Python function"),
    "a class as a rule": ("online:\n  rules: [{name: b, function: 'fractions:Fraction'}]\n",
                          "is not a Python function"),
    "detailed_min_tau above every tau": ("landauer:\n  detailed_min_tau: 300.0\n",
                                         "landauer.detailed_min_tau = 300.0 is above every tau (max 256.0): the "
                                         "relation ln<exp(-W/T)>_success = -ln(2 P_s) would be untested"),
    "non-UTF-8 byte": ("batch:\n  N: 60 # caf\xe9\n".encode("latin-1"), "not UTF-8 text (byte b'\\xe9'"),
    "duplicated JSON key": ('{"batch": {"N": 60, "N": 70}}', "duplicated key 'N'"),
    "nested too deeply": ("a: " + "[" * 2000 + "]" * 2000 + "\n", "variant.yaml"),
}


@pytest.mark.parametrize("case", CHECKER_REFUSES, ids=list(CHECKER_REFUSES))
def test_the_checker_refuses_in_one_line(tmp_path, case):
    text, expected = CHECKER_REFUSES[case]
    code, printed = checker(tmp_path, text)
    assert code == 1 and printed.count("\n") == 1 and expected in printed, printed
    assert "Traceback" not in printed and "Warning" not in printed


def test_an_alias_that_stays_small_is_read():
    """Negative control of the size limit: aliases are YAML, and a few are fine."""
    # the mapping, its three keys and the list [1, 2] (three values) once per use
    assert cfg.expanded_size(__import__("yaml").compose("a: &x [1, 2]\nb: *x\nc: *x\n")) == 1 + 3 + 3 * 3


def test_detailed_min_tau_at_the_largest_tau_is_accepted():
    config = cfg.validate(over_quick({"landauer": {"detailed_min_tau": 64.0}}))
    assert config["landauer"]["detailed_min_tau"] == 64.0


# Valid inputs accepted: JSON with tabs, --config overrides of nested numbers.


def test_a_tab_indented_json_config_is_read_as_snakemake_reads_it(tmp_path):
    code, printed = checker(tmp_path, '{\n\t"batch": {\n\t\t"N": 60,\n\t\t"k": 2.0\n\t}\n}\n', "variant.json")
    assert code == 0 and printed.endswith("variant.json: valid\n"), printed
    assert "config: batch.N = 60 (default 100)" in printed


@pytest.mark.parametrize("given, read", [
    ({"batch": {"N": "60", "k": "2.0", "nu": ["0.2", "1.0"]}}, {"batch": {"N": 60, "k": 2.0, "nu": [0.2, 1.0]}}),
    ({"landauer": {"dt": "1e-3"}}, {"landauer": {"dt": 0.001}}),
    ({"online": {"rules": ["hebbian"]}}, {"online": {"rules": ["hebbian"]}}),
    ({"seed": 7}, {"seed": 7}),
    ({"batch": {"bound": {"nu": ["0.2"]}}}, {"batch": {"bound": {"nu": [0.2]}}}),
])
def test_config_overrides_read_nested_text_as_yaml_scalars(given, read):
    assert cfg.overrides_as_yaml(given) == read


def test_a_nested_override_validates_where_its_text_would_not():
    config = over_quick({})
    cfg.apply_overrides(config, {"batch": {"N": "60"}})
    with pytest.raises(cfg.ConfigError, match="batch.N: '60' is not of type 'integer'"):
        cfg.validate(config)  # negative control: the text as Snakemake passes it
    config = over_quick({})
    cfg.apply_overrides(config, cfg.overrides_as_yaml({"batch": {"N": "60"}}))
    assert cfg.validate(config)["batch"]["N"] == 60 and config["batch"]["k"] == 1.0


@pytest.mark.slow
def test_snakemake_takes_a_nested_number_from_config(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"),
         "--directory", str(tmp_path / "run"), "--cores", "1", "-n", "results/quick/tables/tur_summary.csv",
         "--configfile", str(QUICK),
         "--config", "tur={N: 60, k: 2.0}"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    changed = [line for line in user_lines(result) if line.startswith("config: tur.")]
    assert "config: tur.N = 60 (default 50)" in changed and "config: tur.k = 2.0 (default 1.0)" in changed, changed


# Every accepted value runs: the ends of the ranges and physically extreme values run every stage to
# the bounds table (in this process, as the workflow runs them: tests/inprocess.py), or are refused
# up front naming the key (issue 26).

SMALL = {"inference": {"trajectories": 40, "tau": [1.0, 8.0, 16.0]}, "landauer": {"trajectories": 100}}
"""Fewer trajectories and tau than quick.yaml: seconds per run."""

EXTREMES_RUN = {  # case: (experiment, variant over quick.yaml + SMALL)
    "inference.g = 0 (no coupling: W = 0 exactly)": ("inference", {"inference": {"g": 0}}),
    "inference.K = 1e-300": ("inference", {"inference": {"K": 1e-300}}),
    "batch.T = 1e-6 (its minimum)": ("batch", {"batch": {"T": 1e-6}}),
    "batch.T = 1e6 (its maximum)": ("batch", {"batch": {"T": 1e6}}),
    "steady.T = 1e-6 (its minimum)": ("steady", {"steady": {"T": 1e-6}}),
    "steady.T = 10 (its maximum)": ("steady", {"steady": {"T": 10}}),
}


@pytest.mark.parametrize("case", EXTREMES_RUN, ids=list(EXTREMES_RUN))
def test_an_extreme_accepted_value_runs_to_the_bounds_without_a_violation(tmp_path, case):
    from inprocess import run_experiment

    experiment, variant = EXTREMES_RUN[case]
    config = cfg.validate(over_quick(cfg.merge(SMALL, variant)))
    summaries = {}
    if experiment == "inference":
        _, summaries["landauer"] = run_experiment(config, "landauer", tmp_path)
    rows, _ = run_experiment(config, experiment, tmp_path, summaries)
    tested = rows["p"].notna()
    assert tested.any() and (rows.loc[tested, "p"] > 1e-3).all(), rows
    assert rows.loc[~tested, "note"].astype(str).str.len().gt(0).all(), rows  # untested rows say why


@pytest.mark.parametrize("variant, key", [
    ({"batch": {"T": 1e300}}, "batch.T"), ({"batch": {"T": 1e-300}}, "batch.T"),
    ({"steady": {"T": 1e300}}, "steady.T"), ({"steady": {"T": 100.0}}, "steady.T"),
    ({"steady": {"T": 1e-300}}, "steady.T"), ({"inference": {"g": -0.5}}, "inference.g"),
])
def test_a_value_that_cannot_run_is_refused_up_front(variant, key):
    message = str(pytest.raises(cfg.ConfigError, cfg.validate, over_quick(variant)).value)
    assert message.startswith(f"{key}: ") and "\n" not in message, message


# The table of bad inputs and faults of issue 26. Each asserts its outcome:
#   "refused": validating the config (a variant over quick.yaml) refuses it before any job, in one line
#              naming the key;
#   "checker": ``python -m thermolearn.config FILE`` (in this process) exits with one line naming the
#              file or key, and prints nothing else;
#   "file":    reading a damaged table fails naming the file;
#   "job":     a job that meets the fault stops, in one line naming what stopped it (the rule, h, sigma_T).
# None may start a job that then crashes without naming its cause, or end with a wrong result.

USER_RULES = '''
import math


def raises_far(h, sigma_T):
    if abs(h) > 5e4:
        raise ValueError("far out")
    return 1.0


def huge(h, sigma_T):
    return 1e200 if h > 30.0 else 1.0


def nan_at_seven(h, sigma_T):
    return math.nan if h == 7.0 else 1.0


def infinite_far(h, sigma_T):
    return math.inf if h < -2e5 else 1.0


def off_the_probe(h, sigma_T):
    if abs(h) < 10.0 and h != math.floor(h * 1000.0 + 0.5) / 1000.0:
        raise ValueError("off the probe")
    return 1.0


def nan_off_the_probe(h, sigma_T):
    return math.nan if abs(h) < 10.0 and h != math.floor(h * 1000.0 + 0.5) / 1000.0 else 1.0


def huge_off_the_probe(h, sigma_T):
    return 1e200 if abs(h) < 10.0 and h != math.floor(h * 1000.0 + 0.5) / 1000.0 else 1.0
'''


def rule(function):
    return {"online": {"rules": [{"name": "mine", "function": f"fault_rules:{function}"}]}}


BIG = 10**400
OFF = 1 + 1e-9  # off a grid point by more than the tolerance
NEAR = 1 + 4e-16  # within the tolerance of a grid point

REFUSED = {  # case: (variant over quick.yaml, what the one line must say)
    "401-digit batch.trials": ({"batch": {"trials": BIG}}, "batch.trials: an integer of 401 digits"),
    "401-digit seed": ({"seed": BIG}, "seed: an integer of 401 digits"),
    "minus 401-digit seed": ({"seed": -BIG}, "seed: an integer of 401 digits"),
    "401-digit max_job_mem_mb": ({"max_job_mem_mb": BIG}, "max_job_mem_mb: an integer of 401 digits"),
    "401-digit online.N": ({"online": {"N": -BIG}}, "online.N: an integer of 401 digits"),
    "401-digit online.test_samples": ({"online": {"test_samples": BIG}}, "online.test_samples: an integer"),
    "401-digit inference.trajectories": ({"inference": {"trajectories": BIG}}, "inference.trajectories: an integer"),
    "401-digit training.trials": ({"training": {"trials": BIG}}, "training.trials: an integer"),
    "401-digit in a scan": ({"training": {"scans": [{"name": "main", "M": 4, "n": 8, "D": BIG, "s": [0.1],
                                                     "rho": [1.0]}]}}, "training.scans.0.D: an integer"),
    "401-digit alpha in a grid": ({"batch": {"alpha": [0.5, BIG]}}, "batch.alpha: an integer of 401 digits"),
    "Landauer tau = 1e308": ({"landauer": {"tau": [1.0, 4.0, 32.0, 1e308]}}, "keep tau <= "),
    "inference tau = 1e308": ({"inference": {"tau": [1.0, 8.0, 1e308]}}, "inference: the size of its largest"),
    "E0 = 1e300 names E0 and dt": ({"landauer": {"E0": 1e300}}, "at landauer.E0 = 1e+300"),
    # the margin x 100 B per trajectory; 8 B x 8 per trajectory and time (the baselines are lost in the rounding)
    "1e300 Landauer trajectories": ({"landauer": {"trajectories": 10**300}}, "landauer: one simulate job would need "
                                    f"about {resources.MEMORY_MARGIN * 100 * 10**300 / 2**20:.3g} MB"),
    "1e30 TUR trajectories": ({"tur": {"trajectories": 10**30}}, "tur: one simulate job would need about "
                              f"{resources.MEMORY_MARGIN * 8 * 8 * 4 * 10**30 / 2**20:.3g} MB"),
    "steady.dt = 1e-300": ({"steady": {"dt": 1e-300}}, "steady"),
    "landauer.dt = 1e-300": ({"landauer": {"dt": 1e-300}}, "landauer"),
    "inference.dt = 1e-300": ({"inference": {"dt": 1e-300}}, "inference"),
    "batch.T = 1e300": ({"batch": {"T": 1e300}}, "batch.T: "),
    "batch.T = 1e-300": ({"batch": {"T": 1e-300}}, "batch.T: "),
    "steady.T = 1e300": ({"steady": {"T": 1e300}}, "steady.T: "),
    "steady.T = 100": ({"steady": {"T": 100.0}}, "steady.T: "),
    "steady.T = 1e-300": ({"steady": {"T": 1e-300}}, "steady.T: "),
    "steady.k = 1e300": ({"steady": {"k": 1e300}}, "steady.k: "),
    "batch.k = 1e-300": ({"batch": {"k": 1e-300}}, "batch.times: the last time times k"),
    "negative inference.g": ({"inference": {"g": -0.5}}, "inference.g: "),
    "detailed_min_tau above every tau": ({"landauer": {"detailed_min_tau": 65.0}},
                                         "landauer.detailed_min_tau = 65.0 is above every tau"),
    "a built-in as a rule": ({"online": {"rules": [{"name": "b", "function": "builtins:max"}]}},
                             "online.rules: rule 'b' (builtins:max): builtin_function_or_method"),
    "math.sin as a rule": ({"online": {"rules": [{"name": "b", "function": "math:sin"}]}}, "online.rules: rule 'b'"),
    "a ufunc as a rule": ({"online": {"rules": [{"name": "b", "function": "numpy:hypot"}]}}, "ufunc 'hypot'"),
    "a class as a rule": ({"online": {"rules": [{"name": "b", "function": "fractions:Fraction"}]}},
                          "'Fraction' is not a Python function"),
    "a rule raising beyond |h| = 1e4": (rule("raises_far"), "raises ValueError: far out at h = -50"),
    "a rule of 1e200": (rule("huge"), "returns 1e+200 at h = 30.0"),
    "a rule NaN at one field": (rule("nan_at_seven"), "returns nan at h = 7, sigma_T = -1"),
    "a rule infinite beyond |h| = 1e5": (rule("infinite_far"), "returns inf at h = -204174, sigma_T = -1"),
    "online.nu: two values within 1e-12": ({"online": {"nu": [0.3, 0.3 * NEAR, 1.0]}}, "online.nu: 0.3 and"),
    "online.k: two values within 1e-12": ({"online": {"k": [0.3, 0.3 * NEAR, 1.0]}}, "online.k: 0.3 and"),
    "batch.nu: two values within 1e-12": ({"batch": {"nu": [1.0, 0.2, 0.2 * NEAR]}}, "batch.nu: 0.2 and"),
    "batch.alpha: two values within 1e-12": ({"batch": {"alpha": [0.5, 2.0, 2.0 * NEAR]}}, "batch.alpha: 2.0 and"),
    "landauer.tau: two values within 1e-12": ({"landauer": {"tau": [1.0, 4.0, 4.0 * NEAR, 64.0]}}, "landauer.tau"),
    "tur.times: two values within 1e-12": ({"tur": {"times": [0.01, 0.1, 0.1 * NEAR, 2.0]}}, "tur.times: "),
    "steady.gamma: two values within 1e-12": ({"steady": {"gamma": [0.3, 0.3 * NEAR, 3.0]}}, "steady.gamma: "),
    "inference.tau: two values within 1e-12": ({"inference": {"tau": [1.0, 8.0, 8.0 * NEAR, 32.0]}},
                                               "inference.tau: "),
    "training s: two values within 1e-12": ({"training": {"scans": [{"name": "main", "M": 4, "n": 8, "D": 2000,
                                                                      "s": [0.1, 0.1 * NEAR], "rho": [1.0]}]}},
                                            "training.scans.0.s: "),
    "online.nu_fixed off by 1e-9": ({"online": {"nu_fixed": OFF}}, "online.nu_fixed (1.000000001): not in"),
    "tur.tradeoff_time off by 1e-9": ({"tur": {"tradeoff_time": 0.5 * OFF}},
                                      "tur.tradeoff_time (0.5000000005): not in"),
    "steady.ratio_point.c off by 1e-9": ({"steady": {"ratio_point": {"c": OFF}}},
                                         "steady.ratio_point.c (1.000000001): not in"),
    "batch.fluctuation.alpha off by 1e-9": ({"batch": {"fluctuation": {"alpha": 0.5 * OFF}}},
                                            "batch.fluctuation.alpha (0.5000000005): not in"),
    "a boolean key inside a section": ({"batch": {True: 1}}, "batch: Additional properties"),
    "a rule named off (YAML reads False)": ({"online": {"rules": [{"name": False, "function": "hebbian"}]}},
                                            "online.rules: rule False: YAML 1.1 reads on, off"),
}


def file_cases():
    """case: (file name, its bytes or text, what the checker's one line must say)."""
    bomb = ALIAS_BOMB
    return {
        "alias bomb": ("bomb.yaml", bomb, "expands to more than 100000 values"),
        "on: key": ("on.yaml", "batch:\n  N: 60\non: 3\n", "the key 'on' reads as the boolean True"),
        "off: key in a section": ("off.yaml", "batch:\n  off: 3\n", "the key 'off' reads as the boolean False"),
        "yes: key": ("yes.yaml", "yes: 1\n", "the key 'yes' reads as the boolean True"),
        "non-UTF-8 byte": ("latin.yaml", "batch:\n  N: 60 # caf\xe9\n".encode("latin-1"), "not UTF-8 text"),
        "random bytes": ("noise.yaml", bytes(range(128, 256)), "not UTF-8 text"),
        "duplicated JSON key": ("dup.json", '{"batch": {"N": 60, "N": 70}}', "duplicated key 'N'"),
        "JSON NaN": ("nan.json", '{"batch": {"k": NaN}}', "batch.k: nan is not finite"),
        "JSON Infinity in a grid": ("inf.json", '{"tur": {"times": [0.1, Infinity]}}', "tur.times: "),
        "JSON text for an integer": ("text.json", '{"batch": {"N": "60"}}', "batch.N: '60' is not of type 'integer'"),
        "a JSON number, not a mapping": ("seven.json", "7", "a config file is a mapping"),
        "nested too deeply": ("deep.yaml", "a: " + "[" * 2000 + "]" * 2000 + "\n", "deep.yaml"),
        "an unsafe YAML tag": ("tag.yaml", "batch: !!python/object/apply:os.system ['true']\n", "line 1, column 8"),
        "a tab in YAML indentation": ("tab.yaml", "batch:\n\tN: 5\n", "line 2, column 1"),
        "a folder for a file": ("folder", None, "cannot read the config file"),
    }


FILE_CASES = file_cases()


def damaged_tables():
    """case: (how to write then damage a table at ``path``, the reader, what the message must say after the path)."""
    return {
        "a letter in a key column": ("csv", lambda p: corrupt(p, b"\n3,", b"\nx,"), "column 'trial' holds 'x'"),
        "a letter in a value": ("csv", lambda p: corrupt(p, b",1\n", b",l\n"), "column 'errors' holds 'l'"),
        "a digit to a letter in a float": ("csv", lambda p: corrupt(p, b"0.5", b"0.S"), "column 't' holds '0.S'"),
        "a non-UTF-8 byte": ("csv", lambda p: corrupt(p, b"0.5", b"\xff.5"), "not a UTF-8 CSV table"),
        "header only": ("csv", lambda p: p.write_text(p.read_text().splitlines()[0] + "\n"), "expected 60 rows"),
        "empty file": ("csv", lambda p: p.write_text(""), "not a complete CSV table"),
        "infinity": ("csv", lambda p: corrupt(p, b",1\n", b",inf\n"), "infinity in column(s) ['errors']"),
        "1e999": ("csv", lambda p: corrupt(p, b",1\n", b",1e999\n"), "infinity in column(s) ['errors']"),
        "an empty field": ("csv", lambda p: corrupt(p, b",1\n", b",\n"), "NaN in column(s) ['errors']"),
        "a column renamed": ("csv", lambda p: corrupt(p, b"errors", b"errs"), "missing column(s) ['errors']"),
        "a repeated row": ("csv", lambda p: p.write_text(p.read_text() + p.read_text().splitlines()[1] + "\n"),
                           "unexpected or repeated 1 key row"),
        "an unbalanced quote": ("csv", lambda p: corrupt(p, b"\n5,", b'\n"5,'), ""),
        "cut in half": ("csv", cut_to_half_at_a_line, "expected 60 rows"),
        "Parquet cut in half": ("parquet", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
                                "not a complete Parquet file"),
        "Parquet zeroed": ("parquet", lambda p: p.write_bytes(bytes(p.stat().st_size)), "not a complete Parquet file"),
        "Parquet of text": ("parquet", lambda p: __import__("thermolearn.tables").tables.write_parquet(
            trial_frame().astype({"errors": str}), p), "column 'errors' holds '1'"),
        "a bounds table cut to its header": ("bounds", lambda p: p.write_text(p.read_text().splitlines()[0] + "\n"),
                                             "no rows, only the header"),
        "text in a bounds table's z": ("bounds", lambda p: corrupt(p, b",-inf,", b",-lnf,"), "column 'z' holds"),
    }


def corrupt(path, old, new):
    data = path.read_bytes()
    assert old in data, (old, data[:200])
    path.write_bytes(data.replace(old, new, 1))


def cut_to_half_at_a_line(path):
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[: 1 + (len(lines) - 1) // 2]))


def trial_frame():
    import pandas as pd

    index = pd.MultiIndex.from_product([range(20), [0.5, 2.0, 10.0]], names=["trial", "t"])
    return index.to_frame(index=False).assign(errors=1)


DAMAGED = damaged_tables()

JOB_FAULTS = {  # case: (the user rule, what the job's one line must say; the rule passes the config check)
    "a rule raising off the probe, in the kernel": ("off_the_probe", "raises ValueError: off the probe at h = "),
    "a rule NaN off the probe, in the kernel": ("nan_off_the_probe", "returns nan at h = "),
    "a rule of 1e200 off the probe, in the kernel": ("huge_off_the_probe", "beyond 1e+100 in size"),
    "a rule raising off the probe, in the theory": ("off_the_probe", "(theory's quadrature at R = "),
}


@pytest.fixture(scope="module")
def fault_rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    (folder / "fault_rules.py").write_text(USER_RULES)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        yield "fault_rules"


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_fault_refused_before_any_job_naming_the_key(fault_rules, case):
    variant, expected = REFUSED[case]
    with pytest.raises(cfg.ConfigError) as refused:
        cfg.validate(over_quick(variant))
    message = str(refused.value)
    assert expected in message and "\n" not in message, message


@pytest.mark.parametrize("case", FILE_CASES, ids=list(FILE_CASES))
def test_fault_refused_by_the_checker_in_one_line(tmp_path, capsys, case):
    name, content, expected = FILE_CASES[case]
    path = tmp_path / name
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(SystemExit) as exited:
        cfg.main([str(path)])
    message = str(exited.value.code)
    assert expected in message and "\n" not in message, message
    assert capsys.readouterr().err == ""  # nothing before the line (no traceback, no numpy warning)


@pytest.mark.parametrize("case", DAMAGED, ids=list(DAMAGED))
def test_fault_a_damaged_table_fails_naming_the_file(tmp_path, case):
    import numpy as np
    import pandas as pd

    from thermolearn import bounds, tables

    kind, damage, expected = DAMAGED[case]
    expect = {"trial": range(20), "t": [0.5, 2.0, 10.0]}
    if kind == "bounds":
        path = tmp_path / "bounds.csv"
        row = {"relation": "eta <= 1", "lhs": 0.5, "lhs_err": 0.1, "rhs": 1.0, "rhs_err": 0.0, "dof": 9.0,
               "z": -np.inf, "p": 1.0, "note": ""}
        tables.write_csv(bounds.with_table_rows(pd.DataFrame([row, row])), path)
        read = lambda: bounds.read_table(path, bounds.ROW_COLUMNS)  # noqa: E731
    else:
        path = tmp_path / f"point.{kind}"
        (tables.write_csv if kind == "csv" else tables.write_parquet)(trial_frame(), path)
        reader = tables.read_csv if kind == "csv" else tables.read_parquet
        read = lambda: reader(path, ["errors"], expect)  # noqa: E731
    read()  # the negative control: the table as written passes
    damage(path)
    with pytest.raises(ValueError) as failed:
        read()
    message = str(failed.value)
    assert message.startswith(f"{path}: ") and expected in message and "\n" not in message, message


@pytest.mark.parametrize("case", JOB_FAULTS, ids=list(JOB_FAULTS))
def test_fault_a_job_stops_in_one_line_naming_the_rule_h_and_sigma(fault_rules, case):
    from thermolearn.experiments import online
    from thermolearn.experiments.online import rules
    from thermolearn.experiments.online.theory import order_parameters

    function, expected = JOB_FAULTS[case]
    entry = {"name": "mine", "function": f"fault_rules:{function}"}
    cfg.validate(over_quick({"online": {"rules": [entry]}}))  # accepted: the probe cannot see it
    with pytest.raises(rules.RuleError) as stopped:
        if "theory" in case:
            order_parameters(entry, [1.0], nu=1.0, k=1.0, T=1.0, r=1.0)
        else:
            online.simulate(rule=entry, nu=1.0, k=1.0, N=40, T=1.0, r=1.0, alpha=[0.5, 1.0], trials=4,
                            test_samples=5, seed=2, key="fault")
    message = str(stopped.value)
    assert message.startswith(f"rule 'mine' (fault_rules:{function}): ") and expected in message, message
    assert "sigma_T = " in message or "theory" in case
    assert "\n" not in message


def test_the_fault_table_has_at_least_60_new_cases():
    counts = {"refused before any job, naming the key": len(REFUSED) + len(FILE_CASES),
              "failed naming the file": len(DAMAGED), "a job stopped naming the rule, h and sigma_T": len(JOB_FAULTS)}
    assert sum(counts.values()) >= 60, counts


# Provenance faults (issue 26, "every table knows what made it"): a table written by a job records the
# params hash the Snakefile computed for it (thermolearn.scripting.made_by) and its content hash; the
# reader's check (thermolearn.scripting.verify, with what the current config expects) fails in one line
# naming the file: "stale" (made by another config, point, seed or code version, or recording nothing)
# or "corrupted" (its bytes changed after it was written).

def landauer_points(config):
    from thermolearn.experiments import REGISTRY

    return REGISTRY["landauer"].points(config)


def reading_over_quick(variant, stage="simulate", point=0, name="landauer"):
    """What a job expects of a landauer table under a variant over quick.yaml (the point by index)."""
    from thermolearn.scripting import reading

    config = over_quick(variant)
    cfg.validate(config)
    return reading(config, name, stage, None if stage in ("summary", "bounds", "verdict") else
                   landauer_points(config)[point])


def version_bumped(stage="simulate"):
    from unittest import mock

    with mock.patch("thermolearn.scripting.__version__", "0.1.0+edited"):
        return reading_over_quick({}, stage)


def flip(offset):
    """Damage: flip the lowest bit of the byte at ``offset`` (negative: from the end)."""

    def damage(path):
        data = bytearray(path.read_bytes())
        data[offset] ^= 1
        path.write_bytes(bytes(data))

    return damage


def footer_text(field):
    """Damage: flip a hex digit of the Parquet footer's ``field`` value."""

    def damage(path):
        from thermolearn import tables

        data = path.read_bytes()
        value = tables.provenance(path)[0 if field == tables.MADE else 1].encode()
        at = data.index(value, data.index(field))
        path.write_bytes(data[:at] + (b"0" if value[:1] != b"0" else b"1") + data[at + 1:])

    return damage


STALE = {  # case: (the expectation of the reader: its stage and a variant over quick.yaml, or a callable)
    "landauer.trajectories changed": lambda: reading_over_quick({"landauer": {"trajectories": 301}}),
    "landauer.E0 changed": lambda: reading_over_quick({"landauer": {"E0": 11.0}}),
    "landauer.T changed": lambda: reading_over_quick({"landauer": {"T": 0.9}}),
    "the seed changed": lambda: reading_over_quick({"seed": 8}),
    "a table from another point": lambda: reading_over_quick({}, point=1),
    "the package version changed": version_bumped,
}
DOWNSTREAM = {  # case: (stage read, variant): a change upstream makes every later table stale
    "estimate after landauer.trajectories changed": ("estimate", {"landauer": {"trajectories": 301}}),
    "summary after landauer.E0 changed": ("summary", {"landauer": {"E0": 11.0}}),
    "summary after landauer.fit_min_tau changed": ("summary", {"landauer": {"fit_min_tau": 4.0}}),
    "bounds after landauer.detailed_min_tau changed": ("bounds", {"landauer": {"detailed_min_tau": 4.0}}),
    "bounds after landauer.trajectories changed": ("bounds", {"landauer": {"trajectories": 301}}),
    "verdict after landauer.E0 changed": ("verdict", {"landauer": {"E0": 11.0}}),
}
CORRUPTED = {  # case: (kind of table, damage after it was written)
    "CSV: a flipped bit in the header": ("csv", flip(2)),
    "CSV: a flipped bit in the first row": ("csv", flip(40)),
    "CSV: a flipped bit in a middle row": ("csv", lambda p: flip(p.stat().st_size // 2)(p)),
    "CSV: a flipped bit in the last byte": ("csv", flip(-1)),
    "CSV: cut in half": ("csv", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
    "CSV: a row appended": ("csv", lambda p: p.write_text(p.read_text() + p.read_text().splitlines()[1] + "\n")),
    "CSV: its record's hash flipped": ("csv", lambda p: flip(-10)(p.with_name(p.name + ".made"))),
    "CSV: its record cut": ("csv", lambda p: p.with_name(p.name + ".made").write_text('{"made": "')),
    "Parquet: a flipped bit in the magic": ("parquet", flip(1)),
    "Parquet: a flipped bit in the first page": ("parquet", flip(60)),
    "Parquet: a flipped bit in the middle": ("parquet", lambda p: flip(p.stat().st_size // 3)(p)),
    "Parquet: a flipped bit in the footer's length": ("parquet", flip(-6)),
    "Parquet: its params hash edited": ("parquet", footer_text(b"thermolearn.made")),
    "Parquet: its content hash edited": ("parquet", footer_text(b"thermolearn.content")),
    "Parquet: cut in half": ("parquet", lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])),
}


def written_table(tmp_path, kind, made):
    """A landauer-like table at ``tmp_path``, written with ``made`` as a job writes it."""
    import numpy as np
    import pandas as pd

    from thermolearn import tables

    rng = np.random.default_rng(26)
    table = pd.DataFrame({"trajectory": np.arange(300), "work": rng.normal(size=300), "heat": rng.normal(size=300)})
    path = tmp_path / f"point.{kind}"
    (tables.write_csv if kind == "csv" else tables.write_parquet)(table, path, made)
    return path


def expect_fails(path, read, word):
    from thermolearn.scripting import verify

    with pytest.raises(ValueError) as failed:
        verify(path, read)
    message = str(failed.value)
    assert message.startswith(f"{path}: {word}: ") and "\n" not in message, message
    assert f"--forcerun {read[1]}" in message, message
    return message


@pytest.mark.parametrize("case", STALE, ids=list(STALE))
def test_fault_a_stale_table_fails_naming_the_file_and_both_hashes(tmp_path, case):
    from thermolearn.scripting import verify

    made, rule = reading_over_quick({})
    path = written_table(tmp_path, "csv", made)
    verify(path, (made, rule))  # the negative control: the table the current config expects passes
    expected = STALE[case]()
    message = expect_fails(path, expected, "stale")
    assert f"expected params hash {expected[0][:16]}, found {made[:16]}" in message, message


@pytest.mark.parametrize("case", DOWNSTREAM, ids=list(DOWNSTREAM))
def test_fault_a_change_upstream_makes_every_later_table_stale(tmp_path, case):
    from thermolearn.scripting import verify

    stage, variant = DOWNSTREAM[case]
    read = reading_over_quick({}, stage)
    path = written_table(tmp_path, "csv", read[0])
    verify(path, read)
    expect_fails(path, reading_over_quick(variant, stage), "stale")


def test_fault_a_table_recording_nothing_is_stale(tmp_path):
    import pandas as pd

    read = reading_over_quick({})
    path = written_table(tmp_path, "csv", read[0])
    pd.read_csv(path).to_csv(path, index=False)  # the same table, rewritten by hand...
    (tmp_path / "point.csv.made").unlink()  # ...without its record
    assert "found none" in expect_fails(path, read, "stale")
    parquet = written_table(tmp_path, "parquet", None)
    assert "found none" in expect_fails(parquet, read, "stale")


@pytest.mark.parametrize("case", CORRUPTED, ids=list(CORRUPTED))
def test_fault_a_corrupted_table_fails_naming_the_file(tmp_path, case):
    from thermolearn.scripting import verify

    kind, damage = CORRUPTED[case]
    read = reading_over_quick({})
    path = written_table(tmp_path, kind, read[0])
    verify(path, read)
    damage(path)
    expect_fails(path, read, "corrupted")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_no_single_bit_flip_is_read_as_a_valid_other_table(tmp_path, kind):
    """Every byte of a table flipped in turn: each flip is refused as corrupted, or (Parquet) changes
    nothing that is read (a column's min/max statistics, the schema's copy in the footer: 1277 of the
    9873 bytes of this table). Every byte of a CSV counts."""
    from thermolearn import tables
    from thermolearn.scripting import verify

    read = reading_over_quick({})
    path = written_table(tmp_path, kind, read[0])
    original, table = path.read_bytes(), tables.read_parquet(path, []) if kind == "parquet" else None
    outcomes = {"corrupted": 0, "harmless": 0}
    for offset in range(len(original)):
        path.write_bytes(original[:offset] + bytes([original[offset] ^ 0x10]) + original[offset + 1:])
        try:
            verify(path, read)
        except ValueError as error:
            assert str(error).startswith(f"{path}: corrupted: "), (offset, str(error))
            outcomes["corrupted"] += 1
            continue
        assert kind == "parquet", offset
        tables.read_parquet(path, []).equals(table) or pytest.fail(f"flip at {offset} read as another table")
        outcomes["harmless"] += 1
    assert outcomes["corrupted"] + outcomes["harmless"] == len(original), outcomes


def test_the_provenance_fault_table_counts():
    counts = {"stale": len(STALE) + len(DOWNSTREAM) + 1, "corrupted": len(CORRUPTED)}
    assert sum(counts.values()) >= 28, counts


def test_the_runs_notice_lists_stale_and_unreadable_tables_and_not_current_ones(tmp_path):
    """tables.outdated, the Snakefile's look at every table's record (warn_outdated's line)."""
    from thermolearn import tables

    current, stale = reading_over_quick({})[0], reading_over_quick({"seed": 8})[0]
    paths = {name: written_table(tmp_path / name, kind, current)
             for name, kind in (("csv", "csv"), ("parquet", "parquet"), ("cut", "parquet"))}
    paths["cut"].write_bytes(paths["cut"].read_bytes()[:-5])
    assert tables.outdated({paths["csv"]: current, paths["parquet"]: current}) == []  # the negative control
    found = dict(tables.outdated({paths["csv"]: stale, paths["parquet"]: current, paths["cut"]: current,
                                  tmp_path / "missing.csv": current}))
    assert found[paths["csv"]].startswith(f"stale: expected params hash {stale[:16]}, found {current[:16]}")
    assert found[paths["cut"]].startswith("corrupted: not a complete Parquet file") and len(found) == 2, found
