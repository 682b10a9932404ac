# Stage 4: one rule per experiment, one script for all (thermolearn.experiments.<experiment>.bound_checks).


rule batch_bounds:
    input:
        summary=rules.batch_summary.output.table,
    output:
        table=table("results/bounds/batch.csv", "batch", "bounds"),
    log:
        "results/logs/bounds/batch.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="batch",
        options={},
        rows=SUMMARY_ROWS["batch"],
    script:
        "../../scripts/check_bounds.py"


rule landauer_bounds:
    input:
        summary=rules.landauer_summary.output.table,
    output:
        table=table("results/bounds/landauer.csv", "landauer", "bounds"),
    log:
        "results/logs/bounds/landauer.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="landauer",
        options={key: LANDAUER[key] for key in ("detailed_min_tau", "fit_min_tau")},
        rows=SUMMARY_ROWS["landauer"],
    script:
        "../../scripts/check_bounds.py"


rule online_bounds:
    input:
        summary=rules.online_summary.output.table,
    output:
        table=table("results/bounds/online.csv", "online", "bounds"),
    log:
        "results/logs/bounds/online.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="online",
        options={},
        rows=SUMMARY_ROWS["online"],
    script:
        "../../scripts/check_bounds.py"


rule tur_bounds:
    input:
        summary=rules.tur_summary.output.table,
    output:
        table=table("results/bounds/tur.csv", "tur", "bounds"),
    log:
        "results/logs/bounds/tur.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="tur",
        options={},
        rows=SUMMARY_ROWS["tur"],
    script:
        "../../scripts/check_bounds.py"


rule inference_bounds:
    input:
        summary=rules.inference_summary.output.table,
    output:
        table=table("results/bounds/inference.csv", "inference", "bounds"),
    log:
        "results/logs/bounds/inference.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        experiment="inference",
        options={
            "n_neurons": sum(INFERENCE["widths"][1:]),
            "trajectories": INFERENCE["trajectories"],
        },
        rows=SUMMARY_ROWS["inference"],
    script:
        "../../scripts/check_bounds.py"


# The run's verdict: every relation, family-wise error controlled over all rows (thermolearn.bounds).
rule verdict:
    input:
        tables=[
            rules.batch_bounds.output.table,
            rules.landauer_bounds.output.table,
            rules.online_bounds.output.table,
            rules.tur_bounds.output.table,
            rules.inference_bounds.output.table,
        ],
    output:
        table=report(
            "results/bounds/verdict.csv",
            caption="../report/verdict.rst",
            category="Verdict",
        ),
    log:
        "results/logs/bounds/verdict.log",
    conda:
        ENVIRONMENT
    threads: 1
    script:
        "../../scripts/verdict.py"
