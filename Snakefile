# thermolearn: the stochastic thermodynamics of learning, figure by figure.
# Stages: simulate -> estimate (entropy, heat) -> information (I, eta) -> bounds -> figures.
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from thermolearn.config import schema_error

min_version("8.20")


configfile: "config/config.yaml"


try:
    validate(config, "workflow/schemas/config.schema.yaml")
except WorkflowError as error:
    raise schema_error(error) from None


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


# Parameter values in paths are numbers; rules and protocols are names from the config schema.
wildcard_constraints:
    alpha=r"[0-9.e+-]+",
    nu=r"[0-9.e+-]+",
    k=r"[0-9.e+-]+",
    tau=r"[0-9.e+-]+",
    protocol=r"erasure|control",
    rule=r"hebbian|perceptron|adatron",


include: "workflow/rules/simulate.smk"
include: "workflow/rules/estimate.smk"
include: "workflow/rules/information.smk"
include: "workflow/rules/bounds.smk"
include: "workflow/rules/figures.smk"


# The last job of every run: print the verdict, fail the run if a relation is violated.
rule all:
    input:
        all_outputs(),
        verdict=rules.verdict.output.table,
    log:
        "results/logs/verdict.log",
    localrule: True
    conda:
        "environment.yml"
    script:
        "scripts/print_verdict.py"
