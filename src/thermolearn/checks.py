"""The small checks of config values that a JSON schema cannot express, each failing with one line
that names the key. Imports nothing from the project, so every experiment's spec can use it."""

import math

GRID_TOLERANCE = 1e-12
"""Relative distance within which two values are one point of a grid (0.1 * 3 and 0.3)."""


class ConfigError(ValueError):
    """A config value is out of its allowed range; the message (one line) names the key."""


def require_increasing(values, key):
    """``values`` strictly increasing, no two within GRID_TOLERANCE of each other (one point, one job
    and one seed: 0.30000000000000004 and 0.3 would be two), else ConfigError naming ``key``."""
    if any(b <= a for a, b in zip(values, values[1:])):
        raise ConfigError(f"{key} must be strictly increasing, got {values}")
    for a, b in zip(values, values[1:]):
        if math.isclose(a, b, rel_tol=GRID_TOLERANCE):
            raise ConfigError(f"{key}: {a!r} and {b!r} are one point (within {GRID_TOLERANCE:g}, relative); "
                              "give it once")


def require_distinct(values, key):
    """No two of ``values`` (a grid in any order) within GRID_TOLERANCE of each other, else
    ConfigError naming ``key``: they would be one point run twice with different seeds."""
    ordered = sorted(values)
    for a, b in zip(ordered, ordered[1:]):
        if math.isclose(a, b, rel_tol=GRID_TOLERANCE):
            raise ConfigError(f"{key}: {a!r} and {b!r} are one point (within {GRID_TOLERANCE:g}, relative); "
                              "give it once")


def on_grid(value, grid, key, grid_key):
    """``value`` as the grid's own float of its point: a value within GRID_TOLERANCE of a point of
    ``grid`` (e.g. 0.1 * 3 written by a program, for 0.3) is that point, so it is one job, one seed
    and one row that figures select. A list is snapped value by value. ConfigError naming ``key`` if
    a value is on no point of ``grid`` (the config's ``grid_key``)."""
    if isinstance(value, list):
        return [on_grid(item, grid, key, grid_key) for item in value]
    for point in grid:
        if math.isclose(value, point, rel_tol=GRID_TOLERANCE):
            return value if value == point else point
    raise ConfigError(f"{key} = {value} is not in the grid {grid_key} = {grid}")
