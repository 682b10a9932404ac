"""Model C: the Gaussian averages by quadrature against the closed forms and a 2-d quadrature,
simulation vs the ODEs for every shipped rule, user rules and the one-line refusal of bad ones, the
arrival convention and the weight information's estimator, and Model B as a special case of the
online kernel."""

import math
import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import quad

from thermolearn import bounds, resources
from thermolearn import config as cfg
from thermolearn.estimators import mean_and_error
from thermolearn.experiments import online
from thermolearn.experiments.batch import theory as batch_theory
from thermolearn.experiments.online import rules
from thermolearn.experiments.online import spec as online_spec
from thermolearn.experiments.online.kernel import simulate_online
from thermolearn.experiments.online.theory import (
    closed_form_averages,
    force_field_average,
    order_parameters,
    quadrature_averages,
)
from thermolearn.seeds import trial_generators

MARGIN = {"name": "margin", "function": "margin_perceptron", "params": {"kappa": 0.5}}
LOGISTIC = {"name": "logistic", "function": "logistic", "params": {"beta": 2.0}}
RULES = ["hebbian", "perceptron", "adatron", MARGIN, LOGISTIC]
"""The default config's rules."""

FIELDS = [(0.0, 1.0), (0.3, 0.8), (0.9, 2.5), (-0.2, 1.3), (1.7303, 3.0), (-0.4427, 0.2), (0.001, 50.0)]
"""(R, q): rho = 0, moderate, 0.999, -0.99 and a wide student field."""


@pytest.mark.parametrize("rule", ["hebbian", "perceptron", "adatron"])
@pytest.mark.parametrize("R, q", FIELDS)
def test_quadrature_equals_the_closed_forms_to_1e_8(rule, R, q):
    quadrature = quadrature_averages(rules.resolve(rule), R, q)
    assert np.max(np.abs(np.subtract(quadrature, closed_form_averages(rule, R, q)))) < 1e-8


def gaussian_average(function, R, q, jumps=(0.0,)):
    """E[function(u, h)] for (u, h) ~ N(0, [[1, R], [R, q]]), by nested quadrature over (u, z), split at
    u = 0 and at the rule's jumps in h = R u + sqrt(q - R^2) z: independent of the 1-d reduction."""
    spread = np.sqrt(q - R**2)

    def inner(z1):
        density = lambda z2: np.exp(-0.5 * (z1**2 + z2**2)) / (2 * np.pi)  # noqa: E731
        kinks = sorted((h - R * z1) / spread for h in jumps)
        return quad(lambda z2: function(z1, R * z1 + spread * z2) * density(z2), -12, 12, points=kinks,
                    limit=200, epsabs=1e-12)[0]

    return quad(inner, -12, 12, points=[0.0], limit=200, epsabs=1e-12)[0]


@pytest.mark.parametrize("entry, jumps", [(MARGIN, (-0.5, 0.5)), (LOGISTIC, ())], ids=["margin", "logistic"])
@pytest.mark.parametrize("R, q", [(0.3, 0.8), (-0.9, 2.5)])
def test_quadrature_of_the_new_rules_equals_a_2d_quadrature(entry, jumps, R, q):
    rule = rules.resolve(entry)
    F = rules.factor(rule)
    expected = [
        gaussian_average(lambda u, h: np.sign(u) * u * F(h, np.sign(u), *rule.values), R, q, jumps),
        gaussian_average(lambda u, h: np.sign(u) * h * F(h, np.sign(u), *rule.values), R, q, jumps),
        gaussian_average(lambda u, h: F(h, np.sign(u), *rule.values) ** 2, R, q, jumps),
    ]
    assert quadrature_averages(rule, R, q) == pytest.approx(expected, abs=1e-8)


def test_the_margin_perceptron_at_zero_margin_is_the_perceptron():
    margin = rules.resolve({"name": "margin", "function": "margin_perceptron", "params": {"kappa": 0.0}})
    for R, q in FIELDS:
        assert np.max(np.abs(np.subtract(quadrature_averages(margin, R, q),
                                         closed_form_averages("perceptron", R, q)))) < 1e-8


def test_jumps_are_found_where_the_rules_jump():
    assert rules.jumps(rules.resolve(MARGIN)) == pytest.approx([-0.5, 0.5], abs=1e-14)
    assert list(rules.jumps(rules.resolve("perceptron"))) == [0.0]
    assert len(rules.jumps(rules.resolve("adatron"))) == 0  # a kink, no jump
    assert len(rules.jumps(rules.resolve(LOGISTIC))) == 0


