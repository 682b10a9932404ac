"""One style for every figure: column width, colours, theory as lines, simulation as points."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from thermolearn import io  # noqa: E402

COLUMN_WIDTH = 3.4
"""Inches: one column of a two-column journal."""

MARKERS = "osD^v<>p"

RULE_STYLE = {
    "hebbian": dict(color="#0072B2", marker="o", label="Hebbian"),
    "perceptron": dict(color="#D55E00", marker="s", label="Perceptron"),
    "adatron": dict(color="#009E73", marker="D", label="AdaTron"),
}
"""The same colour and marker for a learning rule in every figure."""


def setup():
    """Apply the project's style (seaborn 'ticks', paper context, serif maths)."""
    sns.set_theme(
        context="paper",
        style="ticks",
        font_scale=1.0,
        rc={
            "figure.dpi": 150,
            "savefig.dpi": 300,
            "savefig.bbox": "tight",
            "legend.frameon": False,
            "mathtext.fontset": "cm",
            "errorbar.capsize": 2,
            "lines.markersize": 4,
            "axes.titlesize": "medium",
        },
    )


def colours(values, palette="viridis"):
    """The same colour for the same parameter value in every figure of an experiment."""
    values = sorted(values)
    return dict(zip(values, sns.color_palette(palette, n_colors=max(len(values), 1)).as_hex()))


def figure(n_panels=1, height=2.6, **kwargs):
    """A column-width figure with n_panels side by side (or stacked if ``nrows`` is given)."""
    nrows = kwargs.pop("nrows", 1)
    ncols = n_panels if nrows == 1 else 1
    width = COLUMN_WIDTH if ncols == 1 else 2 * COLUMN_WIDTH + 0.3 * (ncols - 2)
    return plt.subplots(nrows, ncols, figsize=(width, height * nrows), layout="constrained", **kwargs)


def panel_label(ax, label):
    """(a), (b), ... in the upper left corner."""
    ax.text(0.02, 0.97, f"({label})", transform=ax.transAxes, va="top", ha="left", weight="bold")


def save(fig, paths):
    """Save to every path (pdf, png), each written atomically."""
    for path in paths:
        fmt = str(path).rsplit(".", 1)[-1]
        io.atomic_write(path, lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt))
    plt.close(fig)
