"""Stage 5: one figure spec of an experiment, drawn by its function in the experiment's figures
module from the summary (and the per-point tables it names), saved as PNG and PDF."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

import importlib
from pathlib import Path

import matplotlib.figure

from thermolearn import plotting, provenance, tables
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import start, verify

start(snakemake)
p = snakemake.params
for name, read in p.reads.items():
    verify(snakemake.input[name], read)
spec = REGISTRY[p.experiment]
figure = spec.figure(p.figure)
functions = importlib.import_module(f"thermolearn.experiments.{spec.name}.figures")
summary = tables.read_csv(snakemake.input.summary, p.columns, p.rows)
paths = {name: snakemake.input[name] for name in snakemake.input.keys() if name != "summary"}
read = getattr(functions, figure.read)(paths, **p.reading) if figure.read else {}
plotting.setup()
drawn = getattr(functions, figure.draw)(summary, **read, **p.draw)
if isinstance(drawn, matplotlib.figure.Figure):
    drawn = {next(iter(figure.outputs)): drawn}
source = provenance.describe(Path(snakemake.scriptdir).parent)  # the workflow's commit, not the date
for name, fig in drawn.items():
    plotting.save(fig, snakemake.output[name], source)