def test_force_field_average_uses_the_gaussian_regression_of_g_on_u_and_h():
    """E[g | u, h] = a u + b h with (a, b) = Sigma_{g,(u,h)} Sigma_{(u,h)}^{-1}."""
    R, q, R_f, q_wf = 0.3, 1.4, 0.5, 0.2
    a, b = np.linalg.solve([[1.0, R], [R, q]], [R_f, q_wf])
    su, sh = 0.7, -0.4
    assert force_field_average(su, sh, R, q, R_f, q_wf) == pytest.approx(a * su + b * sh)


@pytest.fixture(scope="module", params=RULES, ids=lambda rule: rules.spec(rule)["name"])
def summary(request):
    rule, nu, k, T, r, alpha = request.param, 1.0, 1.0, 1.0, 1.0, [0.5, 2.0]
    trials, weights = online.simulate(rule=rule, nu=nu, k=k, N=500, T=T, r=r, alpha=alpha, trials=100, test_samples=500,
                                      seed=11, key=rules.spec(rule)["name"])
    entropy = online.estimate(weights, alpha=alpha, k=k, T=T, groups=50)
    return online.point_summary(trials, entropy, rule=rule, nu=nu, k=k, T=T, r=r, groups=50)


@pytest.mark.parametrize("quantity", ["R", "q", "R_f", "q_wf", "q_ff", "heat", "eps_g", "entropy_change", "eta"])
def test_simulation_matches_ode_within_4_se(summary, quantity):
    z = (summary[quantity] - summary[f"{quantity}_theory"]) / summary[f"{quantity}_err"]
    assert np.all(np.abs(z) < 4), summary[["alpha", quantity, f"{quantity}_err", f"{quantity}_theory"]]


def test_test_set_error_matches_the_overlap_within_4_se(summary):
    z = (summary["eps_g_test"] - summary["eps_g_theory"]) / summary["eps_g_test_err"]
    assert np.all(np.abs(z) < 4)


def test_bound_chain_holds(summary):
    assert (bounds.verdict({"online": online.bound_checks(summary)})["verdict"] == "holds").all()


def test_all_samples_at_start_with_random_labels_is_model_b():
    """The shared-code check: Hebbian F = 1, random labels, every sample at t = 0 -> Model B's
    heat and weight variance q = T/k + nu^2 alpha a^2/k^2 (docs/science.md, Model B)."""
    nu, k, T, N = 1.5, 2.0, 0.7, 200
    record_alpha = [0.5, 1.0, 6.0]  # records at t = alpha / r with r = 1
    trials, _ = online.simulate(
        rule="hebbian", nu=nu, k=k, N=N, T=T, r=1.0, alpha=record_alpha, trials=400, test_samples=1, seed=5,
        key="model-b", all_at_start=True, random_labels=True,
    )
    # every sample arrives at t = 0, so all round(6 N) of the last record's samples are in f
    samples_alpha = record_alpha[-1]
    for t, at_t in trials.groupby("t"):
        for quantity, theory in [
            ("heat", T * batch_theory.heat(nu, samples_alpha, k=k, T=T, t=t)),
            ("q", T / k + nu**2 * samples_alpha * batch_theory.learning_fraction(k, t) ** 2 / k**2),
        ]:
            values = at_t[quantity].to_numpy()
            assert abs(values.mean() - theory) < 4 * values.std(ddof=1) / np.sqrt(len(values)), (quantity, t)


