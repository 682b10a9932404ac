"""The docs cite only names that exist: every ``thermolearn.<dotted.name>`` in README.md, config/README.md
and docs/*.md resolves (the longest importable module prefix, then attributes)."""

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", REPO / "config/README.md", *sorted((REPO / "docs").glob("*.md"))]
NAME = re.compile(r"\bthermolearn(?:\.[A-Za-z_]\w*)+")


def cited_names():
    """{name: the files (relative to the repository) that cite it}."""
    names = {}
    for path in DOCS:
        for name in NAME.findall(path.read_text()):
            names.setdefault(name, []).append(str(path.relative_to(REPO)))
    return {name: sorted(set(files)) for name, files in sorted(names.items())}


CITED = cited_names()


def resolve(name):
    """The object ``name`` names: its longest importable module prefix, then getattr for the rest.
    A module that exists but fails to import raises its own error."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        module_name = ".".join(parts[:end])
        try:
            found = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name is not None and module_name.startswith(error.name) and error.name.startswith("thermolearn"):
                continue
            raise
        for attribute in parts[end:]:
            found = getattr(found, attribute)
        return found
    raise ModuleNotFoundError(name)


def test_the_docs_cite_names():
    assert "thermolearn.statistics.interval" in CITED


@pytest.mark.parametrize("name", CITED)
def test_every_cited_thermolearn_name_resolves(name):
    try:
        resolve(name)
    except (ImportError, AttributeError) as error:
        pytest.fail(f"{name}, cited in {', '.join(CITED[name])}, does not resolve: {type(error).__name__}: {error}")
