"""The configuration: strict loading, schema validation with defaults, and the checks a JSON
schema cannot express (increasing grids, figure points on their grid, stable time steps, the
memory and time of every experiment's jobs).

A variant lists only what it changes: Snakemake merges it over ``config/config.yaml``
(``configfile:`` in the Snakefile, ``--configfile`` on the command line), and the run prints the
keys whose effective value differs from the default.
"""

import contextlib
import copy
import json
import math
import re
import sys
from pathlib import Path

import jsonschema
import numpy as np
import yaml

from thermolearn.checks import ConfigError
from thermolearn.experiments import REGISTRY
from thermolearn.resources import check_resources

REPO = Path(__file__).resolve().parents[2]
DEFAULT = REPO / "config" / "config.yaml"
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT_RUN = "default"


MAX_NODES = 100_000
"""The most values (mappings, lists and scalars, each alias counted as what it stands for) a config
file may expand to: a few hundred bytes of nested YAML aliases (an "alias bomb") expand to billions,
which every pass over the config (merge, schema, checks) would walk."""

BOOLEAN = "tag:yaml.org,2002:bool"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (PyYAML keeps the last) and a key
    that YAML 1.1 reads as a boolean (on, off, yes, no, true, false: no config key is one), naming it
    as written."""

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == BOOLEAN:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key_node.value!r} reads as the boolean "
                    f"{self.construct_object(key_node)} (YAML 1.1); no config key is one: quote it or remove it",
                    key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicated key {key!r} (first on line {seen[key] + 1})", key_node.start_mark
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def expanded_size(node, sizes=None, limit=MAX_NODES):
    """The number of values ``node`` stands for with every alias expanded, counted once per node
    (so a shared node costs nothing to count again) and stopped above ``limit``."""
    sizes = {} if sizes is None else sizes
    if id(node) in sizes:
        return sizes[id(node)]
    size = 1
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    else:
        children = []
    for child in children:
        size += expanded_size(child, sizes, limit)
        if size > limit:
            break
    sizes[id(node)] = size
    return size


def _json_pairs(pairs):
    """A JSON object as a dict, refusing a key given twice (as the YAML loader does)."""
    data = {}
    for key, value in pairs:
        if key in data:
            raise ConfigError(f"duplicated key {key!r}")
        data[key] = value
    return data


def _parse(path, text):
    """The document of a config file: JSON first, as Snakemake reads it (so a JSON file indented
    with tabs, which YAML refuses, is read), else strict YAML (``_StrictLoader``) expanded to at
    most MAX_NODES values."""
    try:
        return json.loads(text, object_pairs_hook=_json_pairs)
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None
    except ValueError:
        pass
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and expanded_size(node) > MAX_NODES:
            raise ConfigError(f"{path}: expands to more than {MAX_NODES} values (YAML aliases: *name repeats "
                              "&name); a config is a few hundred")
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def load(path):
    """The mapping in one config file (JSON or YAML); ConfigError naming the file, line and column of
    a syntax error or a duplicated key, or the missing or unreadable file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.object[error.start:error.end]!r} at offset "
                          f"{error.start})") from None
    try:
        data = _parse(path, text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problem = error.problem + (f" ({error.context})" if error.context else "")
        raise ConfigError(f"{path}, line {mark.line + 1}, column {mark.column + 1}: {problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not YAML ({' '.join(str(error).split())})") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config file is a mapping of keys to values, got {type(data).__name__}")
    return data


def merge(default, variant):
    """Deep merge: the variant's values over the default's, section by section (as Snakemake's
    ``configfile:`` and ``--configfile``)."""
    merged = copy.deepcopy(default)
    for key, value in variant.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _leaves(config, prefix=""):
    """(dotted key, value) of every non-mapping value."""
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _numbers(config, prefix=""):
    """(dotted key, value) of every value, into lists of mappings too (``training.scans.0.D``)."""
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _numbers(value, f"{prefix}{key}.")
        elif isinstance(value, list) and any(isinstance(item, dict) for item in value):
            for place, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _numbers(item, f"{prefix}{key}.{place}.")
        else:
            yield f"{prefix}{key}", value


def differences(config, default):
    """One line per key whose value differs from the default's: ``key = value (default d)``."""
    default_values = dict(_leaves(default))
    return [
        f"{key} = {value} (default {default_values.get(key, 'none')})"
        for key, value in _leaves(config)
        if key not in default_values or default_values[key] != value
    ]


def check_finite(config):
    """Every number is finite (the schema's ranges let NaN through and YAML writes .nan, .inf) and an
    integer is within the float range (every check and job computes with floats)."""
    for key, value in _numbers(config):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, float) and not math.isfinite(item):
                raise ConfigError(f"{key}: {value} is not finite (allowed: finite numbers)")
            if isinstance(item, int) and not isinstance(item, bool) and abs(item) > sys.float_info.max:
                raise ConfigError(f"{key}: an integer of {len(str(abs(item)))} digits is beyond the float range "
                                  f"(allowed: at most {sys.float_info.max:.3g} in size)")


