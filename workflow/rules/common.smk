import re

from snakemake.utils import Paramspace

from thermolearn.config import job_mem_mb, simulate_runtime_min, simulate_threads
from thermolearn.experiments import REGISTRY, plain

# One job per point of each experiment's parameter space (its settings.space) and per-point stage
# (settings.STAGES): adding a grid value runs only the new points. POINT: the path piece of a
# point, e.g. alpha~{alpha}/nu~{nu}.
SPACE = {name: Paramspace(experiment.settings.space(config)) for name, experiment in REGISTRY.items()}
POINT = {name: space.wildcard_pattern for name, space in SPACE.items()}
STAGES = {name: experiment.settings.STAGES for name, experiment in REGISTRY.items()}
SUMMARY = {name: experiment.settings.SUMMARY for name, experiment in REGISTRY.items()}

# The rows each experiment's summary table must hold, from the config (tables.read_csv's `expect`):
# its readers fail naming the file if rows are missing.
SUMMARY_ROWS = {name: experiment.settings.summary_rows(config) for name, experiment in REGISTRY.items()}

FIGURE_FORMATS = ["pdf", "png"]

# All rules run in the project's environment: .venv (pip), or with --sdm conda the one built
# from environment.yml, where the package is found through PYTHONPATH=src (README).
ENVIRONMENT = "../../environment.yml"

# Report categories (snakemake --report): one per experiment.
CATEGORY = {name: experiment.category for name, experiment in REGISTRY.items()}


# Every path of the workflow is made here: per-point stage outputs, summaries, bounds, figures.
def point_output(experiment, stage, output, point=None):
    """results/<experiment>/<stage>/<point><suffix> of one output of a per-point stage; the
    wildcard pattern, or one point's path given its values (``point``)."""
    if point is not None:
        return REGISTRY[experiment].point_path(stage, output, point)
    return f"results/{experiment}/{stage}/{POINT[experiment]}{STAGES[experiment][stage].outputs[output]}"


def point_outputs(experiment, stage):
    """Every output of a per-point stage, by name (the rule's ``output``)."""
    return {output: point_output(experiment, stage, output) for output in STAGES[experiment][stage].outputs}


def point_inputs(experiment, stage):
    """The outputs of earlier stages that a per-point stage reads, by name (the rule's ``input``)."""
    return {name: point_output(experiment, source, name) for name, source in STAGES[experiment][stage].inputs.items()}


def figure_inputs(experiment, spec):
    """The per-point outputs a figure reads beside the summary, by name."""
    return {name: point_output(experiment, *where) for name, where in spec.inputs(config[experiment]).items()}


def summary_table(experiment):
    return f"results/tables/{experiment}_summary.csv"


def job_log(experiment, stage):
    return f"results/logs/{experiment}/{stage}/{POINT[experiment]}.log"


def job_benchmark(experiment, stage):
    return f"results/benchmarks/{experiment}/{stage}/{POINT[experiment]}.tsv"


def wildcard_constraints_of(experiment):
    """A point's wildcards: numbers, or one of the names in the parameter space (e.g. a rule)."""
    frame = SPACE[experiment].dataframe
    return {
        column: (
            r"[0-9.e+-]+" if frame[column].dtype.kind in "iuf" else "|".join(map(re.escape, sorted(set(frame[column]))))
        )
        for column in frame.columns
    }


def point_of(experiment):
    """The params function of a per-point job: its point's values (plain floats and names)."""
    return lambda wildcards: {
        key: getattr(value, "item", lambda: value)() for key, value in SPACE[experiment].instance(wildcards).items()
    }


def canonical(value):
    """``value`` with every mapping's keys sorted: a job's params do not change when a config file
    lists the same keys in another order (yaml.safe_dump sorts them)."""
    if isinstance(value, dict):
        return {key: canonical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def keys_of(experiment, keys):
    """The config keys of an experiment's section that a job reads: only these enter its params, so
    editing another key reruns nothing here."""
    return canonical({key: config[experiment][key] for key in keys})


def stage_config(experiment, stage):
    """The params ``config`` of a per-point job: its stage's keys and, where the stage reads more at
    its own point (``point_keys``, e.g. the point's learning rule), a function of the wildcards."""
    spec = STAGES[experiment][stage]
    keys = keys_of(experiment, spec.keys)
    if spec.point_keys is None:
        return keys
    return lambda wildcards: keys | canonical(spec.point_keys(config[experiment], point_of(experiment)(wildcards)))


def at_duration(function, experiment):
    """``function(config, experiment[, duration])`` for a simulate job: at the job's own protocol time
    (a function of the wildcards) if the experiment's work grows with one (settings.DURATION)."""
    duration = getattr(REGISTRY[experiment].settings, "DURATION", None)
    if duration is None:
        return function(config, experiment)
    return lambda wildcards: function(config, experiment, float(wildcards[duration]))


def figure(name, experiment, caption):
    """A figure's PNG, shown in the report with its caption (workflow/report/<caption>.rst), and
    its PDF."""
    png = report(
        f"results/figures/{name}.png",
        caption=f"../report/{caption}.rst",
        category=CATEGORY[experiment],
        subcategory="figures",
    )
    return [png, f"results/figures/{name}.pdf"]


def table(path, experiment, kind):
    """A results table, in the report under the experiment (kind: "bounds" or "summary")."""
    return report(path, caption=f"../report/{kind}.rst", category=CATEGORY[experiment], subcategory=kind)


def all_outputs():
    """Every experiment's summary, bounds and figures."""
    return [
        path
        for name, experiment in REGISTRY.items()
        for path in [
            summary_table(name),
            f"results/bounds/{name}.csv",
            *expand("results/figures/{figure}.{ext}", figure=experiment.figures, ext=FIGURE_FORMATS),
        ]
    ]
