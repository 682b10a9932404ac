"""The pinned environment: pyproject.toml's lower bounds, requirements.lock's exact versions (with
hashes) and environment.yml's pins agree, and the lock is the documented command's output."""

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from helpers import tagged_block
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
LOCK_LINE = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^\s;\\]+)(?: ; (?P<marker>[^\\]+?))? \\$", re.M)


def direct_requirements(pyproject):
    """The Requirements of the package and of its test extras (which name other extras of it)."""
    project = pyproject["project"]
    requirements, extras, seen = [Requirement(text) for text in project["dependencies"]], ["test"], set()
    while extras:
        extra = extras.pop()
        seen.add(extra)
        for requirement in map(Requirement, project["optional-dependencies"][extra]):
            if canonicalize_name(requirement.name) == canonicalize_name(project["name"]):
                extras += sorted(requirement.extras - seen)
            else:
                requirements.append(requirement)
    return requirements


def lock_pins(text):
    """name -> (version, marker) of every requirement in a requirements.lock text; every one has a hash."""
    blocks = re.split(r"\n(?=\S)", text)
    pins = {}
    for block in filter(None, (block for block in blocks if not block.startswith("#"))):
        match = LOCK_LINE.match(block)
        assert match and "--hash=sha256:" in block, f"requirements.lock: not a pinned, hashed requirement: {block[:80]}"
        pins[canonicalize_name(match["name"])] = (match["version"], match["marker"])
    return pins


def environment_pins(environment):
    """name -> the spec after the name of every dependency in environment.yml."""
    specs = {}
    for line in environment["dependencies"]:
        name, spec = re.match(r"([A-Za-z0-9_.-]+)(.*)", line).groups()
        specs[canonicalize_name(name)] = spec
    return specs


def disagreements(pyproject, lock_text, environment):
    """One line per place where pyproject.toml, requirements.lock and environment.yml disagree."""
    lock, env = lock_pins(lock_text), environment_pins(environment)
    python = pyproject["project"]["requires-python"]
    problems = [] if env.pop("python", None) == python else [f"environment.yml: python must be {python}"]
    direct = {canonicalize_name(requirement.name): requirement for requirement in direct_requirements(pyproject)}
    for name, requirement in direct.items():
        if name not in lock:
            problems.append(f"{name}: in pyproject.toml, not in requirements.lock")
            continue
        version = lock[name][0]
        if not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{name}: requirements.lock has {version}, pyproject.toml asks {requirement.specifier}")
        if env.get(name) != f"=={version}":
            problems.append(f"{name}: environment.yml has {env.get(name)!r}, requirements.lock =={version}")
    problems += [f"{name}: in environment.yml, not a dependency in pyproject.toml"
                 for name in sorted(set(env) - set(direct))]
    (upper,) = (spec.version for spec in SpecifierSet(python) if spec.operator == "<")
    for name, (version, marker) in lock.items():
        if marker and "python" in marker and not marker.startswith(f"python_full_version < '{upper}'"):
            problems.append(f"{name}: requirements.lock has {version} only where {marker}: one version for every "
                            f"supported Python ({python}) expected")
    return problems


def project_files():
    return (tomllib.loads((REPO / "pyproject.toml").read_text()), (REPO / "requirements.lock").read_text(),
            yaml.safe_load((REPO / "environment.yml").read_text()))


def test_pyproject_lock_and_environment_agree():
    assert disagreements(*project_files()) == []


def with_project(pyproject, **changes):
    return {**pyproject, "project": {**pyproject["project"], **changes}}


def with_dependencies(environment, dependencies):
    return {**environment, "dependencies": dependencies}


@pytest.mark.parametrize("change, expected", [
    (lambda p, lock, env: (p, lock.replace("\nnumpy==2.4.6 ", "\nnumpy==1.20.0 "), env),
     "numpy: requirements.lock has 1.20.0"),
    (lambda p, lock, env: (p, lock.replace("\nnumpy==2.4.6 ; python_full_version < '3.14'",
                                           "\nnumpy==2.4.6 ; python_full_version < '3.12'"), env),
     "numpy: requirements.lock has 2.4.6 only where"),
    (lambda p, lock, env: (p, lock, with_dependencies(env, [d.replace("scipy==", "scipy==0.")
                                                           for d in env["dependencies"]])),
     "scipy: environment.yml has '==0."),
    (lambda p, lock, env: (p, lock, with_dependencies(env, env["dependencies"] + ["tqdm==4.0"])),
     "tqdm: in environment.yml"),
    (lambda p, lock, env: (with_project(p, **{"requires-python": ">=3.10,<3.14"}), lock, env),
     "environment.yml: python must be >=3.10,<3.14"),
    (lambda p, lock, env: (with_project(p, dependencies=p["project"]["dependencies"] + ["tqdm>=4"]), lock, env),
     "tqdm: in pyproject.toml, not in requirements.lock"),
])
def test_a_mismatched_copy_is_named(change, expected):
    """Negative controls: a pin changed in one file, a package in one file only."""
    problems = disagreements(*change(*project_files()))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_an_unhashed_lock_line_is_refused():
    _, lock, _ = project_files()
    with pytest.raises(AssertionError, match="not a pinned, hashed requirement: numpy==2.4.6"):
        lock_pins(re.sub(r"(\nnumpy==2\.4\.6[^\n]*) \\\n(    --hash[^\n]*\n)+", r"\1\n", lock))


def test_the_lock_is_the_documented_command_output():
    """requirements.lock's header is the one-line command docs/usage.md gives to regenerate it."""
    header = (REPO / "requirements.lock").read_text().splitlines()[1]
    assert header.startswith("#    uv pip compile ") and header.endswith(" -o requirements.lock")
    assert tagged_block(REPO / "docs/usage.md", "lock").endswith(" && .venv/bin/" + header.removeprefix("#    "))


def test_the_readme_commands_install_the_lock_then_the_package_without_dependencies():
    install = "python3 -m venv .venv && .venv/bin/pip install --require-hashes -r requirements.lock && " \
              ".venv/bin/pip install --no-deps -e . && "
    for tag in ("setup-pipeline", "setup-tests"):
        assert tagged_block(REPO / "README.md", tag).startswith(install)


def test_ci_tests_the_oldest_and_newest_supported_python():
    specifiers = SpecifierSet(tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"])
    supported = [f"3.{minor}" for minor in range(8, 20) if f"3.{minor}" in specifiers]
    workflow = yaml.safe_load((REPO / ".github/workflows/figures.yml").read_text())
    assert workflow["jobs"]["test"]["strategy"]["matrix"]["python-version"] == [supported[0], supported[-1]]
