"""One style for every figure: column width, colours, theory as lines, simulation as points."""

import itertools
import logging

import matplotlib
import numpy as np

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib import colors, ticker  # noqa: E402

from thermolearn import statistics, tables  # noqa: E402

COLUMN_WIDTH = 3.4
"""Inches: one column of a two-column journal."""

MARKERS = "osD^v<>p"

RULE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
"""Okabe-Ito: the learning rules' colours, told apart also with a colour-vision deficiency."""

RULE_LABELS = {"hebbian": "Hebbian", "perceptron": "Perceptron", "adatron": "AdaTron"}


def rule_styles(specs):
    """Colour, marker and legend label of each configured rule (mappings name, function, params, as
    ``online.rules.spec`` gives them), by its place in the config: distinct for up to eight rules,
    the same in every figure of a run. The label is the name and the parameters."""
    styles = {}
    for place, spec in enumerate(specs):
        label = RULE_LABELS.get(spec["name"], spec["name"].replace("_", " "))
        if spec["params"]:
            label += f" ({parameters(**spec['params'])})"
        styles[spec["name"]] = dict(color=RULE_COLOURS[place % len(RULE_COLOURS)],
                                    marker=MARKERS[place % len(MARKERS)], label=label)
    return styles


# seaborn's theme as sns.set_theme(context="paper", style="ticks") sets it, without importing seaborn
# (half a second, with the scipy.stats it imports): its "notebook" sizes times 0.8, its "ticks"
# style, its "deep" colour cycle and its one-letter colours.
_NOTEBOOK = {
    "font.size": 12, "axes.labelsize": 12, "axes.titlesize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11,
    "legend.fontsize": 11, "legend.title_fontsize": 12, "axes.linewidth": 1.25, "grid.linewidth": 1,
    "lines.linewidth": 1.5, "lines.markersize": 6, "patch.linewidth": 1, "xtick.major.width": 1.25,
    "ytick.major.width": 1.25, "xtick.minor.width": 1, "ytick.minor.width": 1, "xtick.major.size": 6,
    "ytick.major.size": 6, "xtick.minor.size": 4, "ytick.minor.size": 4,
}
THEME = {
    **{key: 0.8 * value for key, value in _NOTEBOOK.items()},
    "axes.axisbelow": True, "axes.edgecolor": ".15", "axes.labelcolor": ".15", "text.color": ".15",
    "xtick.color": ".15", "ytick.color": ".15", "grid.color": ".8", "patch.edgecolor": "w",
    "patch.force_edgecolor": True, "lines.solid_capstyle": "round",
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "axes.prop_cycle": cycler(color=["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
                                     "#8C8C8C", "#CCB974", "#64B5CD"]),
}
"""The theme's rcParams."""

COLOR_CODES = dict(zip("bgrmyck", ["#4C72B0", "#55A868", "#C44E52", "#8172B3", "#CCB974", "#64B5CD", (0.1, 0.1, 0.1)]))
"""The one-letter colours ("ko-") as the theme redefines them."""


def setup():
    """Apply the project's style (seaborn 'ticks', paper context, serif maths)."""
    matplotlib.rcParams.update(THEME)
    for code, colour in COLOR_CODES.items():
        colors.colorConverter.colors[code] = colors.to_rgb(colour)
    matplotlib.rcParams.update({
        "figure.dpi": 150,
        "savefig.dpi": 300,
        "savefig.bbox": "tight",
        "legend.frameon": False,
        "mathtext.fontset": "cm",
        "errorbar.capsize": 2,
        "lines.markersize": 4,
        "axes.titlesize": "medium",
    })


def error_bar(rows, name):
    """Half-width of the 68.27% t-interval of rows[name]: its standard error ``name_err`` times the
    t quantile with the rows' ``dof`` (statistics.interval)."""
    return statistics.interval(rows[f"{name}_err"], rows["dof"])


