# Stage 1: one job per point of every registered experiment (its SPEC.simulate).


for name in REGISTRY:

    rule:
        name:
            f"{name}_simulate"
        output:
            **stage_outputs(name, "simulate"),
        log:
            stage_log(name, "simulate"),
        benchmark:
            stage_benchmark(name, "simulate")
        wildcard_constraints:
            **wildcard_constraints_of(name),
        group:
            "simulate"
        conda:
            ENVIRONMENT
        threads: at_point(simulate_threads, name)
        resources:
            mem_mb=mem_mb(name, "simulate"),
            runtime=on_attempt(simulate_runtime_min, name),
        params:
            **stage_params(name, "simulate"),
            seed=config["seed"],
        script:
            "../../scripts/stage.py"
