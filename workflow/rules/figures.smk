# Stage 5: every figure of every registered experiment (SPEC.figures), drawn by its function in the
# experiment's figures module from its summary and the config keys it reads (scripts/figure.py).


for name in REGISTRY:
    for figure in REGISTRY[name].figures:

        rule:
            name:
                f"{figure.name}_figure"
            input:
                **figure_inputs(name, figure),
                summary=summary_table(name),
            output:
                **figure_outputs(name, figure),
            log:
                f"{RESULTS}/logs/figures/{figure.name}.log",
            benchmark:
                f"{RESULTS}/benchmarks/figures/{figure.name}.tsv"
            group:
                "figures"
            conda:
                ENVIRONMENT
            threads: 1
            params:
                experiment=name,
                figure=figure.name,
                rows=SUMMARY_ROWS[name],
                columns=SUMMARY_COLUMNS[name],
                draw=canonical(figure.params(config[name])),
                reading=canonical(figure.reading(config[name])),
                reads=figure_reads(name, figure),
            script:
                "../../scripts/figure.py"
