rule batch_simulate:
    output:
        trials=f"results/batch/simulate/{BATCH_POINT}.csv",
        weights=f"results/batch/simulate/{BATCH_POINT}.parquet",
    log:
        f"results/logs/batch/simulate/{BATCH_POINT}.log",
    benchmark:
        f"results/benchmarks/batch/simulate/{BATCH_POINT}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        mem_mb=job_mem_mb(config, "batch"),
        runtime=simulate_runtime_min(config, "batch"),
    params:
        point=batch_space.instance,
        model=batch_model(),
        seed=config["seed"],
    script:
        "../../scripts/batch_simulate.py"


rule landauer_simulate:
    output:
        trajectories=f"results/landauer/simulate/{LANDAUER_POINT}.csv",
    log:
        f"results/logs/landauer/simulate/{LANDAUER_POINT}.log",
    benchmark:
        f"results/benchmarks/landauer/simulate/{LANDAUER_POINT}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        runtime=lambda wc: simulate_runtime_min(config, "landauer", float(wc.tau)),
    params:
        point=landauer_space.instance,
        model=landauer_model(),
        seed=config["seed"],
    script:
        "../../scripts/landauer_simulate.py"


rule online_simulate:
    output:
        trials=f"results/online/simulate/{ONLINE_POINT}.csv",
        weights=f"results/online/simulate/{ONLINE_POINT}.parquet",
    log:
        f"results/logs/online/simulate/{ONLINE_POINT}.log",
    benchmark:
        f"results/benchmarks/online/simulate/{ONLINE_POINT}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        mem_mb=job_mem_mb(config, "online"),
        runtime=simulate_runtime_min(config, "online"),
    params:
        point=online_space.instance,
        model=online_model(),
        seed=config["seed"],
    script:
        "../../scripts/online_simulate.py"


rule tur_simulate:
    output:
        force="results/tur/simulate/nu~{nu}_force.csv",
        currents="results/tur/simulate/nu~{nu}.csv",
    log:
        "results/logs/tur/simulate/nu~{nu}.log",
    benchmark:
        "results/benchmarks/tur/simulate/nu~{nu}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        runtime=simulate_runtime_min(config, "tur"),
    params:
        model={key: TUR[key] for key in ("N", "alpha", "k", "T", "times", "trajectories")},
        seed=config["seed"],
    script:
        "../../scripts/tur_simulate.py"


rule inference_simulate:
    output:
        trajectories="results/inference/simulate/tau~{tau}.csv",
    log:
        "results/logs/inference/simulate/tau~{tau}.log",
    benchmark:
        "results/benchmarks/inference/simulate/tau~{tau}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        runtime=lambda wc: simulate_runtime_min(config, "inference", float(wc.tau)),
    params:
        model={key: INFERENCE[key] for key in ("widths", "g", "K", "T", "dt", "u_start", "u_end", "trajectories")},
        seed=config["seed"],
    script:
        "../../scripts/inference_simulate.py"
