"""The registry: the one list of experiments (docs/science.md, Models A-H) that the workflow, the config
checks, the benchmark and the tests read. Each is declared by one ``SPEC`` in its package's ``spec.py``
(the contract: :mod:`thermolearn.experiments.spec`); adding an experiment is one line here."""

from thermolearn.experiments.batch.spec import SPEC as BATCH
from thermolearn.experiments.committee.spec import SPEC as COMMITTEE
from thermolearn.experiments.inference.spec import SPEC as INFERENCE
from thermolearn.experiments.landauer.spec import SPEC as LANDAUER
from thermolearn.experiments.online.spec import SPEC as ONLINE
from thermolearn.experiments.spec import ExperimentSpec, plain
from thermolearn.experiments.steady.spec import SPEC as STEADY
from thermolearn.experiments.training.spec import SPEC as TRAINING
from thermolearn.experiments.tur.spec import SPEC as TUR

REGISTRY: dict[str, ExperimentSpec] = {
    spec.name: spec for spec in [BATCH, LANDAUER, ONLINE, TUR, INFERENCE, STEADY, TRAINING, COMMITTEE]
}
"""Every experiment, in the order of the verdict and of the config checks."""

__all__ = ["REGISTRY", "ExperimentSpec", "plain"]
