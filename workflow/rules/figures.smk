rule batch_eta_figure:
    input:
        summary=rules.batch_summary.output.table,
    output:
        figures=expand("results/figures/batch_eta.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/batch_eta.log",
    params:
        k=BATCH["k"],
        T=BATCH["T"],
        N=BATCH["N"],
    threads: 1
    script:
        "../../scripts/figure_batch_eta.py"


rule batch_bound_figure:
    input:
        summary=rules.batch_summary.output.table,
    output:
        figures=expand("results/figures/batch_bound.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/batch_bound.log",
    params:
        bound=BATCH["bound"],
        k=BATCH["k"],
        T=BATCH["T"],
        N=BATCH["N"],
    threads: 1
    script:
        "../../scripts/figure_batch_bound.py"


rule batch_fluctuation_figure:
    input:
        summary=rules.batch_summary.output.table,
        histogram=f"results/batch/estimate/{batch_point(BATCH['fluctuation']['alpha'], BATCH['fluctuation']['nu'])}_fluctuation.csv",
    output:
        figures=expand("results/figures/batch_fluctuation.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/batch_fluctuation.log",
    params:
        point=BATCH["fluctuation"],
    threads: 1
    script:
        "../../scripts/figure_batch_fluctuation.py"


rule landauer_work_figure:
    input:
        summary=rules.landauer_summary.output.table,
        fast=landauer_trajectories("erasure", LANDAUER["tau"][0]),
        slow=landauer_trajectories("erasure", LANDAUER["tau"][-1]),
    output:
        figures=expand("results/figures/landauer_work.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/landauer_work.log",
    params:
        T=LANDAUER["T"],
        fit_min_tau=LANDAUER["fit_min_tau"],
        bins=LANDAUER["histogram_bins"],
    threads: 1
    script:
        "../../scripts/figure_landauer_work.py"


rule online_eta_figure:
    input:
        summary=rules.online_summary.output.table,
    output:
        figures=expand("results/figures/online_eta_{{scan}}.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/online_eta_{scan}.log",
    wildcard_constraints:
        scan="nu|k",
    params:
        online=ONLINE,
    threads: 1
    script:
        "../../scripts/figure_online_eta.py"


rule online_dynamics_figure:
    input:
        summary=rules.online_summary.output.table,
    output:
        figures=expand("results/figures/online_dynamics.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/online_dynamics.log",
    params:
        online=ONLINE,
    threads: 1
    script:
        "../../scripts/figure_online_dynamics.py"


rule tur_figures:
    input:
        summary=rules.tur_summary.output.table,
    output:
        ratio=expand("results/figures/tur_ratio.{ext}", ext=FIGURE_FORMATS),
        tradeoff=expand("results/figures/tur_tradeoff.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/tur.log",
    params:
        tur=TUR,
    threads: 1
    script:
        "../../scripts/figure_tur.py"


rule inference_energy_figure:
    input:
        summary=rules.inference_summary.output.table,
    output:
        figures=expand("results/figures/inference_energy.{ext}", ext=FIGURE_FORMATS),
    log:
        "results/logs/figures/inference_energy.log",
    params:
        inference=INFERENCE,
    threads: 1
    script:
        "../../scripts/figure_inference_energy.py"