def test_weight_information_from_the_means_is_unbiased_where_the_trial_wise_average_is_not():
    """At small rho each trial's noise in rho (variance ~1/N) lifts the trial-wise average of
    -1/2 ln(1 - rho^2) by ~1/(2N), about 9-14 SE here (Hebbian, nu = 1, N = 100, 400 trials,
    rho = 0.03 and 0.08); computed from the replicate means of R and q it agrees with the ODE."""
    rule, nu, k, T, r, N, trials, alpha = "hebbian", 1.0, 1.0, 1.0, 1.0, 100, 400, [0.25, 0.5]
    trial_table, weights = online.simulate(rule=rule, nu=nu, k=k, N=N, T=T, r=r, alpha=alpha, trials=trials,
                                           test_samples=0, seed=3, key="weight-information")
    summary = online.point_summary(trial_table, online.estimate(weights, alpha=alpha, k=k, T=T, groups=50), rule=rule,
                                   nu=nu, k=k, T=T, r=r, groups=50)
    theory = summary["weight_information_theory"].to_numpy()
    z = (summary["weight_information"] - theory) / summary["weight_information_err"]
    assert np.all(np.abs(z) < 4), summary[["alpha", "overlap", "weight_information", "weight_information_err"]]
    # negative control: the average over trials of each trial's -1/2 ln(1 - rho^2)
    trial_wise = -0.5 * np.log1p(-trial_table["R"] ** 2 / trial_table["q"]).to_numpy().reshape(trials, len(alpha))
    mean, error = mean_and_error(trial_wise)
    assert np.all((mean - theory) / error > 4), (mean, error, theory)


ARRIVAL = {"nu": 10.0, "k": 1.0, "T": 1.0, "r": 1.0, "N": 50, "trials": 400, "alpha": [0.1, 0.2]}
"""Hebbian point where arrivals at mu/(r N) lag the ODE by many SE at a small sample size. The lag
moves the heat by (1/(2rN)) d<Q>/dt ~ nu^2 t/(2N) against an SE ~ nu sqrt(2 alpha t/(N trials)),
so its z grows like nu sqrt(trials/N): over ten seeds the heat sat 10-16 SE low at both records
(q_wf 3-8 SE low). The intrinsic O(1/N) terms that midpoint arrivals leave (q_ff lacks the self
pairs, -(2/pi) nu^2 alpha/N, ~0.45 sqrt(trials/N) SE; R_f carries the non-Gaussian field's
+R_f/(4N)) stay near 1.3 SE here (ten seeds: max |z| 3.4 over all order parameters); at
trials/N ~ 100 they would show."""


def arrival_z_scores(arrival_times, shift=0.0):
    """z-scores (records x order parameters) of the trial means of R, q, R_f, q_wf, q_ff and the heat
    against the ODE read at t - shift, with samples arriving at ``arrival_times``."""
    p = ARRIVAL
    _, records = online.arrival_and_record_times(p["N"], p["r"], p["alpha"])
    hebbian = rules.bound_factor(rules.resolve("hebbian"))
    order, _, _, _ = simulate_online(p["N"], hebbian, p["nu"], p["k"], p["T"], arrival_times, records, 0, False,
                                  trial_generators(1, "arrivals", p["trials"]))
    mean, error = mean_and_error(order)
    theory = order_parameters("hebbian", records - shift, nu=p["nu"], k=p["k"], T=p["T"], r=p["r"])
    return np.column_stack(
        [(mean[:, c] - theory[name] * (p["T"] if name == "heat" else 1.0)) / error[:, c]
         for c, name in enumerate(online.ORDER_PARAMETERS)]
    )


def test_midpoint_arrivals_match_the_ode_within_4_se():
    arrivals, _ = online.arrival_and_record_times(ARRIVAL["N"], ARRIVAL["r"], ARRIVAL["alpha"])
    z = arrival_z_scores(arrivals)
    assert np.all(np.abs(z) < 4), z


def test_arrivals_at_interval_ends_lag_the_ode_by_half_an_interval():
    """Negative control: arrivals at t_mu = mu/(r N) are flagged on the heat; the heat and q_wf agree
    again with the ODE read at t - 1/(2rN) (the force acts half an interval late)."""
    p = ARRIVAL
    interval = 1.0 / (p["r"] * p["N"])
    ends = np.arange(1, round(p["alpha"][-1] * p["N"]) + 1) * interval
    heat = online.ORDER_PARAMETERS.index("heat")
    assert np.all(arrival_z_scores(ends)[:, heat] < -4)
    columns = [online.ORDER_PARAMETERS.index(name) for name in ("q_wf", "heat")]
    assert np.all(np.abs(arrival_z_scores(ends, shift=interval / 2)[:, columns]) < 4)


