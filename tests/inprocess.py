"""One experiment's jobs run in this process as the workflow runs them (same stage functions, params,
checked reads and atomic writes, no Snakemake): a quick way to see that an accepted config value runs
to the end or fails naming what stopped it."""

import logging
from pathlib import Path
from types import SimpleNamespace

from thermolearn import bounds, tables
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import run_at, write

LOG = logging.getLogger("inprocess")


def _canonical(value):
    if isinstance(value, dict):
        return {key: _canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value


def _job(spec, stage, config, point, inputs):
    section = config[spec.name]
    keys = spec.stages[stage].keys
    at_point = spec.stages[stage].point_keys or (lambda section, point: {})
    params = {key: section[key] for key in keys} | _canonical(at_point(section, point))
    return SimpleNamespace(input=SimpleNamespace(**inputs),
                           params=SimpleNamespace(point=point, config=params, seed=config["seed"]))


def run_experiment(config, name, folder, summaries=None):
    """Every stage of experiment ``name`` at every point of a validated ``config``, its tables under
    ``folder``; the bounds table (written and read back as the verdict reads it). ``summaries``:
    the summary paths of the experiments it needs."""
    spec, folder = REGISTRY[name], Path(folder)
    points = spec.points(config)
    paths = {}
    for i, point in enumerate(points):
        for stage, declared in spec.stages.items():
            if stage == "information":
                continue
            inputs = {output: paths[(i, source, output)] for output, source in declared.inputs.items()}
            outputs = run_at(spec, stage, _job(spec, stage, config, point, inputs), LOG)
            targets = {output: str(folder / f"{stage}-{i}-{output}{declared.outputs[output]}") for output in outputs}
            write(outputs, targets, LOG)
            paths |= {(i, stage, output): path for output, path in targets.items()}
    if spec.information is not None:
        per_point = []
        for i, point in enumerate(points):
            inputs = {output: paths[(i, source, output)] for output, source in spec.information.inputs.items()}
            per_point.append(run_at(spec, "information", _job(spec, "information", config, point, inputs),
                                    LOG)["table"])
    else:
        per_point = [paths[(i, list(spec.stages)[-1], "table")] for i in range(len(points))]
    needs = {need: (summaries or {})[need] for need in spec.summary.needs}
    job = SimpleNamespace(input=SimpleNamespace(tables=per_point, **needs),
                          params=SimpleNamespace(points=points,
                                                 config={key: config[name][key] for key in spec.summary.keys},
                                                 needs_rows={need: REGISTRY[need].summary.rows(config)
                                                             for need in spec.summary.needs}))
    summary_path = folder / f"{name}_summary.csv"
    write({"summary": spec.summary.run(job, LOG)}, {"summary": str(summary_path)}, LOG)
    summary = tables.read_csv(summary_path, spec.summary.columns, spec.summary.rows(config))
    checks = spec.bound_checks(summary, **spec.bound_options(config))
    bounds_path = folder / f"{name}_bounds.csv"
    tables.write_csv(bounds.with_table_rows(checks), bounds_path)
    return bounds.read_table(bounds_path, bounds.ROW_COLUMNS), summary_path
