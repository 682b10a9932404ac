"""Model D experiment: reversible analog inference vs Landauer-limited digital inference.

The analog network's free energy is the same for every input, so its inference work -> 0 as
1/tau; a digital network resets each of its n non-input neurons, each at the cost of Model A's
erasure work at the same protocol time, n <W_erase(tau)> >= n T ln 2.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from thermolearn import estimators
from thermolearn.bounds import relation
from thermolearn.progress import in_chunks
from thermolearn.seeds import job_seed_sequence, trial_generators


def n_neurons(widths: list[int]) -> int:
    """n: the neurons of a digital network that are reset each inference (all but the inputs)."""
    return sum(widths[1:])


def network(widths: list[int], *, g: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Random weights W^(l) with variance g^2 / n_(l-1), flat, with the flat layouts' offsets."""
    widths = np.asarray(widths, dtype=np.int64)
    rng = np.random.default_rng(job_seed_sequence(seed, "inference/network"))
    blocks = [rng.normal(0.0, g / np.sqrt(widths[l - 1]), widths[l] * widths[l - 1]) for l in range(1, len(widths))]
    weight_offset = np.concatenate(([0], np.cumsum([b.size for b in blocks])))
    offset = np.concatenate(([0], np.cumsum(widths[1:])))
    return widths, np.concatenate(blocks), weight_offset, offset


GAP = 0.01
"""The largest gap between the relaxed reference's output deviation and the chain's stationary one, as a
fraction of the standard error of the output deviation."""


def relaxation_steps(n_out: int, trajectories: int) -> int:
    """Steps n of the chain that relax an exact equilibrium sample to the chain's own law, for any network.

    A mode of rate a = K s^2 dt <= 1 per step (s a singular value of the residuals' Jacobian) has the exact
    variance T/(K s^2) and the chain's 1/(1 - a/2) times that, so after n steps their relative gap is
    (a/2)(1 - a)^(2n) <= (a/2) e^(-2na) <= 1/(4 e n) whatever a. The output deviation's standard error is at least
    sqrt(2 / (n_out M)) of it (M trajectories), so n = sqrt(n_out M / 2) / (4 e GAP) keeps the gap below GAP
    standard errors however slow the network."""
    return int(np.ceil(np.sqrt(n_out * trajectories / 2) / (4 * np.e * GAP)))


def simulate(*, tau: float, widths: list[int], g: float, K: float, T: float, dt: float, u_start: list[float],
             u_end: list[float], trajectories: int, seed: int, key: str) -> pd.DataFrame:
    """Stage 1: work, output deviation after the protocol and in the chain's own equilibrium at u_end (an
    exact sample relaxed by ``relaxation_steps`` of the same Euler-Maruyama chain), per trajectory.

    ``key`` names the point and fixes its random stream (the network is the same at every point)."""
    from thermolearn.experiments.inference.kernel import simulate_inference  # numba: only the simulate jobs

    layout = network(widths, g=g, seed=seed)
    u_start, u_end = np.asarray(u_start, float), np.asarray(u_end, float)
    relax_steps = relaxation_steps(widths[-1], trajectories)
    work, msd, msd_equilibrium = in_chunks(
        lambda rngs: simulate_inference(u_start, u_end, tau, dt, K, T, *layout, relax_steps, rngs),
        trial_generators(seed, key, trajectories),
    )
    return pd.DataFrame({"trajectory": np.arange(trajectories), "work": work, "msd_output": msd,
                         "msd_equilibrium": msd_equilibrium})


def estimate(trajectories: pd.DataFrame, *, T: float) -> pd.DataFrame:
    """Stage 2: <W>/T, <e^{-W/T}>, and the output's mean squared deviation from the feedforward
    output after the protocol and in equilibrium, each with its standard error (``dof`` =
    trajectories - 1)."""
    row = {"dof": len(trajectories) - 1}
    for name, values in [("energy", trajectories["work"] / T), ("jarzynski", np.exp(-trajectories["work"] / T)),
                         ("msd_output", trajectories["msd_output"]),
                         ("msd_equilibrium", trajectories["msd_equilibrium"])]:
        row[name], row[f"{name}_err"] = estimators.mean_and_error(values)
    return pd.DataFrame([row])