def colours(values, palette="viridis"):
    """The same colour for the same parameter value in every figure of an experiment: the colormap
    ``palette`` sampled as seaborn's ``color_palette`` samples it (seaborn's own colormaps, such
    as "rocket", need seaborn to be imported)."""
    values = sorted(values)
    if palette not in matplotlib.colormaps:
        import seaborn  # noqa: F401  (registers its colormaps)
    samples = matplotlib.colormaps[palette](np.linspace(0.0, 1.0, max(len(values), 1) + 2)[1:-1])
    return dict(zip(values, (colors.rgb2hex(rgb) for rgb in samples[:, :3])))


def figure(n_panels=1, height=2.6, **kwargs):
    """A column-width figure with n_panels side by side (or stacked if ``nrows`` is given)."""
    nrows = kwargs.pop("nrows", 1)
    ncols = n_panels if nrows == 1 else 1
    width = COLUMN_WIDTH if ncols == 1 else 2 * COLUMN_WIDTH + 0.3 * (ncols - 2)
    return plt.subplots(nrows, ncols, figsize=(width, height * nrows), layout="constrained", **kwargs)


SYMBOLS = {
    "nu": r"\nu", "alpha": r"\alpha", "alpha_f": r"\alpha_f", "E0": "E_0", "a_max": r"a_\mathrm{max}",
    "b_min": r"b_\mathrm{min}", "t_f": "t_f", "gamma": r"\gamma", "kappa": r"\kappa", "beta": r"\beta",
    "sigma": r"\sigma", "sigma_y": r"\sigma_y", "epsilon": r"\epsilon",
}
"""TeX symbol of a parameter named as in the config."""


def parameters(**values):
    """'$k = 2$, $T = 0.5$': the parameters that define a figure, for its title. A name without a symbol
    (a user rule's parameter, "lam") is set as text, so it does not read as a product of symbols."""
    return ", ".join(f"${SYMBOLS.get(name, name)} = {value:g}$" if name in SYMBOLS or len(name) == 1
                     else f"{name} = ${value:g}$"
                     for name, value in values.items())


def with_error(value, err, digits=2):
    """'4.35(6)': ``value`` to the decimal of the ``digits``-th significant digit of its error ``err``, the
    error in those last digits; three significant digits of the value where there is no error."""
    if not np.isfinite(err) or err <= 0:
        return f"{value:.3g}"
    decimals = max(0, digits - 1 - int(np.floor(np.log10(err))))
    scaled = round(err * 10**decimals)
    if decimals == 0:
        return f"{value:.0f}({scaled:.0f})"
    return f"{value:.{decimals}f}({scaled:.0f})"


def fit_label(fit, variable=r"\tau"):
    """'fit $0.693(6) + 4.3(1)/\tau$' of a row with FIT_COLUMNS (thermolearn.estimators), with C/tau^2 where
    the fit has that order, and its chi^2 and p-value (none for a fit without degrees of freedom)."""

    def term(value, err, power):
        sign = "-" if value < 0 else "+"
        return f" {sign} {with_error(abs(value), err)}/{variable}" + (f"^{power}" if power > 1 else "")

    terms = with_error(fit["w_inf"], fit["w_inf_err"]) + term(fit["b"], fit["b_err"], 1)
    if fit["fit_order"] == 2:
        terms += term(fit["c"], fit["c_err"], 2)
    if fit["fit_chi2_dof"] == 0:
        return rf"fit ${terms}$ (two points: no test of its form)"
    return rf"fit ${terms}$, $\chi^2 = {fit['fit_chi2']:.2g}$ ({fit['fit_chi2_dof']:g} dof, $p = {fit['fit_p']:.2g}$)"


def legend(fig, *handles_and_labels, ncols=2):
    """One legend for the figure, below its panels: it never covers data."""
    return fig.legend(*handles_and_labels, loc="outside lower center", ncols=ncols, fontsize="small")


