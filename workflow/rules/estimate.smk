# Stage 2: heat, work and entropy change of every point (SPEC.estimate): one job per point where that
# is worth a process (Stage(per_point=True)), else one job for every point of the experiment.


for name in REGISTRY:

    rule:
        name:
            f"{name}_estimate"
        input:
            **stage_inputs(name, "estimate"),
        output:
            **stage_outputs(name, "estimate"),
        log:
            stage_log(name, "estimate"),
        benchmark:
            stage_benchmark(name, "estimate")
        wildcard_constraints:
            **wildcard_constraints_of(name),
        group:
            "estimate"
        conda:
            ENVIRONMENT
        threads: 1
        resources:
            mem_mb=mem_mb(name, "estimate"),
        params:
            **stage_params(name, "estimate"),
        script:
            "../../scripts/stage.py"
