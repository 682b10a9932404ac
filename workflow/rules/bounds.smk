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
