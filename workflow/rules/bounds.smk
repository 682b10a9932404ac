# Stage 4: one rule per experiment, one script for all (thermolearn.<experiment>.bound_checks).


rule batch_bounds:
    input:
        summary=rules.batch_summary.output.table,
    output:
        table="results/bounds/batch.csv",
    log:
        "results/logs/bounds/batch.log",
    params:
        experiment="batch",
        options={},
    threads: 1
    script:
        "../../scripts/check_bounds.py"


rule landauer_bounds:
    input:
        summary=rules.landauer_summary.output.table,
    output:
        table="results/bounds/landauer.csv",
    log:
        "results/logs/bounds/landauer.log",
    params:
        experiment="landauer",
        options={"detailed_min_tau": LANDAUER["detailed_min_tau"]},
    threads: 1
    script:
        "../../scripts/check_bounds.py"


rule online_bounds:
    input:
        summary=rules.online_summary.output.table,
    output:
        table="results/bounds/online.csv",
    log:
        "results/logs/bounds/online.log",
    params:
        experiment="online",
        options={},
    threads: 1
    script:
        "../../scripts/check_bounds.py"


rule tur_bounds:
    input:
        summary=rules.tur_summary.output.table,
    output:
        table="results/bounds/tur.csv",
    log:
        "results/logs/bounds/tur.log",
    params:
        experiment="tur",
        options={},
    threads: 1
    script:
        "../../scripts/check_bounds.py"


rule inference_bounds:
    input:
        summary=rules.inference_summary.output.table,
    output:
        table="results/bounds/inference.csv",
    log:
        "results/logs/bounds/inference.log",
    params:
        experiment="inference",
        options={
            "n_neurons": sum(INFERENCE["widths"][1:]),
            "trajectories": INFERENCE["trajectories"],
        },
    threads: 1
    script:
        "../../scripts/check_bounds.py"
