rule batch_eta_figure:
    input:
        summary=rules.batch_summary.output.table,
    output:
        figures=figure("batch_eta", "batch"),
    log:
        "results/logs/figures/batch_eta.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        k=config["batch"]["k"],
        T=config["batch"]["T"],
        N=config["batch"]["N"],
        rows=SUMMARY_ROWS["batch"],
    script:
        "../../scripts/figure_batch_eta.py"


rule batch_bound_figure:
    input:
        summary=rules.batch_summary.output.table,
    output:
        figures=figure("batch_bound", "batch"),
    log:
        "results/logs/figures/batch_bound.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        bound=config["batch"]["bound"],
        k=config["batch"]["k"],
        T=config["batch"]["T"],
        N=config["batch"]["N"],
        rows=SUMMARY_ROWS["batch"],
    script:
        "../../scripts/figure_batch_bound.py"


rule batch_fluctuation_figure:
    input:
        summary=rules.batch_summary.output.table,
        histogram=point_output(
            "batch",
            "estimate",
            "histogram",
            {key: float(config["batch"]["fluctuation"][key]) for key in ("alpha", "nu")},
        ),
    output:
        figures=figure("batch_fluctuation", "batch"),
    log:
        "results/logs/figures/batch_fluctuation.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        point=config["batch"]["fluctuation"],
        rows=SUMMARY_ROWS["batch"],
        histogram_rows={"t": [config["batch"]["times"][-1]]},
        bins=config["batch"]["histogram_bins"],
        k=config["batch"]["k"],
        T=config["batch"]["T"],
        N=config["batch"]["N"],
    script:
        "../../scripts/figure_batch_fluctuation.py"


rule landauer_work_figure:
    input:
        summary=rules.landauer_summary.output.table,
        fast=point_output(
            "landauer", "simulate", "trajectories", {"protocol": "erasure", "tau": float(config["landauer"]["tau"][0])}
        ),
        slow=point_output(
            "landauer",
            "simulate",
            "trajectories",
            {"protocol": "erasure", "tau": float(config["landauer"]["tau"][-1])},
        ),
    output:
        figures=figure("landauer_work", "landauer"),
    log:
        "results/logs/figures/landauer_work.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        E0=config["landauer"]["E0"],
        T=config["landauer"]["T"],
        b_min=config["landauer"]["b_min"],
        a_max=config["landauer"]["a_max"],
        fit_min_tau=config["landauer"]["fit_min_tau"],
        bins=config["landauer"]["histogram_bins"],
        rows=SUMMARY_ROWS["landauer"],
        trajectories=config["landauer"]["trajectories"],
    script:
        "../../scripts/figure_landauer_work.py"


rule online_eta_figure:
    input:
        summary=rules.online_summary.output.table,
    output:
        figures=figure("online_eta_{scan}", "online", caption="online_eta"),
    log:
        "results/logs/figures/online_eta_{scan}.log",
    wildcard_constraints:
        scan="nu|k",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        online={key: config["online"][key] for key in ("alpha", "r", "T", "N", "nu_fixed", "k_fixed")},
        rows=SUMMARY_ROWS["online"],
    script:
        "../../scripts/figure_online_eta.py"


rule online_dynamics_figure:
    input:
        summary=rules.online_summary.output.table,
    output:
        figures=figure("online_dynamics", "online"),
    log:
        "results/logs/figures/online_dynamics.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        online={key: config["online"][key] for key in ("r", "T", "N", "nu_fixed", "k_fixed")},
        rows=SUMMARY_ROWS["online"],
    script:
        "../../scripts/figure_online_dynamics.py"


rule tur_figures:
    input:
        summary=rules.tur_summary.output.table,
    output:
        ratio=figure("tur_ratio", "tur", caption="tur"),
        tradeoff=figure("tur_tradeoff", "tur", caption="tur"),
    log:
        "results/logs/figures/tur.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        tur={key: config["tur"][key] for key in ("N", "alpha", "k", "T", "tradeoff_time")},
        rows=SUMMARY_ROWS["tur"],
    script:
        "../../scripts/figure_tur.py"


rule inference_energy_figure:
    input:
        summary=rules.inference_summary.output.table,
    output:
        figures=figure("inference_energy", "inference"),
    log:
        "results/logs/figures/inference_energy.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        inference={key: config["inference"][key] for key in ("widths", "g", "K", "T", "fit_min_tau")},
        rows=SUMMARY_ROWS["inference"],
    script:
        "../../scripts/figure_inference_energy.py"


rule steady_figures:
    input:
        summary=summary_table("steady"),
    output:
        efficiency=figure("steady_efficiency", "steady", caption="steady"),
        tur=figure("steady_tur", "steady", caption="steady"),
        generalisation=figure("steady_generalisation", "steady", caption="steady"),
    log:
        "results/logs/figures/steady.log",
    conda:
        ENVIRONMENT
    threads: 1
    params:
        steady={key: config["steady"][key] for key in ("k", "T", "N", "ratio_point")},
        rows=SUMMARY_ROWS["steady"],
    script:
        "../../scripts/figure_steady.py"
