# Stage 1: one job per point of every registered experiment (thermolearn.experiments.<name>.jobs.simulate).


for experiment in REGISTRY:

    rule:
        name:
            f"{experiment}_simulate"
        output:
            **point_outputs(experiment, "simulate"),
        log:
            job_log(experiment, "simulate"),
        benchmark:
            job_benchmark(experiment, "simulate")
        wildcard_constraints:
            **wildcard_constraints_of(experiment),
        conda:
            ENVIRONMENT
        threads: at_duration(simulate_threads, experiment)
        resources:
            mem_mb=job_mem_mb(config, experiment),
            runtime=at_duration(simulate_runtime_min, experiment),
        params:
            experiment=experiment,
            point=point_of(experiment),
            config=stage_config(experiment, "simulate"),
            seed=config["seed"],
        script:
            "../../scripts/simulate.py"
