# Stage 4: every experiment's relations (SPEC.bound_checks), then the run's verdict over all rows.


for name in REGISTRY:

    rule:
        name:
            f"{name}_bounds"
        input:
            summary=summary_table(name),
        output:
            table=bounds_table(name),
        log:
            f"{RESULTS}/logs/bounds/{name}.log",
        localrule: True
        conda:
            ENVIRONMENT
        params:
            experiment=name,
            options=REGISTRY[name].bound_options(config),
            rows=SUMMARY_ROWS[name],
            columns=SUMMARY_COLUMNS[name],
            made=made_by(config, name, "bounds"),
            reads={"summary": reading(config, name, "summary")},
        script:
            "../../scripts/bounds.py"


# The run's verdict: every relation, family-wise error controlled over all rows (thermolearn.bounds).
rule verdict:
    input:
        tables=[bounds_table(name) for name in REGISTRY],
    output:
        table=f"{RESULTS}/bounds/verdict.csv",
    log:
        f"{RESULTS}/logs/bounds/verdict.log",
    localrule: True
    conda:
        ENVIRONMENT
    params:
        made=made_by(config, None, "verdict"),
        reads={"tables": [reading(config, name, "bounds") for name in REGISTRY]},
    script:
        "../../scripts/verdict.py"
