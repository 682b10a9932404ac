"""The small checks of config values that a JSON schema cannot express, each failing with one line
that names the key. Imports nothing from the project, so every experiment's spec can use it."""

import math


class ConfigError(ValueError):
    """A config value is out of its allowed range; the message (one line) names the key."""


def require_increasing(values, key):
    """``values`` strictly increasing, else ConfigError naming ``key``."""
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ConfigError(f"{key} must be strictly increasing, got {values}")


def in_grid(value, grid):
    """Whether ``value`` is a point of ``grid`` (to 1e-12, relative)."""
    return any(math.isclose(value, g, rel_tol=1e-12) for g in grid)
