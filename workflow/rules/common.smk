import os
import re

from snakemake.utils import Paramspace

from thermolearn.config import results_dir
from thermolearn.experiments import REGISTRY
from thermolearn.resources import experiment_mem_mb, job_mem_mb, simulate_runtime_min, simulate_threads
from thermolearn.scripting import made_by, reading

# Every output of this run goes under RESULTS = results/<run>/ (thermolearn.config.run_name: the config's
# `run`, else the stem of the last --configfile, else "default"), so a variant never overwrites another run.
RESULTS = results_dir(config["run"])
# The report's first page, written by the run (workflow/rules/report.smk): the Snakefile's `report:`.
REPORT_PAGE = f"{RESULTS}/report/index.rst"

# Every path, param and resource of the generated rules is made here, from the experiment registry
# (thermolearn.experiments: one SPEC per experiment). A point's path piece comes from its parameter
# space, e.g. alpha~{alpha}/nu~{nu}; adding a grid value runs only the new points' per-point jobs.
SPACE = {name: Paramspace(spec.space(config)) for name, spec in REGISTRY.items()}
POINT = {name: space.wildcard_pattern for name, space in SPACE.items()}
POINTS = {name: spec.points(config) for name, spec in REGISTRY.items()}

# The rows each experiment's summary table must hold, from the config (tables.read_csv's `expect`):
# its readers fail naming the file if rows are missing...
SUMMARY_ROWS = {name: spec.summary.rows(config) for name, spec in REGISTRY.items()}
# ... and the columns (they may depend on the config, e.g. on a model's size).
SUMMARY_COLUMNS = {name: spec.summary.columns_of(config) for name, spec in REGISTRY.items()}

FIGURE_FORMATS = ["png", "pdf"]

# All rules run in the project's environment: .venv (pip), or with --sdm conda the one built
# from environment.yml, where the package is found through PYTHONPATH=src (docs/usage.md).
ENVIRONMENT = "../../environment.yml"


def canonical(value):
    """``value`` with every mapping's keys sorted: a job's params do not change when a config file
    lists the same keys in another order."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def keys_of(name, keys):
    """The config keys of an experiment's section that a job reads: only these enter its params, so
    editing another key reruns nothing here."""
    return canonical({key: config[name][key] for key in keys})


def point_output(name, stage, output, point=None):
    """results/<run>/<name>/<stage>/<point><suffix>: the wildcard pattern, or one point's path."""
    if point is not None:
        return f"{RESULTS}/{REGISTRY[name].point_path(stage, output, point)}"
    return f"{RESULTS}/{name}/{stage}/{POINT[name]}{REGISTRY[name].stages[stage].outputs[output]}"


def per_point(name, stage):
    """Whether a stage runs as one job per point (else one job for every point)."""
    return stage != "information" and REGISTRY[name].stages[stage].per_point


def stage_outputs(name, stage):
    """A stage's outputs by name: the wildcard pattern of a per-point job, or every point's path."""
    spec = REGISTRY[name].stages[stage]
    if per_point(name, stage):
        return {output: point_output(name, stage, output) for output in spec.outputs}
    return {output: [point_output(name, stage, output, point) for point in POINTS[name]] for output in spec.outputs}


def stage_inputs(name, stage):
    """The outputs of earlier stages that a stage reads, by name, like ``stage_outputs``."""
    spec = REGISTRY[name].stages[stage]
    if per_point(name, stage):
        return {output: point_output(name, source, output) for output, source in spec.inputs.items()}
    return {
        output: [point_output(name, source, output, point) for point in POINTS[name]]
        for output, source in spec.inputs.items()
    }


def point_of(name):
    """The params function of a per-point job: its point's values (plain floats and names)."""
    return lambda wildcards: {
        key: getattr(value, "item", lambda: value)() for key, value in SPACE[name].instance(wildcards).items()
    }


def stage_params(name, stage):
    """A stage job's params: the experiment and stage, the stage's config keys, and its point (a
    per-point job; a function of the wildcards) or every point with what each reads at its own point;
    the params hash its tables record (``made``) and those it expects of its inputs (``reads``)."""
    spec = REGISTRY[name].stages[stage]
    params = {"experiment": name, "stage": stage, "config": keys_of(name, spec.keys)}
    at_point = spec.point_keys or (lambda section, point: {})
    if per_point(name, stage):
        point = point_of(name)
        params["point"] = point
        params["point_config"] = lambda wildcards: canonical(at_point(config[name], point(wildcards)))
        params["made"] = lambda wildcards: made_by(config, name, stage, point(wildcards))
        params["reads"] = lambda wildcards: {
            input: reading(config, name, source, point(wildcards)) for input, source in spec.inputs.items()
        }
    else:
        params["points"] = POINTS[name]
        params["point_configs"] = [canonical(at_point(config[name], point)) for point in POINTS[name]]
        params["made"] = [made_by(config, name, stage, point) for point in POINTS[name]]
        params["reads"] = {
            input: [reading(config, name, source, point) for point in POINTS[name]]
            for input, source in spec.inputs.items()
        }
    return params


