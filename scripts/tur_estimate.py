"""Stage 2, Model E: moments of each current and the TUR ratio at every time."""

from thermolearn import tables
from thermolearn.experiments import tur
from thermolearn.scripting import start

start(snakemake)
p = snakemake.params
force = tables.read_csv(snakemake.input.force, ["f"], {}, per=p.N)
currents = tables.read_csv(snakemake.input.currents, tur.CURRENTS, {"trajectory": range(p.trajectories), "t": p.times})
table = tur.estimate(force, currents, p.k, p.T)
table.insert(1, "nu", float(snakemake.wildcards.nu))
tables.write_csv(table, snakemake.output.table)
