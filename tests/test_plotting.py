"""The figure checks: what covers what, reproducible bytes, labels from the parameters."""

import io
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from thermolearn import plotting, provenance

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def figure():
    plotting.setup()
    fig, ax = plotting.figure()
    t = np.linspace(0.0, 1.0, 20)
    ax.errorbar(t, t, yerr=0.05, fmt="o", label="points")
    ax.plot(t, t, label="line")
    yield fig, ax
    plotting.plt.close(fig)


def test_a_legend_below_the_panels_covers_nothing(figure):
    fig, _ = figure
    plotting.legend(fig)
    assert plotting.finish(fig) == []


def test_a_legend_on_the_data_is_flagged(figure):
    fig, ax = figure
    ax.legend(loc="center")
    assert any("legend" in problem and "covers" in problem for problem in plotting.overlaps(fig))


def test_overlapping_texts_are_flagged(figure):
    fig, ax = figure
    ax.text(0.5, 0.5, "one label", transform=ax.transAxes)
    ax.text(0.52, 0.5, "another label", transform=ax.transAxes)
    assert plotting.overlaps(fig) == ["texts 'one label' and 'another label' overlap"]


def test_minor_log_labels_that_would_overlap_are_removed(figure):
    fig, ax = figure
    ax.set(xscale="log", xlim=(0.15, 1.5))
    assert any("overlap" in problem for problem in plotting.overlaps(fig))
    assert plotting.finish(fig) == []


def saved(fig, fmt, metadata):
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["pdf", "png"])
def test_saved_bytes_carry_the_commit_and_no_date(figure, fmt):
    fig, _ = figure
    assert b"CreationDate" in saved(fig, "pdf", None)  # matplotlib's default: the negative control
    source = provenance.describe(REPO)
    data = saved(fig, fmt, plotting.metadata(fmt, source))
    assert b"CreationDate" not in data and b"Creation Time" not in data
    assert data == saved(fig, fmt, plotting.metadata(fmt, source))
    head, _ = provenance.commit(REPO)
    assert head and head.encode() in data and source.startswith(f"thermolearn {head}")
    assert data != saved(fig, fmt, plotting.metadata(fmt, "thermolearn 0000000"))  # another commit, other bytes


def test_a_dirty_tree_is_said_and_outside_a_checkout_too(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert provenance.describe(tmp_path) == "thermolearn (not a git checkout)"  # no commit yet
    (tmp_path / "f.txt").write_text("one")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    head, dirty = provenance.commit(tmp_path)
    assert len(head) == 40 and dirty is False and provenance.describe(tmp_path) == f"thermolearn {head}"
    (tmp_path / "untracked.yaml").write_text("a variant")
    assert provenance.commit(tmp_path) == (head, False)  # an untracked variant config is no edit
    (tmp_path / "f.txt").write_text("two")
    assert provenance.commit(tmp_path) == (head, True)
    assert provenance.describe(tmp_path) == f"thermolearn {head} (dirty tree: uncommitted changes)"


def test_parameters_are_written_with_their_symbols():
    assert plotting.parameters(k=0.5, E0=8.0, nu=1.0, N=200) == r"$k = 0.5$, $E_0 = 8$, $\nu = 1$, $N = 200$"


def test_error_bars_are_68_percent_t_intervals_wider_than_one_se_at_few_degrees_of_freedom():
    rows = pd.DataFrame({"eta_err": [0.1, 0.1], "dof": [4, 10**6]})
    bars = plotting.error_bar(rows, "eta")
    assert bars[0] == pytest.approx(0.1 * stats.t.ppf(0.5 + 0.6827 / 2, 4))
    assert bars[0] > 0.11  # t_4 quantile 1.14, not 1
    assert bars[1] == pytest.approx(0.1, rel=1e-3)  # the normal limit


def test_a_name_without_a_symbol_is_text_not_a_product_of_symbols():
    assert plotting.parameters(lam=0.5, k=2.0, rate_x=1.0) == r"lam = $0.5$, $k = 2$, rate_x = $1$"
    assert plotting.parameters(nu=0.5) == r"$\nu = 0.5$"  # negative control: a known name keeps its symbol


def test_fit_labels_keep_significant_digits():
    assert plotting.with_error(4.347, 0.063) == "4.347(63)"
    assert plotting.with_error(0.69312, 0.0060) == "0.6931(60)"
    assert plotting.with_error(123.4, 12.0) == "123(12)"
    fit = {"w_inf": 0.05, "w_inf_err": 0.02, "b": 3.4, "b_err": 0.2, "c": 0.0, "c_err": 0.0, "fit_order": 1,
           "fit_chi2": 2.0, "fit_chi2_dof": 1, "fit_p": 0.16}
    label = plotting.fit_label(fit)
    assert "3.40(20)/\\tau" in label and "C" not in label and "p = 0.16" in label  # B = 3.4 is not "3"
    assert "/\\tau^2" in plotting.fit_label({**fit, "fit_order": 2, "c": 12.0, "c_err": 3.0})


def test_fit_labels_sign_their_terms_and_say_when_the_form_is_untested():
    fit = {"w_inf": 0.05, "w_inf_err": 0.038, "b": -0.5, "b_err": 1.7, "c": 0.0, "c_err": 0.0, "fit_order": 1,
           "fit_chi2": 0.0, "fit_chi2_dof": 0, "fit_p": 1.0}
    label = plotting.fit_label(fit)
    assert "- 0.5(17)/\\tau" in label and "+ -" not in label and "no test of its form" in label
