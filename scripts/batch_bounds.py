"""Stage 4, Model B: check alpha I <= Delta S + <Q>/T and the fluctuation theorem."""

from thermolearn import batch, io
from thermolearn.scripting import start

log = start(snakemake)
summary = io.read_csv(snakemake.input.summary, batch.SUMMARY_COLUMNS)
bounds = batch.bound_checks(summary)
io.write_csv(bounds, snakemake.output.table)
for relation, rows in bounds.groupby("relation", sort=False):
    message = f"{relation}: {rows['holds'].sum()}/{len(rows)} hold within 3 SE"
    log.info(message)
    print(f"[batch bounds] {message}")
