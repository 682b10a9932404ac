"""Stage 2, Model E: moments of each current and the TUR ratio at every time."""

from thermolearn import io, tur
from thermolearn.scripting import start

start(snakemake)
force = io.read_csv(snakemake.input.force, ["f"])
currents = io.read_csv(snakemake.input.currents, ["trajectory", "t", *tur.CURRENTS])
table = tur.estimate(force, currents, snakemake.params.k, snakemake.params.T)
table.insert(1, "nu", float(snakemake.wildcards.nu))
io.write_csv(table, snakemake.output.table)
