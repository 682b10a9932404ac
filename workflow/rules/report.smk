# The run's record and report: its provenance beside the results, the summary and bounds tables as HTML,
# and the report's first page (the Snakefile's `report:`), all made by the run for `snakemake --report`.
from thermolearn.provenance import record as provenance_record


# Evaluated when the run is planned: a new commit, package version or config reruns this job and the
# report page only; no science job reads it.
rule provenance:
    output:
        f"{RESULTS}/provenance.yaml",
    log:
        f"{RESULTS}/logs/report/provenance.log",
    localrule: True
    conda:
        ENVIRONMENT
    params:
        record=lambda wildcards: provenance_record(config, workflow.basedir),
    script:
        "../../scripts/report.py"


for name in REGISTRY:

    rule:
        name:
            f"{name}_report_tables"
        input:
            summary=summary_table(name),
            bounds=bounds_table(name),
        output:
            summary=report_table(name, "summary"),
            bounds=report_table(name, "bounds"),
        log:
            f"{RESULTS}/logs/report/{name}_tables.log",
        localrule: True
        conda:
            ENVIRONMENT
        script:
            "../../scripts/report.py"


rule report_page:
    input:
        provenance=rules.provenance.output[0],
        verdict=rules.verdict.output.table,
        intro=os.path.join(workflow.basedir, "workflow/report/workflow.rst"),
        captions=[caption for _, _, caption in report_figures()],
        figures=[image for _, images, _ in report_figures() for image in images],
    output:
        page=REPORT_PAGE,
        verdict=report(f"{RESULTS}/report/verdict.html", caption="../report/verdict.rst", category="Verdict"),
    log:
        f"{RESULTS}/logs/report/page.log",
    localrule: True
    conda:
        ENVIRONMENT
    params:
        figures=report_figures(),
    script:
        "../../scripts/report.py"
