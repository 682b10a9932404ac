"""The experiments (docs/science.md, Models A-F), one package each, and the registry that the
workflow, the config checks, the benchmark and the tests read.

An experiment's package ``thermolearn.experiments.<name>`` holds its stage functions (simulate,
estimate, summarise, ``bound_checks``; ``SUMMARY_COLUMNS``), ``kernel.py`` (the numba dynamics),
``theory.py`` where it has a closed form, ``jobs.py`` (what each pipeline job of the experiment
does: read its inputs, checked against the config, call the stage functions, return the tables to
write) and ``settings.py``: its parameter space (``space``, config -> one row per point), its jobs
(``STAGES``, ``SUMMARY``), the rows of its summary
(``summary_rows``), the parameters shared by every point (``MODEL``), its config checks
(``check_config``) and its simulate jobs' resources (``job_bytes``, ``simulate_work`` and their
formulas ``MEMORY``, ``WORK``; ``RATE``, the measured work per second and thread that turns work
into threads and runtime requests; ``DURATION`` names the protocol-time key when the work grows
with it).

The workflow generates every rule from these: one job per point and per-point stage
(results/<name>/<stage>/<point><suffix>), one summary job (results/tables/<name>_summary.csv),
one bounds job (results/bounds/<name>.csv), and the experiment's figure rules.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Stage:
    """One job per parameter point: ``jobs.<stage>`` writes results/<experiment>/<stage>/<point><suffix>
    for each output (name -> suffix), reading the outputs ``inputs`` of earlier stages of the same
    point (output name -> stage) and only the config keys ``keys`` of the experiment's section."""

    outputs: dict[str, str]
    inputs: dict[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    point_keys: Callable[[dict, dict], dict] | None = None
    """What the job reads of the config section at its own point (section, point -> dict), e.g.
    the definition of the point's learning rule: editing it reruns only that point's jobs."""


@dataclass(frozen=True)
class Summary:
    """The experiment's summary job (``jobs.summary``): reads the output ``table`` of the per-point
    stage ``points`` at every point, the summaries of the experiments ``needs`` (DAG edges) and
    the config keys ``keys``; writes results/tables/<experiment>_summary.csv."""

    points: str
    keys: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


def no_keys(section):
    return {}


@dataclass(frozen=True)
class Figure:
    """A figure job ``<name>_figure``: scripts/figure_<script>.py draws results/figures/<file>.{pdf,png}
    for each output (name -> file) from the experiment's summary (``input.summary``, ``params.rows``),
    the per-point outputs ``inputs(section)`` (input name -> (stage, output, point)) and the params
    ``params(section)``, both from the experiment's config section: only the keys it reads."""

    name: str
    outputs: dict[str, str]
    params: Callable[[dict], dict] = no_keys
    inputs: Callable[[dict], dict] = no_keys
    script: str | None = None
    caption: str | None = None
    """The report caption, workflow/report/<caption>.rst (default: the script's name)."""

    @property
    def script_name(self):
        return self.script or self.name


@dataclass(frozen=True)
class Experiment:
    """One experiment: its name (package, config section, results/<name>/ and rule prefix) and its
    report category."""

    name: str
    category: str

    @property
    def figures(self):
        """Its figure files (results/figures/<figure>.{pdf,png}), from its settings.FIGURES."""
        return tuple(file for figure in self.settings.FIGURES for file in figure.outputs.values())

    def point_path(self, stage, output, point):
        """results/<name>/<stage>/<key>~<value>/...<suffix>: one output of a per-point stage at
        ``point``, as Snakemake's Paramspace names it."""
        piece = "/".join(f"{key}~{value}" for key, value in point.items())
        return f"results/{self.name}/{stage}/{piece}{self.settings.STAGES[stage].outputs[output]}"

    @property
    def stages(self):
        """The package: stage functions and table columns."""
        return importlib.import_module(f"{__name__}.{self.name}")

    def points(self, config):
        """Every point of its parameter space, as dicts of Python numbers and names."""
        return [plain(point) for point in self.settings.space(config).to_dict("records")]

    @property
    def jobs(self):
        """What each of its pipeline jobs does (``simulate``, ``estimate``, ..., ``summary``)."""
        return importlib.import_module(f"{__name__}.{self.name}.jobs")

    @property
    def settings(self):
        """Parameter space, summary rows, config checks and resources."""
        return importlib.import_module(f"{__name__}.{self.name}.settings")


def plain(point):
    """A point's values as Python numbers and names (Paramspace and pandas give numpy scalars)."""
    return {key: value.item() if isinstance(value, np.generic) else value for key, value in point.items()}


REGISTRY = {
    experiment.name: experiment
    for experiment in [
        Experiment("batch", "Model B: batch learning"),
        Experiment("landauer", "Model A: Landauer erasure"),
        Experiment("online", "Model C: online learning"),
        Experiment("tur", "Model E: TUR"),
        Experiment("inference", "Model D: inference"),
        Experiment("steady", "Model F: steady-state learning"),
    ]
}
"""Every experiment, in the order of the verdict and of the config checks."""