def test_theory_is_read_at_the_record_times_where_alpha_n_is_not_whole():
    """alpha N = 12.4 at N = 50: the record is after 12 samples, at t = 12/(r N), and the ODE is read there,
    not at alpha / r (which would put R_theory 1/(0.4 r N) late)."""
    rule, nu, k, T, r, N, alpha = "hebbian", 1.0, 1.0, 1.0, 2.0, 50, [0.248]
    trials, weights = online.simulate(rule=rule, nu=nu, k=k, N=N, T=T, r=r, alpha=alpha, trials=20, test_samples=10,
                                      seed=3, key=rule)
    summary = online.point_summary(trials, online.estimate(weights, alpha=alpha, k=k, T=T, groups=5), rule=rule, nu=nu,
                                   k=k, T=T, r=r, groups=5)
    at_record = order_parameters(rule, [12 / (r * N)], nu=nu, k=k, T=T, r=r)["R"]
    at_alpha = order_parameters(rule, [alpha[0] / r], nu=nu, k=k, T=T, r=r)["R"]
    assert summary["R_theory"].to_numpy() == pytest.approx(at_record, rel=1e-12)
    assert not np.isclose(at_record, at_alpha, rtol=1e-3)


def test_weight_information_error_holds_where_rho_is_near_zero():
    """Near rho = 0, -1/2 ln(1 - rho^2) ~ rho^2/2 is flat: its jackknife (linear) error |rho| SE(rho)
    vanishes while the estimate still scatters by SE(rho)^2/sqrt 2. Over ten data sets at rho ~ 0.003 the
    error with the second-order term covers the theory within 4 SE; the linear error alone (negative
    control) is exceeded more than 4-fold."""
    rule, nu, k, T, r, N, alpha = "hebbian", 0.05, 1.0, 1.0, 1.0, 100, [0.25, 0.5]
    z_full, z_linear = [], []
    for seed in range(10):
        trials, weights = online.simulate(rule=rule, nu=nu, k=k, N=N, T=T, r=r, alpha=alpha, trials=200,
                                          test_samples=10, seed=seed, key=rule)
        s = online.point_summary(trials, online.estimate(weights, alpha=alpha, k=k, T=T, groups=20), rule=rule,
                                 nu=nu, k=k, T=T, r=r, groups=20)
        deviation = s["weight_information"] - s["weight_information_theory"]
        linear = np.sqrt(s["weight_information_err"] ** 2 - online.weight_information_second_order(s) ** 2)
        z_full += list(deviation / s["weight_information_err"])
        z_linear += list(deviation / linear)
    assert np.max(np.abs(z_full)) < 4
    assert np.max(np.abs(z_linear)) > 4


USER_RULES = '''
"""Rules of a user, in a file outside the project."""
import math


def margin(h, sigma_T, kappa):
    return 1.0 if sigma_T * h < kappa else 0.0


def uncompilable(h, sigma_T):
    return len(object()) * h


def one_argument(h):
    return 1.0


def star_params(h, sigma_T, *params):
    return 1.0


def two_values(h, sigma_T):
    return h, sigma_T


def square_root(h, sigma_T):
    return math.sqrt(sigma_T * h)


def exploding(h, sigma_T):
    return math.exp(50.0 * h)


def inverse(h, sigma_T):
    return 1.0 / h


def infinite(h, sigma_T):
    return math.inf if h > 3.0 else 1.0


def raises_far(h, sigma_T):
    if abs(h) > 50.0:
        raise ValueError("far out")
    return 1.0


def huge(h, sigma_T):
    return 1e200 if h > 30.0 else 1.0


def off_the_probe(h, sigma_T):
    if abs(h) < 10.0 and h != math.floor(h * 1000.0 + 0.5) / 1000.0:
        raise ValueError("off the probe")
    return 1.0


def slow(h, sigma_T):
    s = 0.0
    for n in range(20000):
        s += math.sin(n * 1e-9 * h)
    return 1.0 + 0.0 * s
'''


