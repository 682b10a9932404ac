"""The experiment contract: what one experiment declares, in one ``SPEC = ExperimentSpec(...)`` in its
package's ``spec.py``, for the workflow, the config checks, the benchmark and the tests to read.

An experiment flows through the five stages of the workflow (docs/architecture.md):

1. ``simulate``: one job per point of its parameter space (``space``), writing
   ``results/<run>/<name>/simulate/<point><suffix>`` for each of the stage's outputs;
2. ``estimate``: heat, work and entropy change per point, in one job per point when that is worth a
   process (``Stage(per_point=True)``, e.g. Model B's nonparametric entropies) or else in one job for
   every point of the experiment, writing the same per-point files;
3. ``information``: one job per experiment that runs the optional per-point ``information`` stage at
   every point (information, efficiency, theory; its ``table`` stays in memory) and then ``summary``,
   writing ``results/<run>/tables/<name>_summary.csv``;
4. ``bounds``: ``bound_checks(summary, **bound_options(config))`` rows of ``relations``, then the run's
   verdict over every experiment;
5. ``figures``: each ``Figure``'s function draws from the summary (and per-point outputs it names).

A stage's ``run(job, log)`` works at one point: ``job.input.<name>`` are the paths of that point's
inputs, ``job.params.point`` its values, ``job.params.config`` the config keys the stage reads
(``keys``, and ``point_keys`` at the point), ``job.params.seed`` the run's seed; it returns a table per
output name. Kernels, theory and stage functions stay in the experiment's package: a spec only wires.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from thermolearn import tables

STAGES = ("simulate", "estimate", "information")
"""The per-point stages, in order; an experiment has the first two and may have the third."""


def no_keys(section: dict) -> dict:
    """The default of every optional config reader: nothing."""
    return {}


def no_checks(section: dict) -> None:
    """The default config check: none beyond the schema."""


@dataclass(frozen=True)
class Stage:
    """A per-point stage: ``run(job, log)`` returns a table for each of ``outputs`` (name -> file
    suffix) at one point, reading the outputs ``inputs`` (name -> stage) of earlier stages at that point
    and only the config keys ``keys`` of the experiment's section (and ``point_keys(section, point)``,
    e.g. the definition of the point's learning rule: editing it reruns only that point's jobs)."""

    run: Callable
    outputs: dict[str, str]
    inputs: dict[str, str] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    point_keys: Callable[[dict, dict], dict] | None = None
    per_point: bool = False
    """One job per point (work worth a process); else one job runs the stage at every point."""


@dataclass(frozen=True)
class Summary:
    """The experiment's summary (results/<run>/tables/<name>_summary.csv): ``run(job, log)`` returns it (a
    table, not a dict) from the per-point ``table`` outputs of the last per-point stage
    (``job.input.tables``, one per point of ``job.params.points``: the information stage's tables, made
    in the same job, or else the estimate stage's files), the summaries of the experiments ``needs``
    (``job.input.<need>``, their rows in ``job.params.needs_rows``) and the config keys ``keys``.
    ``columns`` are the columns every reader requires, never NaN (a summary may hold more, e.g. theory
    columns that are NaN where no theory applies): a list, or ``columns(config)`` where they depend on
    the config (a model's size); ``rows(config)`` the rows a reader requires (``tables.read_csv``'s
    ``expect``)."""

    run: Callable
    columns: list[str] | Callable[[dict], list[str]]
    rows: Callable[[dict], dict]
    keys: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()

    def columns_of(self, config: dict) -> list[str]:
        """Its columns under ``config`` (the whole config): what every reader of the summary checks."""
        return list(self.columns(config) if callable(self.columns) else self.columns)


@dataclass(frozen=True)
class Figure:
    """The function ``draw`` of the experiment's ``figures`` module (imported only by the figure jobs):
    ``draw(summary, **tables, **params(section))`` returns the matplotlib figure of its one output, or
    a figure per output name, for ``outputs`` (name -> file, results/<run>/figures/<file>.{pdf,png}). ``tables``
    are the per-point outputs ``inputs(section)`` names (input name -> (stage, output, point)), read by
    ``figures.<read>(paths, **reading(section))``. Both take only the config keys they need, so editing another
    key reruns nothing."""

    name: str
    draw: str
    outputs: dict[str, str]
    params: Callable[[dict], dict] = no_keys
    inputs: Callable[[dict], dict] = no_keys
    read: str | None = None
    reading: Callable[[dict], dict] = no_keys
    caption: str | None = None
    """Its report caption, workflow/report/<caption>.rst (default: its name)."""


@dataclass(frozen=True)
class Resources:
    """What the simulate job at one point costs: ``job_bytes(section, point)`` beyond the interpreter
    (formula ``memory``) and ``work(section, point)`` in the benchmark's units (formula ``work_formula``),
    from the experiment's config section and the point's values. The measured rate that turns work into
    seconds is data (``thermolearn.resources.RATES``)."""

    job_bytes: Callable[[dict, dict], float]
    memory: str
    work: Callable[[dict, dict], float]
    work_formula: str
    unit: str
    gaussians: float = 1.0
    """Gaussian draws per unit of work (the benchmark's comparison with the machine's floor)."""


@dataclass(frozen=True)
class ExperimentSpec:
    """One experiment: its name (package, config section, results/<run>/<name>/, rule prefix), its report
    category, its parameter space (config -> one row per point), its stages, summary, relations and
    their checks, figures, config checks and resources."""

    name: str
    category: str
    space: Callable[[dict], pd.DataFrame]
    simulate: Stage
    estimate: Stage
    summary: Summary
    relations: tuple[str, ...]
    bound_checks: Callable[..., pd.DataFrame]
    figures: tuple[Figure, ...]
    resources: Resources
    information: Stage | None = None
    bound_options: Callable[[dict], dict] = no_keys
    """Keyword arguments of ``bound_checks`` beyond the summary, from the whole config."""
    check_config: Callable[[dict], None] = no_checks
    """Checks of its section that a JSON schema cannot express; ConfigError naming the key."""

    @property
    def stages(self) -> dict[str, Stage]:
        """Its per-point stages by name, in order."""
        return {name: getattr(self, name) for name in STAGES if getattr(self, name) is not None}

    @property
    def figure_files(self) -> tuple[str, ...]:
        """Every figure file it draws (results/<run>/figures/<file>.{pdf,png})."""
        return tuple(file for figure in self.figures for file in figure.outputs.values())

    def figure(self, name: str) -> Figure:
        """Its figure spec called ``name``."""
        return next(figure for figure in self.figures if figure.name == name)

    def points(self, config: dict) -> list[dict]:
        """Every point of its parameter space, as dicts of Python numbers and names."""
        return [plain(point) for point in self.space(config).to_dict("records")]

    def point_path(self, stage: str, output: str, point: dict) -> str:
        """<name>/<stage>/<key>~<value>/...<suffix>: one per-point output under the run's results/<run>/,
        as Snakemake's Paramspace names it."""
        piece = "/".join(f"{key}~{value}" for key, value in point.items())
        return f"{self.name}/{stage}/{piece}{self.stages[stage].outputs[output]}"


def collect(columns: list[str], sort_by: list[str], within: Callable[[dict], dict] = no_keys) -> Callable:
    """The summary ``run`` of most experiments: every point's table, each checked against its point and
    the rows ``within(config)`` names (e.g. every time), joined and sorted by ``sort_by``."""

    def run(job, log):
        return tables.collect(job.input.tables, job.params.points, columns, sort_by, **within(job.params.config))

    return run


def plain(point: dict) -> dict:
    """A point's values as Python numbers and names (Paramspace and pandas give numpy scalars)."""
    return {key: value.item() if isinstance(value, np.generic) else value for key, value in point.items()}