def _validator(schema):
    """The schema's validator, with integers that are ints (not 40.0) and defaults filled in
    (the jsonschema FAQ's extension of ``properties``)."""
    base = jsonschema.validators.validator_for(schema)
    validate_properties = base.VALIDATORS["properties"]

    def properties_with_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, entry in properties.items():
                if "default" in entry:
                    instance.setdefault(name, entry["default"])
        yield from validate_properties(validator, properties, instance, schema)

    type_checker = base.TYPE_CHECKER.redefine(
        "integer", lambda checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    extended = jsonschema.validators.extend(base, {"properties": properties_with_defaults}, type_checker=type_checker)
    return extended(schema)


def check_schema(config):
    """Types, ranges and unknown keys against workflow/schemas/config.schema.yaml; fills in
    defaults. ConfigError with the key, the value and the allowed range."""
    schema = yaml.safe_load(SCHEMA.read_text())
    error = jsonschema.exceptions.best_match(_validator(schema).iter_errors(config))
    if error is None:
        return
    key = ".".join(str(part) for part in error.absolute_path) or "config"
    allowed = ", ".join(
        f"{name} {error.schema[name]}"
        for name in ("type", "minimum", "exclusiveMinimum", "maximum", "enum", "minItems")
        if isinstance(error.schema, dict) and name in error.schema and error.schema.get("type") != "object"
    )
    hint = ""
    if isinstance(error.instance, str) and _is_exponent_number(error.instance):
        hint = f"; YAML reads {error.instance} as text: write a number with a dot and a signed exponent, e.g. 1.0e-3"
    raise ConfigError(f"{key}: {error.message}" + (f" (allowed: {allowed})" if allowed else "") + hint)


def _is_exponent_number(text):
    """Whether ``text`` is a number in exponent form, which YAML 1.1 reads as a string unless it
    has a dot and a signed exponent (1e-3 and 1.0e3 are strings, 1.0e-3 and 1.0e+3 numbers)."""
    try:
        float(text)
    except ValueError:
        return False
    return "e" in text.lower()


def validate(config):
    """Check a merged config in place (defaults filled in); ConfigError naming the first bad key,
    its value and the allowed range."""
    check_finite(config)
    check_schema(config)
    for name, spec in REGISTRY.items():
        with computable(name):
            spec.check_config(config[name])
    with computable("the resource model (max_job_mem_mb, max_job_hours and each experiment's work)"):
        check_resources(config)
    return config


@contextlib.contextmanager
def computable(what):
    """Turn an overflow, a division by zero or an invalid value met while checking ``what`` (a config
    section) into one ConfigError naming it, instead of a traceback (numpy's included, which would
    otherwise print a warning and go on)."""
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            yield
    except ConfigError:
        raise
    except (ArithmeticError, FloatingPointError, ValueError, TypeError) as error:
        detail = " ".join(str(error).split())
        raise ConfigError(f"{what}: a value is beyond what its checks can compute ({type(error).__name__}: "
                          f"{detail}); see its allowed range in config/README.md") from None


def read_scalar(text):
    """A value Snakemake's ``--config`` passed as text, as YAML reads a scalar (``60`` the integer,
    ``2.0`` and ``1e-3`` numbers, ``true`` a boolean, ``null`` None); text that is none of these
    stays text."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, str):
        try:
            return float(text)  # 1e-3, which YAML 1.1 reads as text
        except ValueError:
            return text
    return text if isinstance(value, dict | list) else value


def overrides_as_yaml(overrides, nested=False):
    """Snakemake's ``--config`` values with the text inside mappings and lists (Snakemake reads
    ``batch={N: 60}`` with YAML's BaseLoader: every value a string) read as YAML scalars."""
    if isinstance(overrides, dict):
        return {key: overrides_as_yaml(value, True) for key, value in overrides.items()}
    if isinstance(overrides, list):
        return [overrides_as_yaml(value, True) for value in overrides]
    return read_scalar(overrides) if nested and isinstance(overrides, str) else overrides


def apply_overrides(config, overrides):
    """Write ``overrides`` over ``config`` in place, key by key (as Snakemake merges ``--config``)."""
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            apply_overrides(config[key], value)
        else:
            config[key] = value


def validate_or_exit(config, variants, main_process=True, overrides=None):
    """The Snakefile's entry: refuse a duplicated key or a syntax error in the ``variants``
    (``--configfile`` files, read again strictly), read the ``--config`` ``overrides``' nested text
    as YAML scalars, validate the merged ``config``, set its ``run`` (:func:`run_name`), and print one
    line per key that differs from config/config.yaml. A ConfigError exits with its one line."""
    try:
        default = validate(load(DEFAULT))
        for path in variants:
            load(path)
        apply_overrides(config, overrides_as_yaml(overrides or {}))
        validate(config)
        changed = differences(config, default)
        config["run"] = run_name(config, variants)
    except ConfigError as error:
        sys.exit(str(error))
    if main_process:
        for line in changed:
            print(f"config: {line}", file=sys.stderr)


def run_name(config, variants):
    """The run's name: the config's ``run`` if set, else the stem of the last ``--configfile`` (the
    ``variants``; ``my.yaml`` -> ``my``), else ``default``. ConfigError if a stem is not a valid name."""
    if config.get("run"):
        return config["run"]
    stems = [Path(path).stem for path in variants if Path(path).resolve() != DEFAULT]
    name = stems[-1] if stems else DEFAULT_RUN
    pattern = yaml.safe_load(SCHEMA.read_text())["properties"]["run"]["pattern"]
    if not re.fullmatch(pattern, name):
        raise ConfigError(f"run: {name!r} (the stem of {variants[-1]}) is not a run name ({pattern}); "
                          "rename the file or give --config run=NAME")
    return name


def results_dir(run):
    """Where a run writes every output: results/<run>/ (so a variant never overwrites another run)."""
    return f"results/{run}"


KEYS_START = ("<!-- keys: generated from workflow/schemas/config.schema.yaml by python -m thermolearn.config "
              "--document -->")
KEYS_END = "<!-- end of keys -->"
README = REPO / "config" / "README.md"


def _allowed(entry):
    """The range column of a key's row: bounds, choices and list lengths from its schema entry."""
    bounds = [f"{symbol} {entry[name]}" for name, symbol in (("minimum", "≥"), ("exclusiveMinimum", ">"),
                                                              ("maximum", "≤"), ("exclusiveMaximum", "<"))
              if name in entry]
    if "enum" in entry:
        bounds.append("one of " + ", ".join(map(str, entry["enum"])))
    if "pattern" in entry:
        bounds.append(f"matches `{entry['pattern']}`")
    if entry.get("type") != "array":
        return ", ".join(bounds) or "any"
    items = _allowed(entry.get("items", {}))
    return f"each {items}" + (f"; at least {entry['minItems']}" if "minItems" in entry else "")


def _kind(entry):
    """The type column: the JSON type, ``list of <items>`` for arrays."""
    def kinds(types):
        return " or ".join(types) if isinstance(types, list) else types

    if entry.get("type") != "array":
        return kinds(entry["type"])
    return "list of " + kinds(entry.get("items", {}).get("type", "any"))


def _rows(properties, default, prefix=""):
    """One table row per key (objects expanded): key, type, allowed, default, meaning."""
    for name, entry in properties.items():
        key = f"{prefix}{name}"
        if entry.get("type") == "object" and "properties" in entry:
            yield from _rows(entry["properties"], (default or {}).get(name, {}), f"{key}.")
            continue
        if "default" in entry:
            value = str(entry["default"])
        else:
            value = f"config.yaml ({default[name]})" if name in (default or {}) else "see meaning"
        yield f"| `{key}` | {_kind(entry)} | {_allowed(entry)} | {value} | {entry.get('description', '')} |"


def key_tables(schema=None, default=None):
    """The key tables of config/README.md, from the schema (types, ranges, defaults, meanings) and
    config/config.yaml (the values of keys without a schema default): one table per section."""
    schema = schema or yaml.safe_load(SCHEMA.read_text())
    default = default or load(DEFAULT)
    header = ["| key | type | allowed | default | meaning |", "|---|---|---|---|---|"]
    top = {name: entry for name, entry in schema["properties"].items() if entry.get("type") != "object"}
    blocks = ["## Top level", "", *header, *_rows(top, default)]
    for name, entry in schema["properties"].items():
        if entry.get("type") == "object":
            blocks += ["", f"## `{name}`: {entry.get('description', '').strip()}", "", *header,
                       *_rows(entry["properties"], default.get(name, {}), f"{name}.")]
    return "\n".join(blocks)


def document(path=README):
    """config/README.md with its key tables (between KEYS_START and KEYS_END) made anew from the schema."""
    text = Path(path).read_text()
    head, rest = text.split(KEYS_START, 1)
    _, tail = rest.split(KEYS_END, 1)
    return f"{head}{KEYS_START}\n\n{key_tables()}\n\n{KEYS_END}{tail}"


def main(argv=None):
    """``python -m thermolearn.config [VARIANT.yaml ...]``: the variants merged over the default and
    checked as a run would, without Snakemake (which reads ``--configfile`` before the workflow and
    reports a YAML syntax error without its line); ``--document`` rewrites config/README.md's key
    tables from the schema."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m thermolearn.config",
                                     description="Check config variants merged over config/config.yaml as a run would.")
    parser.add_argument("variants", nargs="*", help="config files merged over config/config.yaml, in order")
    parser.add_argument("--document", action="store_true", help="rewrite config/README.md's key tables")
    args = parser.parse_args(argv)
    if args.document:
        README.write_text(document())
        print(f"{README}: key tables written from {SCHEMA}", file=sys.stderr)
        return
    try:
        config = load(DEFAULT)
        for path in args.variants:
            config = merge(config, load(path))
    except ConfigError as error:
        sys.exit(str(error))
    validate_or_exit(config, [])
    print(f"{', '.join(args.variants) or DEFAULT}: valid", file=sys.stderr)


if __name__ == "__main__":
    main()
