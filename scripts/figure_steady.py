"""Figures F1-F3: steady-state efficiency vs gamma/k, the TUR ratio over time, eps_g vs dissipation."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn import plotting, tables
from thermolearn.experiments import steady
from thermolearn.experiments.steady import figures
from thermolearn.scripting import start

start(snakemake)
settings = snakemake.params.steady
summary = tables.read_csv(snakemake.input.summary, steady.SUMMARY_COLUMNS, snakemake.params.rows)
k, T, point = settings["k"], settings["T"], settings["ratio_point"]
plotting.setup()
plotting.save(figures.efficiency(summary, k, T), snakemake.output.efficiency)
plotting.save(figures.tur(summary, point["gamma"], point["c"], k, T), snakemake.output.tur)
plotting.save(figures.generalisation(summary, k, T, settings["N"]), snakemake.output.generalisation)
