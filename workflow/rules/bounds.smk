rule batch_bounds:
    input:
        summary=rules.batch_summary.output.table,
    output:
        table="results/bounds/batch.csv",
    log:
        "results/logs/bounds/batch.log",
    threads: 1
    script:
        "../../scripts/batch_bounds.py"


rule landauer_bounds:
    input:
        summary=rules.landauer_summary.output.table,
    output:
        table="results/bounds/landauer.csv",
    log:
        "results/logs/bounds/landauer.log",
    params:
        detailed_min_tau=LANDAUER["detailed_min_tau"],
    threads: 1
    script:
        "../../scripts/landauer_bounds.py"


rule online_bounds:
    input:
        summary=rules.online_summary.output.table,
    output:
        table="results/bounds/online.csv",
    log:
        "results/logs/bounds/online.log",
    threads: 1
    script:
        "../../scripts/online_bounds.py"


rule tur_bounds:
    input:
        summary=rules.tur_summary.output.table,
    output:
        table="results/bounds/tur.csv",
    log:
        "results/logs/bounds/tur.log",
    threads: 1
    script:
        "../../scripts/tur_bounds.py"


rule inference_bounds:
    input:
        summary=rules.inference_summary.output.table,
    output:
        table="results/bounds/inference.csv",
    log:
        "results/logs/bounds/inference.log",
    params:
        n_neurons=sum(INFERENCE["widths"][1:]),
        trajectories=INFERENCE["trajectories"],
    threads: 1
    script:
        "../../scripts/inference_bounds.py"
