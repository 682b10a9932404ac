# Stage 3: information and efficiency per point where an experiment has that stage
# (jobs.information), then every experiment's summary table (jobs.summary) from its per-point tables.


for experiment in [name for name in REGISTRY if "information" in STAGES[name]]:

    rule:
        name:
            f"{experiment}_information"
        input:
            **point_inputs(experiment, "information"),
        output:
            **point_outputs(experiment, "information"),
        log:
            job_log(experiment, "information"),
        benchmark:
            job_benchmark(experiment, "information")
        wildcard_constraints:
            **wildcard_constraints_of(experiment),
        conda:
            ENVIRONMENT
        threads: 1
        params:
            experiment=experiment,
            point=point_of(experiment),
            config=stage_config(experiment, "information"),
        script:
            "../../scripts/information.py"


for experiment in REGISTRY:

    rule:
        name:
            f"{experiment}_summary"
        input:
            **{need: summary_table(need) for need in SUMMARY[experiment].needs},
            tables=[
                point_output(experiment, SUMMARY[experiment].points, "table", point)
                for point in REGISTRY[experiment].points(config)
            ],
        output:
            table=table(summary_table(experiment), experiment, "summary"),
        log:
            f"results/logs/tables/{experiment}_summary.log",
        benchmark:
            f"results/benchmarks/tables/{experiment}_summary.tsv"
        conda:
            ENVIRONMENT
        threads: 1
        params:
            experiment=experiment,
            points=REGISTRY[experiment].points(config),
            config=keys_of(experiment, SUMMARY[experiment].keys),
            needs_rows={need: SUMMARY_ROWS[need] for need in SUMMARY[experiment].needs},
        script:
            "../../scripts/summary.py"
