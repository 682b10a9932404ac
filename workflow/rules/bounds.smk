# Stage 4: one rule per registered experiment, one script for all (thermolearn.experiments.<experiment>.bound_checks).


for experiment in REGISTRY:

    rule:
        name:
            f"{experiment}_bounds"
        input:
            summary=summary_table(experiment),
        output:
            table=table(f"results/bounds/{experiment}.csv", experiment, "bounds"),
        log:
            f"results/logs/bounds/{experiment}.log",
        conda:
            ENVIRONMENT
        threads: 1
        params:
            experiment=experiment,
            options=REGISTRY[experiment].settings.bound_options(config),
            rows=SUMMARY_ROWS[experiment],
        script:
            "../../scripts/check_bounds.py"


# The run's verdict: every relation, family-wise error controlled over all rows (thermolearn.bounds).
rule verdict:
    input:
        tables=[getattr(rules, f"{name}_bounds").output.table for name in REGISTRY],
    output:
        table=report(
            "results/bounds/verdict.csv",
            caption="../report/verdict.rst",
            category="Verdict",
        ),
    log:
        "results/logs/bounds/verdict.log",
    conda:
        ENVIRONMENT
    threads: 1
    script:
        "../../scripts/verdict.py"
