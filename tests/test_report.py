"""The report's first page (thermolearn.report): the verdict's decision first, the provenance and the
effective config, every figure with its caption; a violated relation and a dirty tree are said."""

import pandas as pd
from docutils.core import publish_parts

from thermolearn import bounds, report

KEYS = pd.DataFrame({"nu": [0.5, 1.0]})
RECORD = {"run": "quick", "commit": "0123abcd", "dirty": False, "python": "CPython 3.11.2",
          "platform": "Linux (x86_64)", "packages": {"numpy": "2.4.0"}, "config": {"seed": 1, "run": "quick"}}


def verdict(lhs):
    """One inequality lhs <= 1 at two points, each lhs known to 0.01 with 99 degrees of freedom."""
    rows = bounds.relation(KEYS, "eta <= 1", lhs, 0.01, 1.0, 0.0, 99)
    return bounds.verdict({"batch": rows})


def html(rst):
    return publish_parts(rst, writer="html")["html_body"]


def test_the_page_leads_with_the_decision_then_the_provenance_and_every_figure_with_its_caption(tmp_path):
    image = tmp_path / "batch_eta.png"
    image.write_bytes(b"\x89PNG")
    figures = [("Model B", [str(image)], "**Model B, figure B1.** Efficiency.")]
    page = report.page("Intro.", RECORD, verdict([0.9, 0.95]), figures)
    assert page.index("**Every relation holds.**") < page.index("0123abcd") < page.index("Model B, figure B1.")
    assert page.index(".. image:: data:image/png;base64,\n   iVBORw==") < page.index("Model B, figure B1.")
    assert f'<img alt="{image}" src="data:image/png;base64,iVBORw=="' in html(page)
    assert "dirty" not in page.split("0123abcd")[1].splitlines()[0]
    assert "  holds" not in page and "<td>holds</td>" in page  # the verdict as an HTML table, not as text
    assert "   seed: 1" in page and "numpy==2.4.0" in page


def test_a_violated_relation_and_a_dirty_tree_are_said_on_the_page():
    """The negative controls: lhs = 1.5 +- 0.01 violates eta <= 1; tracked files edited since the commit."""
    page = report.page("Intro.", RECORD | {"dirty": True}, verdict([0.9, 1.5]), [])
    assert "**1 relation(s) violated: batch: eta <= 1**" in page and "Every relation holds." not in page
    assert "``0123abcd`` (**dirty tree**" in page


def test_the_verdict_is_an_html_table_in_the_rendered_page():
    body = html(report.verdict_section(verdict([0.9, 0.95])))
    assert "<strong>Every relation holds.</strong>" in body
    assert "<table" in body and "<td>eta &lt;= 1</td>" in body and "<td>holds</td>" in body


def test_html_tables_keep_six_significant_digits():
    table = report.html_table(pd.DataFrame({"eta": [0.123456789], "note": [float("nan")]}))
    assert "<td>0.123457</td>" in table and "<td></td>" in table
