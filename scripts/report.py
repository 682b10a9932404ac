"""The run's record and report pages (workflow/rules/report.smk): its provenance, an experiment's
summary and bounds tables as HTML, or the report's first page with the verdict as HTML."""

from pathlib import Path

import pandas as pd
import yaml

from thermolearn import bounds, report, tables
from thermolearn.scripting import start

start(snakemake)
output = snakemake.output


def write_text(path, text):
    tables.atomic_write(path, lambda tmp: Path(tmp).write_text(text))


if snakemake.rule == "provenance":
    write_text(output[0], yaml.safe_dump(snakemake.params.record, sort_keys=False, width=100))
elif snakemake.rule == "report_page":
    record = yaml.safe_load(Path(snakemake.input.provenance).read_text())
    verdict = bounds.read_table(snakemake.input.verdict, ["experiment", "relation", "rows", "verdict"])
    figures = [(category, images, Path(caption).read_text()) for category, images, caption in snakemake.params.figures]
    write_text(output.page, report.page(Path(snakemake.input.intro).read_text(), record, verdict, figures))
    write_text(output.verdict, report.html_table(verdict.drop(columns="table_rows")))
else:
    for kind in ("summary", "bounds"):
        frame = pd.read_csv(snakemake.input[kind])
        write_text(output[kind], report.html_table(frame))