def summary(analog: pd.DataFrame, landauer: pd.DataFrame, *, n_neurons: int, fit_min_tau: float) -> pd.DataFrame:
    """Stage 3: analog rows (with the fit W_inf + B/tau over tau >= fit_min_tau) and digital rows,
    n <W_erase(tau)>/T from Model A's erasure at each of its tau, at Model A's T and E0 (``erase_T``,
    ``erase_E0``). Digital rows carry no Jarzynski
    average (NaN): Model A's full erasure average is dominated by rare failed erasures (docs/science.md,
    Model A, (iv)), and its n-th power means nothing."""
    analog = analog.sort_values("tau", ignore_index=True).assign(kind="analog")
    analog = analog.assign(**estimators.fit_slow_protocols(analog, "energy", fit_min_tau))
    erasure = landauer[landauer["protocol"] == "erasure"]
    digital = pd.DataFrame({
        "tau": erasure["tau"], "kind": "digital", "dof": erasure["dof"], "energy": n_neurons * erasure["work"],
        "energy_err": n_neurons * erasure["work_err"], "erase_T": erasure["T"], "erase_E0": erasure["E0"],
    })
    table = pd.concat([analog, digital], ignore_index=True)
    return table[["tau", "kind", *table.columns.drop(["tau", "kind"])]]


SUMMARY_COLUMNS = ["tau", "kind", "dof", "energy", "energy_err"]
"""Columns every row has; the analog rows also carry jarzynski, msd_* and the fit."""


def jarzynski_testable(energy: ArrayLike, trajectories: int, energy_err: ArrayLike | None = None) -> np.ndarray:
    """Where the sampled <e^{-W/T}> can be tested: for near-Gaussian work with <W>/T = mu, the
    variance of e^{-W/T} is e^{2 mu} - 1, so its relative standard error stays below 10% only
    while e^{2 mu} - 1 < M/100 (M trajectories); and, given the error of <W>/T, where the skewness of the
    sampled mean is small enough for the t test (Model A's guard, landauer.jarzynski_testable: at the default
    tau = 64 the t test failed a correct run's row 11 times in 40000, docs/statistics.md). Beyond, the
    average is reported, not tested."""
    from thermolearn.experiments.landauer import jarzynski_testable as skewness_testable

    testable = np.expm1(2.0 * np.clip(energy, 0.0, 50.0)) < trajectories / 100.0
    if energy_err is not None:
        testable &= skewness_testable(energy_err, trajectories - 1)
    return testable


RELATIONS = ["0 <= <W>/T", "<exp(-W/T)> = 1", "output deviation = equilibrium deviation", "n ln 2 <= n <W_erase>/T"]
"""Every relation bound_checks can test, in its order: the verdict lists each one, untested if no
row of the run applies."""


def bound_checks(table: pd.DataFrame, *, n_neurons: int, trajectories: int) -> pd.DataFrame:
    """Stage 4 rows: analog 0 <= <W>/T per tau and <e^{-W/T}> = 1 where testable
    (:func:`jarzynski_testable`); at the slowest tau the output
    is relaxed (its deviation from the feedforward output equals the equilibrium one); digital
    n ln 2 <= n <W_erase>/T per tau."""
    analog = table[table["kind"] == "analog"]
    digital = table[table["kind"] == "digital"]
    slowest = analog.tail(1)
    testable = analog[jarzynski_testable(analog["energy"], trajectories, analog["energy_err"])]
    keys = ["kind", "tau"]
    parts = [
        relation(analog[keys], "0 <= <W>/T", 0.0, 0.0, analog["energy"], analog["energy_err"], analog["dof"]),
        relation(testable[keys], "<exp(-W/T)> = 1", testable["jarzynski"], testable["jarzynski_err"], 1.0, 0.0,
                 testable["dof"], equality=True),
        relation(slowest[keys], "output deviation = equilibrium deviation", slowest["msd_output"],
                 slowest["msd_output_err"], slowest["msd_equilibrium"], slowest["msd_equilibrium_err"], slowest["dof"],
                 equality=True),
        relation(digital[keys], "n ln 2 <= n <W_erase>/T", n_neurons * np.log(2.0), 0.0, digital["energy"],
                 digital["energy_err"], digital["dof"]),
    ]
    return pd.concat(parts, ignore_index=True)
