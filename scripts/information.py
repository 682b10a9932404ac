"""Stage 3 of any experiment: information and efficiency at every point, then its summary table
(thermolearn.scripting.run_information)."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn.scripting import run_information

run_information(snakemake)
