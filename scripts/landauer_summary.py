"""Stage 3, Model A: every point, the generalized Landauer bound and the fit W_inf + B/tau."""

from thermolearn import tables
from thermolearn.experiments import landauer
from thermolearn.scripting import start

log = start(snakemake)
points = tables.read_tables(snakemake.input.tables, landauer.ESTIMATE_COLUMNS, snakemake.params.rows)
fit_min_tau = snakemake.params.fit_min_tau
table = landauer.summary(points, fit_min_tau)
tables.write_csv(table, snakemake.output.table)
for protocol, rows in table.groupby("protocol"):
    fit = rows[["w_inf", "w_inf_err", "b", "b_err"]].iloc[0]
    fitted = rows[rows["tau"] >= fit_min_tau]
    log.info("%s: W_inf = %.4g +- %.2g, B = %.4g +- %.2g (fit of %s over tau >= %g, where P_s >= %.4g)", protocol,
             *fit, landauer.FITTED_WORK[protocol][0], fit_min_tau, fitted["success"].min())
