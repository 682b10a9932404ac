from snakemake.utils import Paramspace

from thermolearn.config import job_mem_mb, simulate_runtime_min
from thermolearn.experiments import REGISTRY
from thermolearn.experiments.landauer import PROTOCOLS
from thermolearn.experiments.online.kernel import RULES
from thermolearn.experiments.tur import CURRENTS

BATCH = config["batch"]
LANDAUER = config["landauer"]
ONLINE = config["online"]
TUR = config["tur"]
INFERENCE = config["inference"]

# One simulate job per point of each experiment's parameter space (its settings.space): adding a
# grid value runs only the new points. POINT: the path piece of a point, e.g. alpha~{alpha}/nu~{nu}.
SPACE = {name: Paramspace(experiment.settings.space(config)) for name, experiment in REGISTRY.items()}
POINT = {name: space.wildcard_pattern for name, space in SPACE.items()}

# The rows each experiment's summary table must hold, from the config (tables.read_csv's `expect`):
# its readers fail naming the file if rows are missing.
SUMMARY_ROWS = {name: experiment.settings.summary_rows(config) for name, experiment in REGISTRY.items()}

FIGURE_FORMATS = ["pdf", "png"]

# All rules run in the project's environment: .venv (pip), or with --sdm conda the one built
# from environment.yml, where the package is found through PYTHONPATH=src (README).
ENVIRONMENT = "../../environment.yml"

# Report categories (snakemake --report): one per experiment.
CATEGORY = {name: experiment.category for name, experiment in REGISTRY.items()}


def batch_point(alpha, nu):
    """The path piece of one (alpha, nu) point, as Paramspace writes it."""
    return POINT["batch"].format(alpha=float(alpha), nu=float(nu))


def model(experiment):
    """The parameters shared by every point of an experiment (its settings.MODEL). Only these
    enter a simulate job's params, so a change of the grids does not rerun existing points."""
    return {key: config[experiment][key] for key in REGISTRY[experiment].settings.MODEL}


def landauer_trajectories(protocol, tau):
    return f"results/landauer/simulate/protocol~{protocol}/tau~{float(tau)}.csv"


def point_rows(space, **within):
    """The rows each per-point table of ``space`` must hold, in input order (tables.read_tables'
    ``expect``): the point's own values, and ``within`` (e.g. every time)."""
    return [{key: [value] for key, value in point.items()} | within for point in space.dataframe.to_dict("records")]


def figure(name, experiment, caption=None):
    """A figure's PNG, shown in the report with its caption (workflow/report/<caption>.rst), and
    its PDF."""
    png = report(
        f"results/figures/{name}.png",
        caption=f"../report/{caption or name}.rst",
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
            f"results/tables/{name}_summary.csv",
            f"results/bounds/{name}.csv",
            *expand("results/figures/{figure}.{ext}", figure=experiment.figures, ext=FIGURE_FORMATS),
        ]
    ]