@pytest.fixture(scope="module")
def user_rules(tmp_path_factory):
    """The module user_rules, importable from a folder outside the project (as on PYTHONPATH)."""
    folder = tmp_path_factory.mktemp("user")
    (folder / "user_rules.py").write_text(textwrap.dedent(USER_RULES))
    (folder / "broken_rules.py").write_text("raise RuntimeError('no')\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        yield "user_rules"


def quick_with_rules(entries):
    """The quick config with ``online.rules`` = entries, validated as a run would."""
    quick = cfg.merge(cfg.load(cfg.DEFAULT), cfg.load(cfg.REPO / "config" / "quick.yaml"))
    return cfg.validate(cfg.merge(quick, {"online": {"rules": entries}}))


def test_a_user_rule_runs_as_the_shipped_rule_it_copies(user_rules):
    """The margin perceptron written in a user's file: the same simulation, bit for bit, and the same theory."""
    mine = {"name": "margin", "function": f"{user_rules}:margin", "params": {"kappa": 0.5}}
    config = quick_with_rules(["hebbian", mine])
    assert online_spec.rule_spec(config["online"], "margin") == {**mine, "code": rules.resolve(mine).code}
    runs = [online.simulate(rule=rule, nu=1.0, k=1.0, N=60, T=1.0, r=1.0, alpha=[0.5, 1.0], trials=8, test_samples=10,
                            seed=2, key="m")
            for rule in (mine, MARGIN)]
    for user, shipped in zip(*runs):
        assert user.equals(shipped)
    same = dict(nu=1.0, k=1.0, T=1.0, r=1.0)
    assert order_parameters(mine, [1.0], **same)["eta"] == order_parameters(MARGIN, [1.0], **same)["eta"]


def test_the_default_configs_rules_and_their_points():
    config = cfg.validate(cfg.load(cfg.DEFAULT))
    assert online_spec.rule_names(config["online"]) == ["hebbian", "perceptron", "adatron", "margin", "logistic"]
    hebbian = {"name": "hebbian", "function": "hebbian", "params": {}}
    assert online_spec.rule_spec(config["online"], "hebbian") == hebbian
    assert set(online_spec.space(config)["rule"]) == set(online_spec.rule_names(config["online"]))


def test_a_rules_spec_is_the_same_however_the_config_writes_it():
    """Job params compare as written: the spec orders keys and parameters, so a config rewritten
    (e.g. by yaml.safe_dump, which sorts keys) reruns nothing."""
    written = {"params": {"kappa": 0.5, "beta": 4.0}, "function": "m:f", "name": "soft"}
    assert list(rules.spec(written)) == ["name", "function", "params"]
    assert list(rules.spec(written)["params"]) == ["beta", "kappa"]
    shipped = {"params": {"kappa": 0.5}, "function": "margin_perceptron", "name": "margin"}
    assert list(online_spec.rule_specs({"rules": ["hebbian", shipped]})[1]) == ["name", "function", "params"]


BAD_RULES = {  # case: (online.rules, the rule's name the message must give, and what it must say)
    "module missing": ([{"name": "mine", "function": "no_such_module:margin"}], "mine",
                       "module 'no_such_module' not found"),
    "module fails on import": ([{"name": "mine", "function": "broken_rules:margin"}], "mine",
                               "importing module 'broken_rules' failed: RuntimeError: no"),
    "function missing": ([{"name": "mine", "function": "user_rules:nothere"}], "mine",
                         "module 'user_rules' has no function 'nothere'"),
    "no such shipped rule": (["hebbian", "oja"], "oja", "no shipped rule 'oja'"),
    "numba cannot compile it": ([{"name": "odd", "function": "user_rules:uncompilable"}], "odd",
                                "numba cannot compile it: Untyped global name 'object'"),
    "one argument": ([{"name": "one", "function": "user_rules:one_argument"}], "one", "wrong signature (h)"),
    "variable parameters": ([{"name": "star", "function": "user_rules:star_params"}], "star", "wrong signature"),
    "returns a pair": ([{"name": "pair", "function": "user_rules:two_values"}], "pair",
                       "returns UniTuple(float64 x 2), not a number"),
    "NaN on the probe grid": ([{"name": "root", "function": "user_rules:square_root"}], "root",
                              "returns nan at h = -0.001, sigma_T = +1"),
    "exploding on the probe grid": ([{"name": "big", "function": "user_rules:exploding"}], "big",
                                    "returns 1.04e+100 at h = 4.606, sigma_T = -1, beyond 1e+100 in size"),
    "infinity on the probe grid": ([{"name": "inf", "function": "user_rules:infinite"}], "inf",
                                   "returns inf at h = 3.001, sigma_T = -1"),
    "raises on the probe grid": ([{"name": "inv", "function": "user_rules:inverse"}], "inv",
                                 "raises ZeroDivisionError: division by zero at h = 0"),
    "raises beyond the old probe grid": ([{"name": "far", "function": "user_rules:raises_far"}], "far",
                                         "raises ValueError: far out at h = -50.0"),
    "absurdly large": ([{"name": "huge", "function": "user_rules:huge"}], "huge",
                       "returns 1e+200 at h = 30.0"),
    "parameter missing": ([{"name": "margin", "function": "margin_perceptron"}], "margin",
                          "parameter 'kappa' missing, F(h, sigma_T, kappa)"),
    "parameter of the wrong type": ([{**MARGIN, "params": {"kappa": "wide"}}], "margin",
                                    "parameter kappa = 'wide' is not a finite number"),
    "boolean parameter": ([{**MARGIN, "params": {"kappa": True}}], "margin", "parameter kappa = True"),
    "unknown parameter": ([{"name": "hebb", "function": "hebbian", "params": {"kappa": 1.0}}], "hebb",
                          "unknown parameter 'kappa', F(h, sigma_T)"),
    "two rules with the same name": (["hebbian", {"name": "hebbian", "function": "perceptron"}], "hebbian",
                                     "two rules are named 'hebbian'"),
    "a name unfit for paths": ([{"name": "my rule", "function": "hebbian"}], "my rule", "a name is letters"),
    "a module:function for a name": (["user_rules:margin"], "user_rules:margin", "a user rule is a mapping"),
    "an unknown key": ([{**MARGIN, "parameters": {"kappa": 1.0}}], "margin", "unknown key 'parameters'"),
    "params not a mapping": ([{**MARGIN, "params": [0.5]}], "margin", "params a mapping"),
}


@pytest.mark.parametrize("case", BAD_RULES, ids=list(BAD_RULES))
def test_a_bad_rule_is_refused_in_one_line_naming_it(user_rules, case):
    entries, name, reason = BAD_RULES[case]
    with pytest.raises(cfg.ConfigError) as refused:
        quick_with_rules(entries)
    message = str(refused.value)
    assert message.startswith(f"online.rules: rule {name!r}") or message.startswith("online.rules: two rules"), message
    assert reason in message and "\n" not in message, message


def test_a_rule_that_raises_in_the_kernel_stops_the_job_naming_the_rule_h_and_sigma(user_rules):
    """numba's C wrapper prints an exception raised in a compiled rule and returns 0.0; the rule is
    guarded (NaN), and the kernel stops with h and sigma_T. The rule passes the probe (it raises only
    off the probe's fields), so only the run can see it."""
    rule = {"name": "off", "function": f"{user_rules}:off_the_probe"}
    rules.check(rules.resolve(rule))  # passes the probe
    with pytest.raises(rules.RuleError) as stopped:
        online.simulate(rule=rule, nu=1.0, k=1.0, N=40, T=1.0, r=1.0, alpha=[0.5, 1.0], trials=4, test_samples=5,
                        seed=2, key="off")
    message = str(stopped.value)
    assert message.startswith("rule 'off' (user_rules:off_the_probe): raises ValueError: off the probe at h = ")
    assert "sigma_T = " in message and "\n" not in message, message
    with pytest.raises(rules.RuleError, match="rule 'off' .* raises ValueError: off the probe at h = .* quadrature"):
        order_parameters(rule, [1.0], nu=1.0, k=1.0, T=1.0, r=1.0)


def test_the_guard_changes_nothing_where_the_rule_holds(user_rules):
    """Negative control: a rule that raises only far out runs to the end with the guard, and the raw
    C wrapper would have returned 0.0 where the guarded one returns NaN."""
    rule = rules.resolve({"name": "far", "function": f"{user_rules}:raises_far"})
    trials, _ = online.simulate(rule=rule, nu=1.0, k=1.0, N=40, T=1.0, r=1.0, alpha=[0.5, 1.0], trials=4,
                                test_samples=5, seed=2, key="far")
    assert len(trials) == 8 and np.isfinite(trials[list(online.ORDER_PARAMETERS)].to_numpy()).all()
    assert rules.guarded(rule)(1.0, 1.0) == 1.0 and math.isnan(rules.guarded(rule)(60.0, 1.0))


def test_a_slow_user_rules_jobs_request_its_time(user_rules):
    """The check times the rule; its calls at that cost enter the work of its points (and so their
    runtime request). A shipped rule's cost is in the measured rate: its work is the formula's."""
    slow = {"name": "slow", "function": f"{user_rules}:slow"}
    config = quick_with_rules(["hebbian", slow])
    section = config["online"]
    assert rules.seconds_per_call(rules.resolve(slow)) > 1e-6
    assert rules.seconds_per_call(rules.resolve("hebbian")) == 0.0
    point = {"rule": "slow", "nu": section["nu_fixed"], "k": section["k_fixed"]}
    calls = section["trials"] * round(section["alpha"][-1] * section["N"])
    plain = online_spec.simulate_work(section, point | {"rule": "hebbian"})
    assert isinstance(plain, int)
    assert online_spec.simulate_work(section, point) - plain > calls * 1e-6 * resources.rate("online")


def test_an_infinite_parameter_is_refused_naming_its_key(user_rules):
    """The config's finiteness check reaches the rules' parameters first, naming the exact key."""
    with pytest.raises(cfg.ConfigError) as refused:
        quick_with_rules([{**MARGIN, "params": {"kappa": math.inf}}])
    assert str(refused.value) == "online.rules.0.params.kappa: inf is not finite (allowed: finite numbers)"
    with pytest.raises(rules.RuleError, match="parameter kappa = inf is not a finite number"):
        rules.resolve({**MARGIN, "params": {"kappa": math.inf}})  # and the rule's own check, without the config's


def theory_summary(nu, k, rules, alphas=(0.5, 1.0, 2.0, 4.0), r=1.0, T=1.0):
    """A summary whose points sit on the theory with small errors: what dynamics() draws."""
    from thermolearn.experiments.online.rules import spec as rule_spec
    from thermolearn.experiments.online.theory import order_parameters

    rows = []
    for entry in rules:
        rule = rule_spec(entry)
        theory = order_parameters(rule, np.asarray(alphas) / r, nu=nu, k=k, T=T, r=r)
        for i, alpha in enumerate(alphas):
            row = {"rule": rule["name"], "nu": nu, "k": k, "alpha": alpha, "dof": 49}
            for name in ("eps_g", "eta", "heat", "entropy_change"):
                row[name], row[f"{name}_err"] = theory[name][i], 1e-3
            row["eps_g_test"], row["eps_g_test_err"] = theory["eps_g"][i], 1e-3
            rows.append(row)
    return pd.DataFrame(rows)


@pytest.mark.parametrize("nu, k, symlog", [(10.0, 0.1, True), (0.3, 1.0, False)])
def test_dynamics_cost_panel_keeps_delta_s_visible_when_the_heat_is_large(nu, k, symlog):
    """online_dynamics (c): where the heat is ten times |Delta S| or more the axis is symlog, linear up to
    the largest |Delta S|; at a moderate nu (negative control) it stays linear."""
    from thermolearn import plotting as plot
    from thermolearn.experiments.online import figures as online_figures

    rules = ["hebbian", "perceptron"]
    plot.setup()
    fig = online_figures.dynamics(theory_summary(nu, k, rules), r=1.0, T=1.0, N=100, nu_fixed=nu, k_fixed=k,
                                  rules=rules)
    cost_ax = fig.axes[2]
    assert (cost_ax.get_yscale() == "symlog") == symlog
    plot.plt.close(fig)


def test_adatron_at_nu_10_sits_below_the_ode_by_its_measured_finite_n_bias():
    """docs/science.md, Model C, finite N (iii): AdaTron at nu = 10, alpha = 4 does not self-average (N Var R/R^2
    ~ 5) and <R> sits below the N -> infinity ODE by (4.1 +- 0.4)/N relative. At N = 100 and 2000 trials the
    bias is 8 SE: the ODE does not apply there within error (negative control), the measured 1/N law does."""
    from thermolearn.experiments.online.theory import order_parameters

    n, trials = 100, 2000
    ode = order_parameters("adatron", np.array([4.0]), nu=10.0, k=1.0, T=1.0, r=1.0)["R"][0]
    table, _ = online.simulate(rule="adatron", nu=10.0, k=1.0, N=n, T=1.0, r=1.0, alpha=[4.0], trials=trials,
                               test_samples=10, seed=5, key="finite-n")
    R = table["R"].to_numpy()
    bias, err = R.mean() / ode - 1.0, R.std(ddof=1) / np.sqrt(trials) / ode
    assert 4.0 < n * R.var() / ode**2 < 6.0
    assert abs(bias - (-4.1 / n)) < 4 * np.hypot(err, 0.4 / n)
    assert bias < -4 * err
