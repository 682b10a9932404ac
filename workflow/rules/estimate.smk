rule batch_estimate:
    input:
        weights=rules.batch_simulate.output.weights,
    output:
        replicates=f"results/batch/estimate/{POINT['batch']}.csv",
        histogram=f"results/batch/estimate/{POINT['batch']}_fluctuation.csv",
    log:
        f"results/logs/batch/estimate/{POINT['batch']}.log",
    benchmark:
        f"results/benchmarks/batch/estimate/{POINT['batch']}.tsv"
    conda:
        ENVIRONMENT
    threads: 1
    resources:
        mem_mb=job_mem_mb(config, "batch"),
    params:
        times=BATCH["times"],
        k=BATCH["k"],
        T=BATCH["T"],
        groups=BATCH["jackknife_groups"],
        bins=BATCH["histogram_bins"],
        trials=BATCH["trials"],
        N=BATCH["N"],
    script:
        "../../scripts/batch_estimate.py"


rule landauer_estimate:
    input:
        trajectories=rules.landauer_simulate.output.trajectories,
    output:
        table=f"results/landauer/estimate/{POINT['landauer']}.csv",
    log:
        f"results/logs/landauer/estimate/{POINT['landauer']}.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        point=SPACE["landauer"].instance,
        T=LANDAUER["T"],
        E0=LANDAUER["E0"],
        trajectories=LANDAUER["trajectories"],
    script:
        "../../scripts/landauer_estimate.py"


rule online_estimate:
    input:
        weights=rules.online_simulate.output.weights,
    output:
        entropy=f"results/online/estimate/{POINT['online']}.csv",
    log:
        f"results/logs/online/estimate/{POINT['online']}.log",
    conda:
        ENVIRONMENT
    threads: 1
    resources:
        mem_mb=job_mem_mb(config, "online"),
    params:
        point=SPACE["online"].instance,
        alpha=ONLINE["alpha"],
        T=ONLINE["T"],
        groups=ONLINE["jackknife_groups"],
        trials=ONLINE["trials"],
        N=ONLINE["N"],
    script:
        "../../scripts/online_estimate.py"


rule tur_estimate:
    input:
        force=rules.tur_simulate.output.force,
        currents=rules.tur_simulate.output.currents,
    output:
        table="results/tur/estimate/nu~{nu}.csv",
    log:
        "results/logs/tur/estimate/nu~{nu}.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        k=TUR["k"],
        T=TUR["T"],
        N=TUR["N"],
        times=TUR["times"],
        trajectories=TUR["trajectories"],
    script:
        "../../scripts/tur_estimate.py"


rule inference_estimate:
    input:
        trajectories=rules.inference_simulate.output.trajectories,
    output:
        table="results/inference/estimate/tau~{tau}.csv",
    log:
        "results/logs/inference/estimate/tau~{tau}.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        T=INFERENCE["T"],
        trajectories=INFERENCE["trajectories"],
    script:
        "../../scripts/inference_estimate.py"
