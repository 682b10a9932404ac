"""Stage 4: an experiment's bounds and equalities, one row per relation and point with z and p."""

from thermolearn.warm import delegate

delegate(snakemake)  # in the run's warm worker, if there is one

from thermolearn import bounds, tables
from thermolearn.experiments import REGISTRY
from thermolearn.scripting import start, verify

log = start(snakemake)
spec = REGISTRY[snakemake.params.experiment]
verify(snakemake.input.summary, snakemake.params.reads["summary"])
summary = tables.read_csv(snakemake.input.summary, snakemake.params.columns, snakemake.params.rows)
checks = spec.bound_checks(summary, **snakemake.params.options)
if checks.empty:  # a bounds table without rows could not be told from one cut to its header
    raise ValueError(f"{spec.name}: no row of any relation ({', '.join(spec.relations)}) applies at this config")
tables.write_csv(bounds.with_table_rows(checks), snakemake.output.table, snakemake.params.made)
for relation, rows in checks.groupby("relation", sort=False):
    tested = rows[rows["p"].notna()]
    if len(tested) < len(rows):
        reasons = rows.loc[rows["p"].isna(), "note"].unique()[:3]
        log.info("%s: %d rows untested: %s", relation, len(rows) - len(tested), "; ".join(reasons))
    if len(tested):
        worst = tested.loc[tested["p"].idxmin()]
        log.info("%s: %d rows, smallest p = %.3g (z = %.3g, %g dof)", relation, len(tested), worst["p"], worst["z"],
                 worst["dof"])