def label_log_axes(fig):
    """No labels on minor log ticks (they overlap in a column-wide panel); an axis spanning less
    than two decades gets its major ticks at 1, 2 and 5 x 10^n, written as plain numbers."""
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if axis.get_scale() != "log":
                continue
            axis.set_minor_formatter(ticker.NullFormatter())
            low, high = sorted(axis.get_view_interval())
            if np.log10(high / low) < 2:
                axis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
                axis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))


def panel_label(ax, label, title=""):
    """'(a) title' above the panel, left-aligned: outside the data."""
    ax.set_title(f"({label}) {title}".rstrip(), loc="left")


def overlaps(fig):
    """What covers what in a drawn figure: a legend over data (points, error bars, lines and bars
    drawn in data coordinates) of its axes, and any text (title, label, tick label, legend entry)
    over another."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    found = []
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is not None:
            box = legend.get_window_extent(renderer)
            for artist in [*ax.lines, *ax.collections, *ax.patches]:
                if _covers(artist, box, ax.transData):
                    found.append(f"legend of '{ax.get_title('left') or ax.get_title()}' covers {artist.get_label()}")
    texts = [t for t in _drawn_texts(fig) if t.get_visible() and t.get_text().strip()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for (a, box_a), (b, box_b) in itertools.combinations(zip(texts, boxes), 2):
        if box_a.overlaps(box_b):
            found.append(f"texts {a.get_text()!r} and {b.get_text()!r} overlap")
    return found


def _drawn_texts(fig):
    """Every text of the figure, without the labels of ticks outside the view (not drawn)."""
    hidden = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * (high - low)
            ticks = [*axis.get_major_ticks(len(axis.get_majorticklocs())),
                     *axis.get_minor_ticks(len(axis.get_minorticklocs()))]
            hidden |= {id(label) for tick in ticks if not low - slack <= tick.get_loc() <= high + slack
                       for label in (tick.label1, tick.label2)}
    return [text for text in fig.findobj(matplotlib.text.Text) if id(text) not in hidden]


def _covers(artist, box, data):
    """Whether an artist drawn in data coordinates has a marker inside, or a segment or area
    across, the display box (artists in axes coordinates, like axhline, are not data)."""
    patch = isinstance(artist, matplotlib.patches.Patch)
    if (artist.get_data_transform() if patch else artist.get_transform()) != data:
        return False
    if isinstance(artist, matplotlib.lines.Line2D):
        shown = artist.get_transform().transform_path(artist.get_path())
        points = shown.vertices[np.isfinite(shown.vertices).all(axis=1)]
        if artist.get_marker() not in ("None", "none", "", " ", None) and box.count_contains(points):
            return True
        return artist.get_linestyle() not in ("None", "none", "", " ") and shown.intersects_bbox(box, filled=False)
    paths = [artist.get_path()] if patch else artist.get_paths()
    return any(artist.get_transform().transform_path(path).intersects_bbox(box, filled=patch) for path in paths)


def finish(fig):
    """Label the log axes; return what covers what (:func:`overlaps`)."""
    label_log_axes(fig)
    return overlaps(fig)


def metadata(fmt, source):
    """A figure's metadata: ``source`` (thermolearn.provenance.describe: the commit that drew it) as the
    PDF's Creator or the PNG's Software, and no creation date, so the same commit draws the same bytes."""
    return {"pdf": {"CreationDate": None, "Creator": source}, "png": {"Software": source}}[fmt]


def save(fig, paths, source):
    """Finish, save to every path (pdf, png) with ``source`` in its metadata, each written atomically;
    log what covers what."""
    for problem in finish(fig):
        logging.getLogger(__name__).warning("%s: %s", paths[0], problem)
    for path in paths:
        fmt = str(path).rsplit(".", 1)[-1]
        tables.atomic_write(path, lambda tmp, fmt=fmt: fig.savefig(tmp, format=fmt, metadata=metadata(fmt, source)))
    plt.close(fig)
