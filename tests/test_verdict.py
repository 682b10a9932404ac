"""The verdict against deliberately wrong inputs (negative controls): for every relation that an
experiment's bound_checks tests, the correct estimate passes and a physically wrong one is flagged
as violated at the sample sizes of config/config.yaml (only the points and times it needs)."""

import importlib

import numpy as np
import pandas as pd
import pytest

from thermolearn import bounds, information
from thermolearn import config as cfg
from thermolearn.experiments import batch, inference, landauer, online, tur

DEFAULTS = cfg.validate(cfg.load(cfg.DEFAULT))
SEED = DEFAULTS["seed"]

RUN_ROWS = 2000
"""Twice the bound rows of the default run (about 980): the family a wrong input must stand out of."""


def holds(checks, relation):
    """The verdict on ``relation`` when its rows are the whole run."""
    rows = checks[checks["relation"] == relation]
    assert len(rows), relation
    return bounds.verdict({"test": rows})["verdict"].item() == "holds"


def violated_in_a_default_run(checks, relation):
    """``relation`` is violated in any run of up to RUN_ROWS rows: Holm's adjusted p-value of a
    row is at most RUN_ROWS times its p-value."""
    rows = checks[checks["relation"] == relation]
    assert len(rows), relation
    return rows["p"].min() * RUN_ROWS <= bounds.LEVEL


# Model B: one point (alpha = 1, nu = 1) at the default N, trials and jackknife groups.

B = DEFAULTS["batch"]
B_ALPHA, B_NU, B_TIMES = 1.0, 1.0, [0.05, 10.0]


@pytest.fixture(scope="module")
def batch_stages():
    trials, weights = batch.simulate(N=B["N"], alpha=B_ALPHA, nu=B_NU, k=B["k"], T=B["T"], times=B_TIMES,
                                     trials=B["trials"], seed=SEED, key="negative")
    return trials, batch.estimate(weights, times=B_TIMES, k=B["k"], T=B["T"], groups=B["jackknife_groups"])


def mis_signed_heat(replicates):
    """Heat absorbed instead of released: <Q> -> -<Q>, so <ds_tot> = <ds_sys> + <Q>/T loses 2<Q>/T."""
    return replicates.assign(heat=-replicates["heat"],
                             entropy_production=replicates["entropy_production"] - 2 * replicates["heat"])


def ito_heat(replicates):
    """Ito heat sum (f - k w_old) dw: it exceeds the Stratonovich heat by (k/2) sum dw^2 -> k T t, so
    ds_tot gains k t and <e^{-ds_tot}> is multiplied by e^{-kt}."""
    kt = B["k"] * replicates["t"]
    return replicates.assign(heat=replicates["heat"] + kt, entropy_production=replicates["entropy_production"] + kt,
                             fluctuation_theorem=replicates["fluctuation_theorem"] * np.exp(-kt))


def batch_checks(trials, replicates):
    summary = batch.point_summary(trials, replicates, alpha=B_ALPHA, nu=B_NU, k=B["k"], T=B["T"], N=B["N"],
                                  groups=B["jackknife_groups"])
    return batch.bound_checks(summary)


@pytest.mark.parametrize("relation, wrong", [
    ("alpha I <= dS + <Q>/T", mis_signed_heat),
    ("alpha I <= dS_knn + <Q>/T", mis_signed_heat),
    ("0 <= <ds_tot>", mis_signed_heat),
    ("<exp(-ds_tot)> = 1", ito_heat),
])
def test_batch_relation_flags_a_wrong_heat(batch_stages, relation, wrong):
    trials, replicates = batch_stages
    assert holds(batch_checks(trials, replicates), relation)
    assert violated_in_a_default_run(batch_checks(trials, wrong(replicates)), relation)


# Model C: two points over the default alpha grid at the default N, trials and groups.

C = DEFAULTS["online"]
C_POINTS = [("hebbian", 1.0, 1.0), ("perceptron", 0.3, 1.0)]


