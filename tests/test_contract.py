"""Every registered experiment satisfies the contract of thermolearn.experiments.spec: what the workflow,
the runner and the figure jobs will call exists and takes what they give it."""

import importlib
import inspect
from pathlib import Path

import pandas as pd
import pytest
import yaml

from thermolearn import config as configuration
from thermolearn import resources
from thermolearn.experiments import REGISTRY
from thermolearn.experiments.spec import STAGES, ExperimentSpec

REPO = Path(__file__).resolve().parents[1]
DEFAULT = configuration.validate(configuration.load(configuration.DEFAULT))
QUICK = configuration.validate(configuration.merge(configuration.load(configuration.DEFAULT),
                                                   configuration.load(REPO / "config/quick.yaml")))


@pytest.fixture(params=list(REGISTRY))
def spec(request) -> ExperimentSpec:
    return REGISTRY[request.param]


def test_the_registry_names_each_experiment_by_its_package(spec):
    assert spec.simulate.run.__module__.startswith(f"thermolearn.experiments.{spec.name}")
    importlib.import_module(f"thermolearn.experiments.{spec.name}.figures")


@pytest.mark.parametrize("config", [DEFAULT, QUICK], ids=["default", "quick"])
def test_the_parameter_space_has_distinct_points_of_plain_values(spec, config):
    space = spec.space(config)
    assert isinstance(space, pd.DataFrame) and len(space) and not space.duplicated().any()
    for point in spec.points(config):
        assert all(isinstance(value, int | float | str) for value in point.values()), point


def test_the_simulate_function_takes_the_point_its_keys_a_seed_and_a_key(spec):
    parameters = inspect.signature(spec.simulate.run).parameters
    given = {*spec.space(DEFAULT).columns, *spec.simulate.keys, "seed", "key"}
    if spec.simulate.point_keys:
        given |= set(spec.simulate.point_keys(DEFAULT[spec.name], spec.points(DEFAULT)[0]))
    assert given <= set(parameters), given - set(parameters)
    required = {name for name, p in parameters.items() if p.default is inspect.Parameter.empty}
    assert required <= given, required - given


def test_stages_read_only_outputs_of_earlier_stages_and_the_summary_collects_tables(spec):
    stages = list(spec.stages)
    assert stages[:2] == ["simulate", "estimate"] and set(stages) <= set(STAGES)
    for position, (name, stage) in enumerate(spec.stages.items()):
        assert stage.keys and set(stage.keys) <= set(DEFAULT[spec.name]), (name, stage.keys)
        for output, source in stage.inputs.items():
            assert source in stages[:position] and output in spec.stages[source].outputs, (name, output)
        if name != "simulate":
            assert list(inspect.signature(stage.run).parameters) == ["job", "log"], name
    assert "table" in spec.stages[stages[-1]].outputs
    assert list(inspect.signature(spec.summary.run).parameters) == ["job", "log"]
    assert set(spec.summary.keys) <= set(DEFAULT[spec.name])
    assert set(spec.summary.needs) <= set(REGISTRY) - {spec.name}


def test_summary_rows_name_summary_columns(spec):
    keys = [key for entry in spec.summary.rows(DEFAULT) for key in (entry if isinstance(entry, tuple) else (entry,))]
    assert set(keys) <= set(spec.summary.columns_of(DEFAULT))


def test_every_figure_function_exists_and_takes_its_params(spec):
    figures = importlib.import_module(f"thermolearn.experiments.{spec.name}.figures")
    section = DEFAULT[spec.name]
    for figure in spec.figures:
        draw = inspect.signature(getattr(figures, figure.draw)).parameters
        assert set(figure.params(section)) | set(figure.inputs(section)) <= set(draw), figure.name
        if figure.read:
            read = inspect.signature(getattr(figures, figure.read)).parameters
            assert set(figure.reading(section)) <= set(read), figure.name
        for stage, output, point in figure.inputs(section).values():
            assert output in spec.stages[stage].outputs and point in spec.points(DEFAULT), figure.name
        assert (REPO / "workflow/report" / f"{figure.caption or figure.name}.rst").exists(), figure.name


def test_figure_files_and_rule_names_are_unique_across_experiments():
    files = [file for spec in REGISTRY.values() for file in spec.figure_files]
    names = [figure.name for spec in REGISTRY.values() for figure in spec.figures]
    assert len(files) == len(set(files)) and len(names) == len(set(names))


def test_relations_are_listed_and_named_once(spec):
    assert spec.relations and len(spec.relations) == len(set(spec.relations))


def test_the_config_schema_and_every_shipped_config_have_its_section(spec):
    schema = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
    assert spec.name in schema["properties"]
    for name in ("config.yaml", "quick.yaml", "paper.yaml"):
        assert spec.name in yaml.safe_load((REPO / "config" / name).read_text()), name


def test_resources_are_positive_at_every_point_and_the_rate_is_measured(spec):
    for point in spec.points(DEFAULT):
        assert resources.job_bytes(DEFAULT, spec.name, point) > 0
        assert resources.simulate_work(DEFAULT, spec.name, point) > 0
    assert resources.rate(spec.name) > 0
