rule batch_information:
    input:
        trials=rules.batch_simulate.output.trials,
        replicates=rules.batch_estimate.output.replicates,
    output:
        table=f"results/batch/information/{POINT['batch']}.csv",
    log:
        f"results/logs/batch/information/{POINT['batch']}.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        point=SPACE["batch"].instance,
        k=BATCH["k"],
        T=BATCH["T"],
        N=BATCH["N"],
        groups=BATCH["jackknife_groups"],
        trials=BATCH["trials"],
        times=BATCH["times"],
    script:
        "../../scripts/batch_information.py"


rule batch_summary:
    input:
        tables=expand("results/batch/information/{point}.csv", point=SPACE["batch"].instance_patterns),
    output:
        table=table("results/tables/batch_summary.csv", "batch", "summary"),
    log:
        "results/logs/tables/batch_summary.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="batch",
        sort_by=["alpha", "nu", "t"],
        rows=point_rows(SPACE["batch"], t=BATCH["times"]),
    script:
        "../../scripts/collect.py"


rule landauer_summary:
    input:
        tables=expand(
            "results/landauer/estimate/{point}.csv",
            point=SPACE["landauer"].instance_patterns,
        ),
    output:
        table=table("results/tables/landauer_summary.csv", "landauer", "summary"),
    log:
        "results/logs/tables/landauer_summary.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        fit_min_tau=LANDAUER["fit_min_tau"],
        rows=point_rows(SPACE["landauer"]),
    script:
        "../../scripts/landauer_summary.py"


rule online_information:
    input:
        trials=rules.online_simulate.output.trials,
        entropy=rules.online_estimate.output.entropy,
    output:
        table=f"results/online/information/{POINT['online']}.csv",
    log:
        f"results/logs/online/information/{POINT['online']}.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        point=SPACE["online"].instance,
        T=ONLINE["T"],
        r=ONLINE["r"],
        groups=ONLINE["jackknife_groups"],
        trials=ONLINE["trials"],
        alpha=ONLINE["alpha"],
    script:
        "../../scripts/online_information.py"


rule online_summary:
    input:
        tables=expand(
            "results/online/information/{point}.csv",
            point=SPACE["online"].instance_patterns,
        ),
    output:
        table=table("results/tables/online_summary.csv", "online", "summary"),
    log:
        "results/logs/tables/online_summary.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="online",
        sort_by=["rule", "nu", "k", "alpha"],
        rows=point_rows(SPACE["online"], alpha=ONLINE["alpha"]),
    script:
        "../../scripts/collect.py"


rule tur_summary:
    input:
        tables=expand("results/tur/estimate/nu~{nu}.csv", nu=[float(nu) for nu in TUR["nu"]]),
    output:
        table=table("results/tables/tur_summary.csv", "tur", "summary"),
    log:
        "results/logs/tables/tur_summary.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="tur",
        sort_by=["current", "nu", "t"],
        rows=[{"current": CURRENTS, "nu": [float(nu)], "t": TUR["times"]} for nu in TUR["nu"]],
    script:
        "../../scripts/collect.py"


rule inference_summary:
    input:
        tables=expand("results/inference/estimate/tau~{tau}.csv", tau=[float(t) for t in INFERENCE["tau"]]),
        landauer=rules.landauer_summary.output.table,
    output:
        table=table("results/tables/inference_summary.csv", "inference", "summary"),
    log:
        "results/logs/tables/inference_summary.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        n_neurons=sum(INFERENCE["widths"][1:]),
        fit_min_tau=INFERENCE["fit_min_tau"],
        rows=[{"tau": [float(tau)]} for tau in INFERENCE["tau"]],
        landauer_rows=SUMMARY_ROWS["landauer"],
    script:
        "../../scripts/inference_summary.py"
