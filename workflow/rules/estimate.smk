# Stage 2: heat, work and entropy change, one job per point of every registered experiment
# (thermolearn.experiments.<name>.jobs.estimate).


for experiment in REGISTRY:

    rule:
        name:
            f"{experiment}_estimate"
        input:
            **point_inputs(experiment, "estimate"),
        output:
            **point_outputs(experiment, "estimate"),
        log:
            job_log(experiment, "estimate"),
        benchmark:
            job_benchmark(experiment, "estimate")
        wildcard_constraints:
            **wildcard_constraints_of(experiment),
        conda:
            ENVIRONMENT
        threads: 1
        resources:
            mem_mb=job_mem_mb(config, experiment),
        params:
            experiment=experiment,
            point=point_of(experiment),
            config=stage_config(experiment, "estimate"),
        script:
            "../../scripts/estimate.py"