@pytest.fixture(scope="module")
def online_stages():
    stages = []
    for rule, nu, k in C_POINTS:
        trials, weights = online.simulate(rule=rule, nu=nu, k=k, N=C["N"], T=C["T"], r=C["r"], alpha=C["alpha"],
                                          trials=C["trials"], test_samples=C["test_samples"], seed=SEED,
                                          key=f"negative/{rule}")
        stages.append((trials, online.estimate(weights, alpha=C["alpha"], k=k, T=C["T"], groups=C["jackknife_groups"])))
    return stages


def online_checks(stages, heat_sign=1.0):
    summaries = [
        online.point_summary(trials.assign(heat=heat_sign * trials["heat"]), entropy, rule=rule, nu=nu, k=k, T=C["T"],
                             r=C["r"], groups=C["jackknife_groups"])
        for (trials, entropy), (rule, nu, k) in zip(stages, C_POINTS)
    ]
    return online.bound_checks(pd.concat(summaries, ignore_index=True))


def test_online_cost_bound_flags_a_mis_signed_heat(online_stages):
    relation = "-ln(1 - rho^2)/2 <= dS + <Q>/T"
    assert holds(online_checks(online_stages), relation)
    assert violated_in_a_default_run(online_checks(online_stages, heat_sign=-1.0), relation)


def test_online_information_bound_flags_a_generalization_error_off_by_two(online_stages, monkeypatch):
    """eps_g = arccos(rho)/(2 pi): half the angle's share of misclassified inputs."""
    relation = "I_g <= -ln(1 - rho^2)/2"
    assert holds(online_checks(online_stages), relation)
    correct = information.generalization_error
    monkeypatch.setattr(information, "generalization_error", lambda overlap: correct(overlap) / 2)
    assert violated_in_a_default_run(online_checks(online_stages), relation)


def test_online_efficiency_bound_flags_the_information_of_the_whole_network(online_stages, monkeypatch):
    """N I_g (the network's information) over the cost per weight. eta <= 1 is far from tight here
    (eta < 0.2 on the ODE over the default grid), so only an error of this size trips it; the two
    links of the chain I_g <= -ln(1 - rho^2)/2 <= cost are the sharp checks."""
    relation = "eta <= 1"
    assert holds(online_checks(online_stages), relation)
    correct = information.information_from_error
    monkeypatch.setattr(information, "information_from_error", lambda eps: C["N"] * correct(eps))
    assert violated_in_a_default_run(online_checks(online_stages), relation)


# Model A: erasure and control at the default trajectories and dt, two slow protocol times.

A = DEFAULTS["landauer"]
A_TAUS, A_FIT_MIN_TAU = [32.0, 64.0], 32.0
LANDAUER_MODEL = ("dt", "E0", "T", "b_min", "a_max", "trajectories")


@pytest.fixture(scope="module")
def landauer_trajectories():
    return {
        (protocol, tau): landauer.simulate(protocol=protocol, tau=tau, **{key: A[key] for key in LANDAUER_MODEL},
                                           seed=SEED, key=f"negative/{protocol}/{tau}")
        for protocol in ("erasure", "control") for tau in A_TAUS
    }


def landauer_summary(trajectories, work_sign=1.0, swap_protocols=False):
    """The summary, optionally with the work's sign flipped or each protocol's trajectories filed
    under the other's name (the control run with the tilt on, the erasure without)."""
    swap = {"erasure": "control", "control": "erasure"} if swap_protocols else {}
    points = [
        landauer.estimate(table.assign(work=work_sign * table["work"]), T=A["T"], E0=A["E0"]).assign(
            protocol=swap.get(protocol, protocol), tau=tau)
        for (protocol, tau), table in trajectories.items()
    ]
    return landauer.summary(pd.concat(points, ignore_index=True), fit_min_tau=A_FIT_MIN_TAU)


def landauer_checks(summary):
    return landauer.bound_checks(summary, detailed_min_tau=A["detailed_min_tau"], fit_min_tau=A_FIT_MIN_TAU)


