"""The experiments (docs/science.md, Models A-F), one package each, and the registry that the
workflow, the config checks, the benchmark and the tests read.

An experiment's package ``thermolearn.experiments.<name>`` holds its stage functions (simulate,
estimate, summarise, ``bound_checks``; ``SUMMARY_COLUMNS``), ``kernel.py`` (the numba dynamics),
``theory.py`` where it has a closed form, and ``settings.py``: its parameter space (``space``,
config -> one row per simulate job), the rows of its summary (``summary_rows``), the parameters
shared by every point (``MODEL``), its config checks (``check_config``) and its simulate jobs'
resources (``job_bytes``, ``simulate_work`` and their formulas ``MEMORY``, ``WORK``; ``DURATION``
names the protocol-time key when the work grows with it).
"""

import importlib
from dataclasses import dataclass


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

    @property
    def settings(self):
        """Parameter space, summary rows, config checks and resources."""
        return importlib.import_module(f"{__name__}.{self.name}.settings")


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
