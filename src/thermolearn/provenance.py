"""What a run was made with: the workflow's commit (and whether tracked files were edited since),
Python, the installed packages and the platform. Written beside the results
(results/<run>/provenance.yaml, with the effective config) and, as the commit, into every figure."""

import importlib.metadata
import platform
import subprocess
import sys


def git(directory, *args):
    """The output of ``git -C directory args``, or None outside a git checkout or without git."""
    try:
        done = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def commit(directory):
    """(commit hash, dirty) of the checkout at ``directory``: dirty when a tracked file differs from the
    commit (untracked files, e.g. a variant config, do not count); (None, None) outside a checkout."""
    head = git(directory, "rev-parse", "HEAD")
    if head is None:
        return None, None
    return head, bool(git(directory, "status", "--porcelain", "--untracked-files=no"))


def describe(directory):
    """One line for a figure's metadata: ``thermolearn <commit>``, with ``(dirty tree)`` when tracked files
    were edited, or ``thermolearn (not a git checkout)``. No date: the same commit draws the same bytes."""
    head, dirty = commit(directory)
    if head is None:
        return "thermolearn (not a git checkout)"
    return f"thermolearn {head}" + (" (dirty tree: uncommitted changes)" if dirty else "")


def record(config, directory):
    """The run's provenance: its name, the commit and dirty flag of the workflow at ``directory``, Python,
    the platform, every installed package's version and the effective ``config``."""
    head, dirty = commit(directory)
    packages = {dist.metadata["Name"]: dist.version for dist in importlib.metadata.distributions()}
    return {
        "run": config["run"],
        "commit": head,
        "dirty": dirty,
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "platform": f"{platform.platform()} ({platform.machine()})",
        "packages": dict(sorted(packages.items(), key=lambda item: item[0].lower())),
        "config": config,
    }
