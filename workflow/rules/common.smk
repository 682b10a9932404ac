import pandas as pd
from snakemake.utils import Paramspace

from thermolearn.config import job_mem_mb, simulate_runtime_min
from thermolearn.experiments.tur import CURRENTS

BATCH = config["batch"]

# One job per (alpha, nu): adding a grid value runs only the new points.
batch_space = Paramspace(
    pd.DataFrame(
        [(float(a), float(n)) for a in BATCH["alpha"] for n in BATCH["nu"]],
        columns=["alpha", "nu"],
    )
)
BATCH_POINT = batch_space.wildcard_pattern

LANDAUER = config["landauer"]

# One job per (protocol, tau).
landauer_space = Paramspace(
    pd.DataFrame(
        [(p, float(tau)) for p in ("erasure", "control") for tau in LANDAUER["tau"]],
        columns=["protocol", "tau"],
    )
)
LANDAUER_POINT = landauer_space.wildcard_pattern

ONLINE = config["online"]

# One job per (rule, nu, k): the nu scan at k_fixed and the k scan at nu_fixed.
online_space = Paramspace(
    pd.DataFrame(
        sorted(
            {(rule, float(nu), float(ONLINE["k_fixed"])) for rule in ONLINE["rules"] for nu in ONLINE["nu"]}
            | {(rule, float(ONLINE["nu_fixed"]), float(k)) for rule in ONLINE["rules"] for k in ONLINE["k"]}
        ),
        columns=["rule", "nu", "k"],
    )
)
ONLINE_POINT = online_space.wildcard_pattern

TUR = config["tur"]
INFERENCE = config["inference"]

# The rows each experiment's summary table must hold, from the config (tables.read_csv's `expect`):
# its readers fail naming the file if rows are missing. Model C's points and Model D's kinds are
# not products of grids, so they are listed as tuples.
SUMMARY_ROWS = {
    "batch": {"alpha": BATCH["alpha"], "nu": BATCH["nu"], "t": BATCH["times"]},
    "landauer": {"protocol": ["erasure", "control"], "tau": LANDAUER["tau"]},
    "online": {
        ("rule", "nu", "k"): list(online_space.dataframe.itertuples(index=False, name=None)),
        "alpha": ONLINE["alpha"],
    },
    "tur": {"current": CURRENTS, "nu": TUR["nu"], "t": TUR["times"]},
    "inference": {
        ("kind", "tau"): [("analog", tau) for tau in INFERENCE["tau"]] + [("digital", tau) for tau in LANDAUER["tau"]]
    },
}

FIGURE_FORMATS = ["pdf", "png"]

# All rules run in the project's environment: .venv (pip), or with --sdm conda the one built
# from environment.yml, where the package is found through PYTHONPATH=src (README).
ENVIRONMENT = "../../environment.yml"

# Report categories (snakemake --report): one per experiment.
CATEGORY = {
    "landauer": "Model A: Landauer erasure",
    "batch": "Model B: batch learning",
    "online": "Model C: online learning",
    "inference": "Model D: inference",
    "tur": "Model E: TUR",
}


def batch_point(alpha, nu):
    """The path piece of one (alpha, nu) point, as Paramspace writes it."""
    return BATCH_POINT.format(alpha=float(alpha), nu=float(nu))


def batch_model():
    """Model B parameters shared by every point. Only these enter a job's params, so a change
    of the grids does not rerun existing points."""
    return {key: BATCH[key] for key in ("N", "k", "T", "times", "trials")}


def landauer_model():
    """Model A parameters shared by every (protocol, tau) point."""
    return {key: LANDAUER[key] for key in ("dt", "E0", "T", "b_min", "a_max", "trajectories")}


def landauer_trajectories(protocol, tau):
    return f"results/landauer/simulate/protocol~{protocol}/tau~{float(tau)}.csv"


def online_model():
    """Model C parameters shared by every (rule, nu, k) point."""
    return {key: ONLINE[key] for key in ("N", "T", "r", "alpha", "trials", "test_samples")}


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


def batch_figures():
    return expand(
        "results/figures/{figure}.{ext}",
        figure=["batch_eta", "batch_bound", "batch_fluctuation"],
        ext=FIGURE_FORMATS,
    )


def all_outputs():
    return [
        "results/tables/batch_summary.csv",
        "results/bounds/batch.csv",
        *batch_figures(),
        "results/tables/landauer_summary.csv",
        "results/bounds/landauer.csv",
        *expand("results/figures/landauer_work.{ext}", ext=FIGURE_FORMATS),
        "results/tables/online_summary.csv",
        "results/bounds/online.csv",
        *expand(
            "results/figures/{figure}.{ext}",
            figure=["online_eta_nu", "online_eta_k", "online_dynamics"],
            ext=FIGURE_FORMATS,
        ),
        "results/tables/tur_summary.csv",
        "results/bounds/tur.csv",
        *expand(
            "results/figures/{figure}.{ext}",
            figure=["tur_ratio", "tur_tradeoff"],
            ext=FIGURE_FORMATS,
        ),
        "results/tables/inference_summary.csv",
        "results/bounds/inference.csv",
        *expand("results/figures/inference_energy.{ext}", ext=FIGURE_FORMATS),
    ]
