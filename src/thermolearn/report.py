"""The report of a run (``snakemake --report``): its first page, made by the run itself, shows the
verdict, the provenance with the effective config, and every figure beside its caption; the summary
and bounds tables go into the report as HTML tables."""

import base64
import textwrap
from pathlib import Path

import pandas as pd
import yaml

from thermolearn import bounds


def html_table(frame: pd.DataFrame) -> str:
    """A table as HTML (six significant digits; the CSV beside it keeps full precision)."""
    return frame.to_html(index=False, border=0, na_rep="", float_format=lambda x: f"{x:.6g}")


def raw_html(html: str) -> str:
    """An rst block that passes ``html`` through."""
    return ".. raw:: html\n\n" + textwrap.indent(html, "   ") + "\n"


def heading(title: str, underline: str = "-") -> str:
    return f"{title}\n{underline * len(title)}\n"


def verdict_section(verdict: pd.DataFrame) -> str:
    """The decision of the run in bold (as the run prints it last), its scope, and the verdict table."""
    lines = bounds.report(verdict).splitlines()
    after_table = lines[2 + len(verdict):]  # the scope line, the text table (a header and a line a row), ...
    decision = "\n\n".join(f"**{line}**" if line == lines[-1] else line for line in after_table)
    table = f'<div style="overflow-x: auto">{html_table(verdict)}</div>'  # scrolls within the page's column
    return f"{heading('Verdict')}\n{decision}\n\n{lines[0]}.\n\n{raw_html(table)}"


def provenance_section(record: dict) -> str:
    """The commit (and whether the tree was dirty), Python, the platform, the packages and the config."""
    commit = record["commit"] or "not a git checkout"
    state = {True: " (**dirty tree**: tracked files differ from the commit)", False: "", None: ""}[record["dirty"]]
    packages = "\n".join(f"{name}=={version}" for name, version in record["packages"].items())
    config = yaml.safe_dump(record["config"], sort_keys=False, width=100)
    return (f"{heading('Run')}\n"
            f"- run: ``{record['run']}``\n- commit: ``{commit}``{state}\n- Python: {record['python']}\n"
            f"- platform: {record['platform']}\n\n"
            + raw_html(f"<details><summary>{len(record['packages'])} installed packages</summary>"
                       f"<pre>{packages}</pre></details>")
            + "\nThe effective configuration (the default merged with the run's config files and ``--config``)::\n\n"
            + textwrap.indent(config, "   ") + "\n")


def data_uri(image: str) -> str:
    """A PNG as a data URI, so the report's single HTML file shows it, in indented lines of 76 characters
    (docutils refuses longer lines and joins a URI's lines)."""
    data = base64.b64encode(Path(image).read_bytes()).decode()
    return "data:image/png;base64,\n" + "\n".join(f"   {data[i:i + 76]}" for i in range(0, len(data), 76))


def figures_section(figures: list[tuple[str, list[str], str]]) -> str:
    """Each figure spec's images (embedded in the page) followed by its caption, under its experiment's category."""
    parts = [heading("Figures")]
    for category, images, caption in figures:
        parts += [f".. image:: {data_uri(image)}\n   :alt: {image}\n   :width: 100%\n" for image in images]
        parts.append(f"*{category}.* {caption.strip()}\n")
    return "\n".join(parts)


TOP = raw_html("<style>.h-screen.items-center { align-items: flex-start; }</style>")
"""Snakemake's report centres its first page vertically in the window, which leaves the top of a page
taller than the window (the verdict) out of reach of the scroll bar: align the page to the top."""


def page(intro: str, record: dict, verdict: pd.DataFrame, figures: list[tuple[str, list[str], str]]) -> str:
    """The report's first page (reStructuredText, rendered by Snakemake with Jinja over the config)."""
    return "\n".join([TOP, intro.strip() + "\n", verdict_section(verdict), provenance_section(record),
                      figures_section(figures)])
