rule batch_information:
    input:
        trials=rules.batch_simulate.output.trials,
        replicates=rules.batch_estimate.output.replicates,
    output:
        table=f"results/batch/information/{BATCH_POINT}.csv",
    log:
        f"results/logs/batch/information/{BATCH_POINT}.log",
    params:
        point=batch_space.instance,
        k=BATCH["k"],
        T=BATCH["T"],
        N=BATCH["N"],
        groups=BATCH["jackknife_groups"],
    threads: 1
    script:
        "../../scripts/batch_information.py"


rule batch_summary:
    input:
        tables=expand(
            "results/batch/information/{point}.csv", point=batch_space.instance_patterns
        ),
    output:
        table="results/tables/batch_summary.csv",
    log:
        "results/logs/tables/batch_summary.log",
    params:
        points=list(batch_space.instance_patterns),
    threads: 1
    script:
        "../../scripts/batch_summary.py"


rule landauer_summary:
    input:
        tables=expand(
            "results/landauer/estimate/{point}.csv",
            point=landauer_space.instance_patterns,
        ),
    output:
        table="results/tables/landauer_summary.csv",
    log:
        "results/logs/tables/landauer_summary.log",
    params:
        fit_min_tau=LANDAUER["fit_min_tau"],
    threads: 1
    script:
        "../../scripts/landauer_summary.py"
