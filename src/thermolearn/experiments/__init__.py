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
formulas ``MEMORY``, ``WORK``; ``DURATION`` names the protocol-time key when the work grows with it).

The workflow generates every rule from these: one job per point and per-point stage
(results/<name>/<stage>/<point><suffix>), one summary job (results/tables/<name>_summary.csv),
one bounds job (results/bounds/<name>.csv), and the experiment's figure rules.
"""

import importlib
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


@dataclass(frozen=True)
class Summary:
    """The experiment's summary job (``jobs.summary``): reads the output ``table`` of the per-point
    stage ``points`` at every point, the summaries of the experiments ``needs`` (DAG edges) and
    the config keys ``keys``; writes results/tables/<experiment>_summary.csv."""

    points: str
    keys: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Experiment:
    """One experiment: its name (package, config section, results/<name>/ and rule prefix), its
    report category and its figures (results/figures/<figure>.{pdf,png})."""

    name: str
    category: str
    figures: tuple[str, ...]

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
        Experiment("batch", "Model B: batch learning", ("batch_eta", "batch_bound", "batch_fluctuation")),
        Experiment("landauer", "Model A: Landauer erasure", ("landauer_work",)),
        Experiment("online", "Model C: online learning", ("online_eta_nu", "online_eta_k", "online_dynamics")),
        Experiment("tur", "Model E: TUR", ("tur_ratio", "tur_tradeoff")),
        Experiment("inference", "Model D: inference", ("inference_energy",)),
        Experiment("steady", "Model F: steady-state learning",
                   ("steady_efficiency", "steady_tur", "steady_generalisation")),
    ]
}
"""Every experiment, in the order of the verdict and of the config checks."""
