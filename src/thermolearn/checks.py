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


def _on_grid(value, grid):
    """The grid's own float of the point within GRID_TOLERANCE of ``value`` (0.1 * 3 written by a program
    is the grid's 0.3: one job, one seed, one row that figures select), or None."""
    for point in grid:
        if math.isclose(value, point, rel_tol=GRID_TOLERANCE):
            return point
    return None


def select_on_grids(section, name, selections):
    """Snap, in place, every key of ``section`` (the config section ``name``) that selects points of a
    grid of the section onto it: ``selections`` maps each grid key to the keys (dotted below the
    section) that pick values or lists of values from it. ConfigError in one line listing every value
    on no point of its grid and the keys that change together with that grid."""
    problems = []
    for grid_key, keys in selections.items():
        grid, off = section[grid_key], []
        for key in keys:
            *parents, last = key.split(".")
            where = section
            for part in parents:
                where = where[part]
            values = where[last] if isinstance(where[last], list) else [where[last]]
            snapped = [_on_grid(value, grid) for value in values]
            outside = [str(value) for value, point in zip(values, snapped) if point is None]
            if outside:
                off.append(f"{name}.{key} ({', '.join(outside)})")
            else:
                where[last] = snapped if isinstance(where[last], list) else snapped[0]
        if off:
            together = ", ".join(f"{name}.{key}" for key in [grid_key, *keys])
            problems.append(f"{' and '.join(off)}: not in the grid {name}.{grid_key} = {grid}; "
                            f"these keys change together: {together}")
    if problems:
        raise ConfigError(". ".join(problems))