@pytest.mark.parametrize("relation", ["ln2 - h(P_s) <= <W>/T", "<exp(-W/T)> = 1"])
def test_landauer_relation_flags_a_mis_signed_work(landauer_trajectories, relation):
    assert holds(landauer_checks(landauer_summary(landauer_trajectories)), relation)
    assert violated_in_a_default_run(landauer_checks(landauer_summary(landauer_trajectories, work_sign=-1.0)),
                                     relation)


def test_detailed_jarzynski_flags_a_wrong_one_over_two_p_s(landauer_trajectories, monkeypatch):
    """1/P_s: the bit's initial entropy ln 2 left out of the successful trajectories' average."""
    relation = "ln<exp(-W/T)>_success = -ln(2 P_s)"
    summary = landauer_summary(landauer_trajectories)
    assert holds(landauer_checks(summary), relation)
    monkeypatch.setattr(landauer, "success_jarzynski", lambda success, err: (-np.log(success), err / success))
    assert violated_in_a_default_run(landauer_checks(summary), relation)


@pytest.mark.parametrize("relation", ["W_inf = ln 2", "W_inf = 0", "P_s >= 0.99 (premise of W_inf = ln 2)"])
def test_slow_limit_of_the_work_flags_swapped_protocols(landauer_trajectories, relation):
    assert holds(landauer_checks(landauer_summary(landauer_trajectories)), relation)
    assert violated_in_a_default_run(landauer_checks(landauer_summary(landauer_trajectories, swap_protocols=True)),
                                     relation)


# Model D: the analog network at two fast protocol times and two slow ones (the Jarzynski average is tested at
# tau = 256 only: at 64 the mean of e^{-W/T} is too skewed for the t test), default trajectories.

D = DEFAULTS["inference"]
D_TAUS = [0.05, 0.1, 64.0, 256.0]
N_NEURONS = inference.n_neurons(D["widths"])
INFERENCE_MODEL = ("widths", "g", "K", "T", "dt", "u_start", "u_end", "trajectories")


@pytest.fixture(scope="module")
def analog_trajectories():
    return {tau: inference.simulate(tau=tau, **{key: D[key] for key in INFERENCE_MODEL}, seed=SEED,
                                    key=f"inference/{tau!r}") for tau in D_TAUS}


def inference_checks(analog_trajectories, landauer_trajectories, taus=D_TAUS, work_sign=1.0,
                     swap_protocols=False):
    analog = pd.concat(
        [inference.estimate(table.assign(work=work_sign * table["work"]), T=D["T"]).assign(tau=tau)
         for tau, table in analog_trajectories.items() if tau in taus],
        ignore_index=True,
    )
    erasure = landauer_summary(landauer_trajectories, swap_protocols=swap_protocols)
    table = inference.summary(analog, erasure, n_neurons=N_NEURONS, fit_min_tau=min(taus))
    return inference.bound_checks(table, n_neurons=N_NEURONS, trajectories=D["trajectories"])


@pytest.mark.parametrize("relation", ["0 <= <W>/T", "<exp(-W/T)> = 1"])
def test_analog_relation_flags_a_mis_signed_work(analog_trajectories, landauer_trajectories, relation):
    assert holds(inference_checks(analog_trajectories, landauer_trajectories), relation)
    assert violated_in_a_default_run(inference_checks(analog_trajectories, landauer_trajectories, work_sign=-1.0),
                                     relation)


def test_relaxed_output_flags_a_protocol_too_fast_to_relax(analog_trajectories, landauer_trajectories):
    """The slowest protocol's output is relaxed; the fastest's is not."""
    relation = "output deviation = equilibrium deviation"
    assert holds(inference_checks(analog_trajectories, landauer_trajectories), relation)
    assert violated_in_a_default_run(inference_checks(analog_trajectories, landauer_trajectories,
                                                      taus=[0.05, 0.1]), relation)


