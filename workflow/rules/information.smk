# Stage 3: one job per experiment runs its information stage at every point where it has one
# (SPEC.information: information, efficiency, theory; kept in memory) and then its summary
# (SPEC.summary), which may read other experiments' summaries (a DAG edge). Its one output is the
# summary, so its params (every point) are on record: a new grid value reruns it.


for name in REGISTRY:

    rule:
        name:
            f"{name}_information"
        input:
            **(stage_inputs(name, "information") if REGISTRY[name].information else {}),
            **({} if REGISTRY[name].information else {"tables": stage_outputs(name, "estimate")["table"]}),
            **{need: summary_table(need) for need in REGISTRY[name].summary.needs},
        output:
            summary=summary_table(name),
        log:
            f"{RESULTS}/logs/{name}/information.log",
        benchmark:
            f"{RESULTS}/benchmarks/{name}/information.tsv"
        group:
            "information"
        conda:
            ENVIRONMENT
        threads: 1
        resources:
            mem_mb=mem_mb(name, "information"),
        params:
            **information_params(name),
        script:
            "../../scripts/information.py"
