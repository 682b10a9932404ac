"""Intervals, excursions and the family-wise correction, against known quantiles and by simulation."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from thermolearn import bounds, replicates, statistics, tables


def test_interval_is_the_t_quantile_times_the_error():
    assert statistics.interval(1.0, 4, level=0.95) == pytest.approx(2.776445, rel=1e-6)
    assert statistics.interval(2.0, 4) == pytest.approx(2.0 * 1.141655, rel=1e-5)
    assert statistics.interval(1.0, np.inf, level=0.95) == pytest.approx(1.959964, rel=1e-6)


def test_interval_of_a_jackknife_with_few_groups_covers_at_its_level():
    """Means of 5 groups of normal data: the t_4 interval covers the truth at 95%, the normal one
    (1.96 SE) does not."""
    rng = np.random.default_rng(1)
    groups = rng.normal(size=(20000, 5))
    mean = groups.mean(axis=1)
    err = groups.std(axis=1, ddof=1) / np.sqrt(5)
    t_covered = np.abs(mean) <= statistics.interval(err, 4, level=0.95)
    normal_covered = np.abs(mean) <= 1.96 * err
    se = np.sqrt(0.95 * 0.05 / len(mean))
    assert abs(t_covered.mean() - 0.95) < 4 * se
    assert normal_covered.mean() < 0.95 - 4 * se  # negative control: the normal quantile undercovers


def test_excursion_is_one_sided_for_an_inequality_and_two_sided_for_an_equality():
    z, p = statistics.excursion(1.3, 0.1, 1.0, 0.0, dof=9)
    assert z == pytest.approx(3.0) and p == pytest.approx(stats.t.sf(3.0, 9))
    z, p = statistics.excursion(0.7, 0.06, 1.0, 0.08, dof=9, equality=True)
    assert z == pytest.approx(-3.0) and p == pytest.approx(2 * stats.t.sf(3.0, 9))
    assert statistics.excursion(0.7, 0.1, 1.0, 0.0, dof=9)[1] > 0.99  # deep inside an inequality


def test_combined_dof_is_the_smallest_among_sides_with_an_error():
    assert statistics.combined_dof((0.1, 49), (0.2, 9)) == 9
    assert statistics.combined_dof((0.1, 49), (0.0, 1)) == 49
    assert np.isinf(statistics.combined_dof((0.0, 3), (0.0, 4)))
    assert list(statistics.combined_dof((np.array([0.1, 0.0]), 4), (0.2, 9))) == [4, 9]


def test_holm_matches_the_textbook_example():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert statistics.holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert statistics.holm([0.5, 0.9])[1] == 1.0


def rows(z, dof, equality=False):
    """Bound rows with lhs - rhs = z standard errors (rhs = 0, SE = 1)."""
    z = np.atleast_1d(z).astype(float)
    return bounds.relation(pd.DataFrame({"point": np.arange(z.size)}), "relation", z, 1.0, 0.0, 0.0, dof, equality)


def test_a_few_groups_make_a_large_excursion_ordinary():
    """Issue 13: 4.6 SE with 5 jackknife groups (t_4) is not significant among 10 rows; with 50
    groups it is."""
    few = rows(np.r_[4.6, np.zeros(9)], dof=4, equality=True)
    many = rows(np.r_[4.6, np.zeros(9)], dof=49, equality=True)
    assert bounds.verdict({"online": few})["verdict"].item() == "holds"
    assert bounds.verdict({"online": many})["verdict"].item() == "violated"


def test_holm_controls_the_family_wise_error_of_correlated_rows():
    """20 rows sharing most of one t_9 excursion (strongly correlated), 4000 correct runs at level
    0.05: at most 5% reject any row (within 4 SE of the rate); shifted by 6 SE, about 97.7% do, the
    power of one row, as the rows move together."""
    rng = np.random.default_rng(2)
    level, runs, dof = 0.05, 4000, 9
    shared = stats.t.rvs(dof, size=(runs, 1), random_state=rng) + 0.1 * rng.standard_normal((runs, 20))

    def rejected(z):
        p = statistics.excursion(z, 1.0, 0.0, 0.0, dof)[1]
        return np.array([statistics.holm(row).min() <= level for row in p])

    assert rejected(shared).mean() <= level + 4 * np.sqrt(level * (1 - level) / runs)
    power = stats.t.sf(stats.t.isf(level / 20, dof) - 6.0, dof)
    assert abs(rejected(shared + 6.0).mean() - power) < 4 * np.sqrt(power * (1 - power) / runs)


def test_verdict_has_one_row_per_relation_with_the_worst_point():
    table = pd.concat([rows([0.5, -1.0, 2.0], dof=9), rows([1.0], dof=9).assign(relation="other")])
    verdict = bounds.verdict({"exp": table})
    assert list(verdict.columns) == bounds.VERDICT_COLUMNS
    assert list(verdict["rows"]) == [3, 1]
    assert verdict.loc[0, "worst_at"] == "point=2" and verdict.loc[0, "worst_z"] == 2.0
    assert verdict.loc[0, "holm_p"] == pytest.approx(4 * stats.t.sf(2.0, 9))
    assert "Every relation holds." in bounds.report(verdict)
    assert "1 relation(s) violated: exp: relation" in bounds.report(bounds.verdict({"exp": table}, level=0.5))


def test_a_bounds_or_verdict_table_cut_short_is_refused_naming_the_file(tmp_path):
    rows = bounds.relation(pd.DataFrame({"t": [1.0, 2.0, 3.0]}), "relation", [0.1, 0.2, 0.3], 0.1, 1.0, 0.1, 9)
    path = tmp_path / "exp.csv"
    tables.write_csv(bounds.with_table_rows(rows), path)
    assert len(bounds.read_table(path, bounds.ROW_COLUMNS)) == 3
    path.write_text("".join(path.read_text().splitlines(keepends=True)[:3]))  # header and two of three rows
    with pytest.raises(ValueError, match=f"{path}: expected 3 rows"):
        bounds.read_table(path, bounds.ROW_COLUMNS)


def test_the_verdict_lists_every_relation_untested_ones_included_and_refuses_unknown_ones():
    rows = bounds.relation(pd.DataFrame({"t": [1.0]}), "a <= b", 0.0, 0.1, 1.0, 0.1, 9)
    verdict = bounds.verdict({"exp": rows}, {"exp": ["a <= b", "c = d"]})
    expected = [["a <= b", 1, "holds"], ["c = d", 0, "untested"]]
    assert verdict[["relation", "rows", "verdict"]].values.tolist() == expected
    assert "1 relation(s) untested" in bounds.report(verdict)
    with pytest.raises(ValueError, match="not in its RELATIONS"):
        bounds.verdict({"exp": rows}, {"exp": ["c = d"]})


def test_nan_rows_are_never_holds_they_are_untested_with_their_reason_and_stay_out_of_holm(tmp_path):
    keys = pd.DataFrame({"t": [1.0, 2.0, 3.0]})
    nan_only = bounds.relation(keys, "nan only", np.nan, 0.1, 1.0, 0.1, 9)
    mixed = bounds.relation(keys, "mixed", [0.0, np.nan, 30.0], 0.1, 1.0, 0.1, 9, untested=["", "", "Qdot_y <= 0"])
    assert nan_only["note"].eq(bounds.NAN_REASON).all() and nan_only["p"].isna().all()
    assert mixed["note"].tolist() == ["", bounds.NAN_REASON, "Qdot_y <= 0"]
    assert mixed["p"].isna().tolist() == [False, True, True]
    path = tmp_path / "exp.csv"
    tables.write_csv(bounds.with_table_rows(pd.concat([nan_only, mixed], ignore_index=True)), path)
    verdict = bounds.verdict({"exp": bounds.read_table(path, bounds.ROW_COLUMNS)})
    assert list(verdict.columns) == bounds.VERDICT_COLUMNS
    nan_row, mixed_row = verdict.iloc[0], verdict.iloc[1]
    assert nan_row["verdict"] == "untested" and nan_row["rows"] == 0 and nan_row["untested_rows"] == 3
    assert bounds.NAN_REASON in nan_row["note"]
    assert mixed_row["verdict"] == "holds" and mixed_row["rows"] == 1 and mixed_row["untested_rows"] == 2
    assert "1 untested: Qdot_y <= 0" in mixed_row["note"]
    assert mixed_row["holm_p"] == pytest.approx(mixed.loc[0, "p"])  # a family of the one tested row
    assert "Qdot_y <= 0" in bounds.report(verdict)
    # negative control: the excluded row (30 +- 0.14 against 1) would have made the relation violated
    tested = bounds.relation(keys, "mixed", [0.0, 0.0, 30.0], 0.1, 1.0, 0.1, 9)
    assert bounds.verdict({"exp": tested})["verdict"].item() == "violated"


def test_the_verdict_names_a_few_reasons_and_counts_the_rest():
    """Reasons that quote their row's values (bounds.denominator_untested) differ on every row: the verdict names
    NOTE_REASONS of them and counts the other rows, whose reasons stay in the bounds table."""
    keys = pd.DataFrame({"nu": np.arange(20.0)})
    reasons = bounds.denominator_untested("cost", np.linspace(-0.01, 0.01, 20), np.full(20, 0.01))
    rows = bounds.relation(keys, "eta <= 1", 0.5, 0.1, 1.0, 0.0, 9, untested=reasons)
    note = bounds.verdict({"exp": rows})["note"].item()
    assert note.count("1 untested: cost = ") == bounds.NOTE_REASONS
    assert note.endswith(f"; {20 - bounds.NOTE_REASONS} more untested, each row's reason in its bounds table")
    few = bounds.verdict({"exp": rows.iloc[:2]})["note"].item()  # negative control: two reasons, both named
    assert few.count("1 untested: cost = ") == 2 and "more untested" not in few


def test_leave_one_group_out_means_and_variances_are_those_of_the_masked_rows():
    rng = np.random.default_rng(3)
    trial = np.repeat(np.arange(60), 7)  # 60 trials of 7 rows, 13 groups of unequal size
    values = rng.normal(2.0, 0.5, trial.size)
    group = replicates.groups_of(trial, 13)
    masked = [(values[mask].mean(), values[mask].var()) for _, mask in replicates.masks(trial, 13)]
    np.testing.assert_allclose(replicates.means(values, group, 13), [m for m, _ in masked], rtol=1e-13)
    np.testing.assert_allclose(replicates.variances(values, group, 13), [v for _, v in masked], rtol=1e-12)


def test_exact_sides_give_zero_where_equal_and_infinity_where_not():
    """0/0 is no excursion: a relation that holds with equality and no error (W = 0 at g = 0) has z = 0."""
    z, p = statistics.excursion([0.0, 0.0, 1.0], 0.0, [0.0, 1.0, 0.0], 0.0, 39)
    assert list(z) == [0.0, -np.inf, np.inf] and list(p) == [0.5, 1.0, 0.0]
    z, p = statistics.excursion([1.0], 0.0, [1.0], 0.0, 39, equality=True)
    assert z[0] == 0.0 and p[0] == 1.0
