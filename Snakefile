# thermolearn: the stochastic thermodynamics of learning, figure by figure.
# Stages: simulate -> estimate (entropy, heat) -> information (I, eta) -> bounds -> figures.
import os

from snakemake.utils import min_version

from thermolearn import warm
from thermolearn.scripting import warn_outdated
from thermolearn.config import validate_or_exit

min_version("8.20")


# A variant (--configfile) lists only what it changes: it is merged over the default, which is
# found beside this Snakefile whatever the --directory.
configfile: os.path.join(workflow.basedir, "config/config.yaml")


# Schema (workflow/schemas/config.schema.yaml) and checks; a bad key exits with one line.
validate_or_exit(
    config,
    workflow.overwrite_configfiles,
    main_process=workflow.is_main_process,
    overrides=workflow.config_settings.overwrite_config,
)


# Opt-in (THERMOLEARN_WARM_WORKER=1), local runs in this Python environment only: one warm worker
# imports the libraries once and forks a copy per job (thermolearn/warm.py, docs/performance.md).
onstart:
    if warm.requested() and workflow.local_exec and not workflow.deployment_settings.deployment_method:
        warm.start(jobs=len(workflow.dag))


onsuccess:
    warm.stop()


onerror:
    warm.stop()


include: "workflow/rules/common.smk"
include: "workflow/rules/simulate.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/information.smk"
include: "workflow/rules/bounds.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


# The report's first page is made by the run (the verdict, the provenance, every figure with its caption).
report: os.path.abspath(REPORT_PAGE)


# Tables made by another config or code version (stale) or changed since (corrupted): one line with the
# command that rebuilds them; every table records what made it, and every reader checks its inputs.
if workflow.is_main_process:
    warn_outdated(made_tables())


# The last job of every run: print the verdict, fail the run if a relation is violated.
rule all:
    input:
        all_outputs(),
        verdict=rules.verdict.output.table,
    log:
        f"{RESULTS}/logs/verdict.log",
    localrule: True
    conda:
        "environment.yml"
    params:
        reads=reading(config, None, "verdict"),
    script:
        "scripts/print_verdict.py"
