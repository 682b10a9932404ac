rule batch_simulate:
    output:
        trials=f"results/batch/simulate/{POINT['batch']}.csv",
        weights=f"results/batch/simulate/{POINT['batch']}.parquet",
    log:
        f"results/logs/batch/simulate/{POINT['batch']}.log",
    benchmark:
        f"results/benchmarks/batch/simulate/{POINT['batch']}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        mem_mb=job_mem_mb(config, "batch"),
        runtime=simulate_runtime_min(config, "batch"),
    params:
        point=SPACE["batch"].instance,
        model=model("batch"),
        seed=config["seed"],
    script:
        "../../scripts/batch_simulate.py"


rule landauer_simulate:
    output:
        trajectories=f"results/landauer/simulate/{POINT['landauer']}.csv",
    log:
        f"results/logs/landauer/simulate/{POINT['landauer']}.log",
    benchmark:
        f"results/benchmarks/landauer/simulate/{POINT['landauer']}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        runtime=lambda wc: simulate_runtime_min(config, "landauer", float(wc.tau)),
    params:
        point=SPACE["landauer"].instance,
        model=model("landauer"),
        seed=config["seed"],
    script:
        "../../scripts/landauer_simulate.py"


rule online_simulate:
    output:
        trials=f"results/online/simulate/{POINT['online']}.csv",
        weights=f"results/online/simulate/{POINT['online']}.parquet",
    log:
        f"results/logs/online/simulate/{POINT['online']}.log",
    benchmark:
        f"results/benchmarks/online/simulate/{POINT['online']}.tsv"
    conda:
        ENVIRONMENT
    threads: 2
    resources:
        mem_mb=job_mem_mb(config, "online"),
        runtime=simulate_runtime_min(config, "online"),
    params:
        point=SPACE["online"].instance,
        model=model("online"),
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
        model=model("tur"),
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
        model=model("inference"),
        seed=config["seed"],
    script:
        "../../scripts/inference_simulate.py"