def test_digital_floor_flags_resets_priced_at_the_control_protocol(analog_trajectories, landauer_trajectories):
    """Resetting a bit with the control protocol (no tilt) erases nothing and costs less than ln 2."""
    relation = "n ln 2 <= n <W_erase>/T"
    assert holds(inference_checks(analog_trajectories, landauer_trajectories), relation)
    assert violated_in_a_default_run(
        inference_checks(analog_trajectories, landauer_trajectories, swap_protocols=True), relation)


# Model E: the default data set size, trajectories, times and nu.

E = DEFAULTS["tur"]


@pytest.fixture(scope="module")
def tur_runs():
    return [(nu, *tur.simulate(N=E["N"], alpha=E["alpha"], nu=nu, k=E["k"], T=E["T"], times=E["times"],
                               trajectories=E["trajectories"], seed=SEED, key=f"negative/{nu}")) for nu in E["nu"]]


def tur_checks(runs):
    tables = [tur.estimate(force, currents, k=E["k"], T=E["T"]).assign(nu=nu) for nu, force, currents in runs]
    return tur.bound_checks(pd.concat(tables, ignore_index=True))


def test_tur_flags_the_steady_state_form(tur_runs, monkeypatch):
    """<J>^2 / Var J <= <Sigma>/2 (the steady-state TUR, <J> in place of t d<J>/dt) is false for a
    start out of the force's stationary state: for J = sum f dw its ratio is 1/(1 - a/2) > 1."""
    relation = "(t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1"
    assert holds(tur_checks(tur_runs), relation)
    correct = tur.exact_moments

    def steady_state_moments(f, *, k, T, t):
        mean, _, sigma = correct(f, k=k, T=T, t=t)
        return mean, mean, sigma

    monkeypatch.setattr(tur, "exact_moments", steady_state_moments)
    assert violated_in_a_default_run(tur_checks(tur_runs), relation)


CONTROLLED = {
    "batch": {"alpha I <= dS + <Q>/T", "alpha I <= dS_knn + <Q>/T", "0 <= <ds_tot>", "<exp(-ds_tot)> = 1"},
    "online": {"-ln(1 - rho^2)/2 <= dS + <Q>/T", "I_g <= -ln(1 - rho^2)/2", "eta <= 1"},
    "landauer": {"ln2 - h(P_s) <= <W>/T", "<exp(-W/T)> = 1", "ln<exp(-W/T)>_success = -ln(2 P_s)", "W_inf = ln 2",
                 "W_inf = 0", "P_s >= 0.99 (premise of W_inf = ln 2)"},
    "inference": {"0 <= <W>/T", "<exp(-W/T)> = 1", "output deviation = equilibrium deviation",
                  "n ln 2 <= n <W_erase>/T"},
    "tur": {"(t d<J>/dt)^2 / (Var J <Sigma>/2) <= 1"},
}
"""The relations given a negative control above."""


def test_every_relation_of_every_experiment_has_a_negative_control(batch_stages, online_stages, landauer_trajectories,
                                                                   analog_trajectories, tur_runs):
    checked = {
        "batch": batch_checks(*batch_stages),
        "online": online_checks(online_stages),
        "landauer": landauer_checks(landauer_summary(landauer_trajectories)),
        "inference": inference_checks(analog_trajectories, landauer_trajectories),
        "tur": tur_checks(tur_runs),
    }
    assert {experiment: set(checks["relation"]) for experiment, checks in checked.items()} == CONTROLLED


@pytest.mark.parametrize("experiment", CONTROLLED)
def test_the_pipeline_verdict_lists_exactly_the_relations_bound_checks_produces(experiment):
    """scripts/verdict.py lists each experiment's RELATIONS (untested where no row applies): the same set,
    without repeats, as the relations its bound_checks produce above."""
    relations = importlib.import_module(f"thermolearn.experiments.{experiment}").RELATIONS
    assert set(relations) == CONTROLLED[experiment] and len(relations) == len(set(relations))