def information_params(name):
    """The information job's params: its stage's (if the experiment has one) and its summary's config
    keys and the rows of the summaries it reads."""
    spec = REGISTRY[name]
    params = stage_params(name, "information") if spec.information else {"experiment": name, "points": POINTS[name]}
    return params | {
        "summary_config": keys_of(name, spec.summary.keys),
        "needs_rows": {need: SUMMARY_ROWS[need] for need in spec.summary.needs},
        "summary_made": made_by(config, name, "summary"),
        "summary_reads": {
            "tables": [reading(config, name, last_stage(name), point) for point in POINTS[name]],
            **{need: reading(config, need, "summary") for need in spec.summary.needs},
        },
    }


def wildcard_constraints_of(name):
    """A point's wildcards: numbers, or one of the names in the parameter space (e.g. a rule)."""
    frame = SPACE[name].dataframe
    return {
        column: (
            r"[0-9.e+-]+" if frame[column].dtype.kind in "iuf" else "|".join(map(re.escape, sorted(set(frame[column]))))
        )
        for column in frame.columns
    }


def stage_log(name, stage):
    """The log of a stage job: one per point, or one for the experiment."""
    return (
        f"{RESULTS}/logs/{name}/{stage}/{POINT[name]}.log"
        if per_point(name, stage)
        else f"{RESULTS}/logs/{name}/{stage}.log"
    )


def stage_benchmark(name, stage):
    return stage_log(name, stage).replace(f"{RESULTS}/logs/", f"{RESULTS}/benchmarks/").replace(".log", ".tsv")


def at_point(function, name):
    """``function(config, name, point)`` of a per-point job, as a function of its wildcards."""
    return lambda wildcards: function(config, name, point_of(name)(wildcards))


def on_attempt(function, name):
    """``function(config, name, point, attempt)`` of a per-point job, as a function of its wildcards and
    Snakemake's ``attempt`` (a retry asks for more)."""
    return lambda wildcards, attempt: function(config, name, point_of(name)(wildcards), attempt)


def mem_mb(name, stage):
    """Memory request of a stage job: its point's, or the largest point's for a job over every point."""
    if per_point(name, stage):
        return on_attempt(job_mem_mb, name)
    return lambda wildcards, attempt: experiment_mem_mb(config, name, attempt)


def summary_table(name):
    return f"{RESULTS}/tables/{name}_summary.csv"


def last_stage(name):
    """The per-point stage whose ``table`` outputs the summary collects."""
    return list(REGISTRY[name].stages)[-1]


def figure_reads(name, figure):
    """What a figure job expects of its inputs (``reading``): the summary and the per-point tables."""
    return {
        "summary": reading(config, name, "summary"),
        **{
            input: reading(config, name, stage, point)
            for input, (stage, _, point) in figure.inputs(config[name]).items()
        },
    }


def figure_inputs(name, figure):
    """The per-point outputs a figure reads beside the summary, by name."""
    return {input: point_output(name, *where) for input, where in figure.inputs(config[name]).items()}


def figure_outputs(name, figure):
    """A figure's PNG (shown in the report with its caption, workflow/report/<caption>.rst) and PDF,
    by output name."""
    caption = f"../report/{figure.caption or figure.name}.rst"
    category = REGISTRY[name].category
    outputs = {}
    for output, file in figure.outputs.items():
        png = report(f"{RESULTS}/figures/{file}.png", caption=caption, category=category, subcategory="figures")
        outputs[output] = [png, f"{RESULTS}/figures/{file}.pdf"]
    return outputs


def bounds_table(name):
    return f"{RESULTS}/bounds/{name}.csv"


def report_table(name, kind):
    """A results table as HTML, in the report under the experiment (kind: "bounds" or "summary")."""
    path = f"{RESULTS}/report/{name}_{kind}.html"
    return report(path, caption=f"../report/{kind}.rst", category=REGISTRY[name].category, subcategory=kind)


def made_tables():
    """Every table a job writes for another job: what the current config expects of it (``reading``)."""
    made = {}
    for name, spec in REGISTRY.items():
        for stage, declared in spec.stages.items():
            if stage != "information":
                for point in POINTS[name]:
                    read = reading(config, name, stage, point)
                    made |= {point_output(name, stage, output, point): read for output in declared.outputs}
        made[summary_table(name)] = reading(config, name, "summary")
        made[f"{RESULTS}/bounds/{name}.csv"] = reading(config, name, "bounds")
    made[f"{RESULTS}/bounds/verdict.csv"] = reading(config, None, "verdict")
    return made


def report_figures():
    """(category, PNGs, caption file) of every figure spec, for the report's first page."""
    return [
        (
            spec.category,
            [f"{RESULTS}/figures/{file}.png" for file in figure.outputs.values()],
            os.path.join(workflow.basedir, f"workflow/report/{figure.caption or figure.name}.rst"),
        )
        for spec in REGISTRY.values()
        for figure in spec.figures
    ]


def all_outputs():
    """Every experiment's summary, bounds and figures, their HTML tables and the report's first page."""
    return [REPORT_PAGE] + [
        path
        for name, spec in REGISTRY.items()
        for path in [
            summary_table(name),
            bounds_table(name),
            f"{RESULTS}/report/{name}_summary.html",
            f"{RESULTS}/report/{name}_bounds.html",
            *expand(f"{RESULTS}/figures/{{figure}}.{{ext}}", figure=spec.figure_files, ext=FIGURE_FORMATS),
        ]
    ]
