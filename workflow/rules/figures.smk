# Stage 5: every figure of every registered experiment (settings.FIGURES), drawn by its bespoke
# scripts/figure_<script>.py from the experiment's summary and the config keys it reads.


for experiment in REGISTRY:
    for spec in REGISTRY[experiment].settings.FIGURES:

        rule:
            name:
                f"{spec.name}_figure"
            input:
                **figure_inputs(experiment, spec),
                summary=summary_table(experiment),
            output:
                **{
                    name: figure(file, experiment, spec.caption or spec.script_name)
                    for name, file in spec.outputs.items()
                },
            log:
                f"results/logs/figures/{spec.name}.log",
            benchmark:
                f"results/benchmarks/figures/{spec.name}.tsv"
            conda:
                ENVIRONMENT
            threads: 1
            params:
                **canonical(spec.params(config[experiment])),
                rows=SUMMARY_ROWS[experiment],
                script=spec.script_name,
            script:
                # formatted when the job runs: a loop variable here would be the loop's last value
                "../../scripts/figure_{params.script}.py"
