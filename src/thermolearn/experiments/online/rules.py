"""Model C's learning rules F(h, sigma_T, *params): the shipped ones, and any function a user names
``module:function`` in the config or passes itself to the Python API (docs/science.md, Model C, "Add a
learning rule").

A rule is a plain Python function of the student's field h, the teacher's label sigma_T and its named
parameters, which numba compiles. The kernel and the quadrature theory take it with its parameters
bound, as a compiled C function F(h, sigma_T): one compiled kernel serves every rule. A user's rule is
known by its code too (``fingerprint``): editing the function reruns its points and recomputes its theory.
"""

import hashlib
import importlib
import inspect
import marshal
import math
import re
import time
from dataclasses import dataclass
from functools import cache

import numpy as np
from numba import cfunc, njit, types
from numba.core.dispatcher import Dispatcher
from numba.core.errors import NumbaError

from thermolearn.experiments.online.kernel import LARGEST


@njit(cache=True)
def hebbian(h, sigma_T):
    """F = 1."""
    return 1.0


@njit(cache=True)
def perceptron(h, sigma_T):
    """F = Theta(-sigma_T h): learn from mistakes only."""
    return 1.0 if sigma_T * h < 0.0 else 0.0


@njit(cache=True)
def adatron(h, sigma_T):
    """F = |h| Theta(-sigma_T h)."""
    return abs(h) if sigma_T * h < 0.0 else 0.0


@njit(cache=True)
def margin_perceptron(h, sigma_T, kappa):
    """F = Theta(kappa - sigma_T h): learn until the stability sigma_T h exceeds the margin kappa."""
    return 1.0 if sigma_T * h < kappa else 0.0


@njit(cache=True)
def logistic(h, sigma_T, beta):
    """F = 1 / (1 + exp(beta sigma_T h)), the descent of the logistic loss ln(1 + exp(-beta sigma_T h)) / beta:
    half the Hebbian rule at beta = 0, the Perceptron as beta -> infinity."""
    return 0.5 - 0.5 * math.tanh(0.5 * beta * sigma_T * h)


SHIPPED = {rule.__name__: rule for rule in (hebbian, perceptron, adatron, margin_perceptron, logistic)}
"""The rules a config names without a module (compiled and cached by numba, like a user's numba function)."""

JUMP_SCAN = np.concatenate([-np.geomspace(1e4, 10.0, 6909)[:-1], np.arange(-10000, 10001) / 1000.0,
                            np.geomspace(10.0, 1e4, 6909)[1:]])
"""The fields h on which ``jumps`` looks for jumps of F: steps of 1e-3 up to |h| = 10, of 0.1% up to 1e4."""

PROBE_FIELDS = np.concatenate([-np.geomspace(1e6, 1e4, 201)[:-1], JUMP_SCAN, np.geomspace(1e4, 1e6, 201)[1:]])
PROBE_FIELDS = PROBE_FIELDS[np.argsort(np.abs(PROBE_FIELDS), kind="stable")]
"""The fields h, from 0 outwards, on which ``check`` evaluates a rule at sigma_T = -1 and +1 (so a
refusal names the failing field nearest 0): JUMP_SCAN (which the theory's
quadrature scans too; steps of 1e-3 up to |h| = 10, with 0 and every multiple of 1e-3 exact, of 0.1% up to
1e4) and beyond it, in steps of 2.3%, to |h| = 1e6: far beyond the fields of any run (the quadrature's reach
is 12 sqrt(q); h is w.xi/sqrt(N), of order sqrt(q)). Between and beyond them the kernel checks every value
it uses (``kernel.LARGEST``)."""

class RuleError(ValueError):
    """A configured rule cannot be used; the message (one line) names the rule."""


NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""A rule's name: it is a path piece, a table value and a legend label."""


def spec(entry):
    """The mapping name, function, params (sorted by name) of a config entry: a string is a shipped
    rule's name, a function (Python API) is itself named by its name, a mapping's function defaults to
    its name and its params to none; a ``code`` key (``tracked``) is left out, it is recomputed. The same
    rule gives the same mapping however the config writes it, so job params change only with the rule.
    RuleError for a name unfit for paths, an unknown key, a function that is neither a string nor a
    function, or params that are not a mapping."""
    if isinstance(entry, str):
        entry = {"name": entry}
    elif callable(entry):
        entry = {"name": getattr(entry, "__name__", None), "function": entry}
    if not isinstance(entry, dict):
        raise RuleError(f"{entry!r} is neither a rule's name nor a mapping name, function, params")
    name = entry.get("name")
    if isinstance(name, bool):
        raise RuleError(f"rule {name!r}: YAML 1.1 reads on, off, yes, no, true and false as booleans: quote the name "
                        "(name: 'off')")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise RuleError(f"rule {name!r}: a name is letters, digits, _ and - from a letter (a user rule is a mapping "
                        "name, function: module:function, params)")
    for key in entry:
        if key not in ("name", "function", "params", "code"):
            raise RuleError(f"rule {name!r}: unknown key {key!r} (allowed: name, function, params)")
    function, params = entry.get("function", name), entry.get("params") or {}
    if not (isinstance(function, str) or callable(function)) or not isinstance(params, dict):
        raise RuleError(f"rule {name!r}: function is a string (or, from Python, a function) and params a mapping "
                        "of parameter names to numbers")
    return {"name": name, "function": function, "params": dict(sorted(params.items()))}


def tracked(entry):
    """``spec`` of a config entry with, for a user's rule, the ``code`` of its function (``fingerprint``):
    what its jobs take as params, so that editing the function reruns its points."""
    rule = resolve(entry)
    return {**spec(entry), "code": rule.code} if rule.code else spec(entry)


def _code_bytes(code):
    """The bytes of a code object that its behaviour depends on: its bytecode, constants (nested code
    objects likewise), names and variables; not its file, name or line numbers."""
    constants = tuple(_code_bytes(c) if inspect.iscode(c) else c for c in code.co_consts)
    return marshal.dumps((code.co_code, constants, code.co_names, code.co_varnames, code.co_freevars,
                          code.co_cellvars))


def fingerprint(function):
    """A hash of a user's rule function: of its compiled code (``_code_bytes``) and default values, so
    it changes when the function's code does and not when the function moves in its file. Functions and
    globals it calls are not part of it."""
    python = function.py_func if isinstance(function, Dispatcher) else function
    data = _code_bytes(python.__code__) + marshal.dumps(repr(python.__defaults__))
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Rule:
    """A configured rule: its name (the summary's ``rule`` column and the workflow's wildcard), its
    function (a shipped rule's name, ``module:function``, or from Python the function itself), its
    parameter values, in the function's order after (h, sigma_T), and for a user's rule the
    ``fingerprint`` of its function: every cache of the rule (compiled code, theory) is keyed by all four."""

    name: str
    function: object
    params: tuple = ()
    code: str = ""

    @property
    def values(self):
        """The parameter values, in the function's order."""
        return tuple(value for _, value in self.params)

    def __str__(self):
        values = "".join(f", {name} = {value:g}" for name, value in self.params)
        return f"rule {self.name!r} ({_label(self.function)}{values})"


def _label(function):
    """How a message names a rule's function: as the config writes it, a function object as module:name."""
    return function if isinstance(function, str) else f"{function.__module__}:{function.__qualname__}"


def _python_function(function, label):
    """The function a config names: a shipped rule, or ``module:function`` imported; a function given
    itself (Python API) as it is."""
    if isinstance(function, str) and ":" not in function:
        if function not in SHIPPED:
            raise RuleError(f"{label}: no shipped rule {function!r} (shipped: {', '.join(SHIPPED)}; "
                            "a user rule is module:function)")
        return SHIPPED[function]
    python = _imported(function, label) if isinstance(function, str) else function
    if not (inspect.isfunction(python) or isinstance(python, Dispatcher)):
        name = getattr(python, "__name__", "")
        raise RuleError(f"{label}: {type(python).__name__} {name!r} is not a Python function (a built-in or "
                        "a class is not a rule): write def F(h, sigma_T, ...) in a module of yours")
    return python


def _imported(function, label):
    """The attribute ``function`` of ``module:function``, its module imported."""
    module_name, _, attribute = function.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        raise RuleError(f"{label}: module {error.name!r} not found (is its folder on PYTHONPATH?)") from None
    except Exception as error:  # noqa: BLE001 - any failure of the user's module is reported in one line
        raise RuleError(f"{label}: importing module {module_name!r} failed: {type(error).__name__}: {error}") from None
    python = getattr(module, attribute, None)
    if not callable(python):
        raise RuleError(f"{label}: module {module_name!r} has no function {attribute!r}")
    return python


def _parameter_names(python, label):
    """The names after (h, sigma_T) of F(h, sigma_T, *params), all positional; the config gives each a value."""
    signature = inspect.signature(python.py_func if isinstance(python, Dispatcher) else python)
    arguments = list(signature.parameters.values())
    if len(arguments) < 2 or any(a.kind not in (a.POSITIONAL_ONLY, a.POSITIONAL_OR_KEYWORD) for a in arguments):
        raise RuleError(f"{label}: wrong signature {signature}: a rule is F(h, sigma_T) or F(h, sigma_T, p1, p2, ...) "
                        "with named parameters")
    return [a.name for a in arguments[2:]]


def resolve(entry):
    """The Rule of a config entry (or a Rule, as it is); RuleError if its function does not exist,
    its signature is not F(h, sigma_T, *params) or the params are not its parameters as numbers."""
    if isinstance(entry, Rule):
        return entry
    entry = spec(entry)
    name, function, given = entry["name"], entry["function"], entry["params"]
    label = f"rule {name!r} ({_label(function)})"
    python = _python_function(function, label)
    names = _parameter_names(python, label)
    form = f"F(h, sigma_T{''.join(', ' + p for p in names)})"
    for parameter in names:
        if parameter not in given:
            raise RuleError(f"{label}: parameter {parameter!r} missing, {form}")
    for parameter, value in given.items():
        if parameter not in names:
            raise RuleError(f"{label}: unknown parameter {parameter!r}, {form}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RuleError(f"{label}: parameter {parameter} = {value!r} is not a finite number")
    code = "" if isinstance(function, str) and function in SHIPPED else fingerprint(python)
    return Rule(name, function, tuple((parameter, float(given[parameter])) for parameter in names), code)


@cache
def factor(rule):
    """F(h, sigma_T, *params) compiled by numba (a user's own numba function as it is)."""
    python = _python_function(rule.function, str(rule))
    return python if isinstance(python, Dispatcher) else njit(python)


@cache
def guarded(rule):
    """F(h, sigma_T) with the rule's parameters bound, compiled, returning NaN where the rule raises.

    numba's C wrapper (``cfunc``: ``CPUContext.create_cfunc_wrapper``) has no way to pass an exception
    to its caller: it prints it as "Exception ignored" and returns 0.0, so a rule that raises inside a
    kernel or a quadrature would act as F = 0. Caught here (nopython try/except), the error is a NaN,
    which every caller checks: the kernel stops its trial and reports h and sigma_T (``failure``
    names the exception), the quadrature refuses a non-finite average."""
    F, params = factor(rule), rule.values

    @njit
    def F_bound(h, sigma_T):
        return float(F(h, sigma_T, *params))

    @njit
    def F_guarded(h, sigma_T):  # the call with *params apart: numba's try block cannot unpack a tuple
        try:
            return F_bound(h, sigma_T)
        except Exception:  # noqa: BLE001 - any error of the rule is a NaN, reported by the caller
            return math.nan

    return F_guarded


@cache
def bound_factor(rule):
    """F(h, sigma_T) with the rule's parameters bound, a compiled C function (numba type
    FunctionType float64(float64, float64)): the type the kernel and the quadrature take. NaN where
    the rule raises (``guarded``)."""
    F = guarded(rule)

    @cfunc(types.float64(types.float64, types.float64))
    def F_bound(h, sigma_T):
        return F(h, sigma_T)

    return F_bound


def failure(rule, h, sigma_T):
    """One line: what the rule does at (h, sigma_T) that no run can use (it raises, or returns NaN,
    infinity or a value beyond ``LARGEST``), evaluated again in Python to name the exception."""
    where = f"h = {h:.6g}, sigma_T = {sigma_T:+g}"
    try:
        value = float(factor(rule)(h, sigma_T, *rule.values))
    except Exception as error:  # noqa: BLE001 - whatever the rule raises is reported in one line
        detail = " ".join(str(error).split())
        return f"{rule}: raises {type(error).__name__}{': ' + detail if detail else ''} at {where}"
    if not math.isfinite(value):
        return f"{rule}: returns {value} at {where}"
    return f"{rule}: returns {value:.3g} at {where}, beyond {LARGEST:g} in size"


@njit
def first_unusable(F, fields):
    """(index, sigma_T) of the first field where F(., sigma_T) is not within LARGEST in size (NaN
    included), sigma_T = -1 then +1 at each field; (-1, 0) if there is none."""
    for i in range(fields.shape[0]):
        for sigma_T in (-1.0, 1.0):
            if not abs(F(fields[i], sigma_T)) <= LARGEST:
                return i, sigma_T
    return -1, 0.0


SECONDS_PER_CALL = {}
"""The measured seconds per call of each checked user rule (``check``), for the runtime request."""


def seconds_per_call(rule):
    """What one call of the rule costs beyond the measured rate of Model C's jobs: 0 for a shipped rule
    (its cost is in the rate), the time ``check`` measured for a user rule (a rule not yet checked is
    checked here)."""
    if not rule.code:
        return 0.0
    if rule not in SECONDS_PER_CALL:
        check(rule)
    return SECONDS_PER_CALL[rule]


def check(rule):
    """Compile the rule and evaluate it on PROBE_FIELDS x (-1, +1); RuleError if numba cannot
    compile it, it returns anything but a number, raises, or returns NaN, infinity or a value beyond
    LARGEST in size. Records the rule's seconds per call (``seconds_per_call``)."""
    F, params = factor(rule), rule.values
    signature = (types.float64,) * (2 + len(params))
    try:
        F.compile(signature)
    except NumbaError as error:
        reason = next((line.strip() for line in str(error).splitlines()
                       if line.strip() and not line.startswith("Failed in")), type(error).__name__)
        raise RuleError(f"{rule}: numba cannot compile it: {reason}") from None
    returned = F.overloads[signature].signature.return_type
    if not isinstance(returned, (types.Number, types.Boolean)):
        raise RuleError(f"{rule}: returns {returned}, not a number")
    bound = bound_factor(rule)
    first_unusable(bound, PROBE_FIELDS[:1])  # compiled before the timing
    start = time.perf_counter()
    index, sigma_T = first_unusable(bound, PROBE_FIELDS)
    if index >= 0:
        raise RuleError(f"{failure(rule, PROBE_FIELDS[index], sigma_T)} (probe: h = 0, +-1e-3, ..., +-10, then "
                        "steps of 0.1% to +-1e4 and of 2.3% to +-1e6, sigma_T = -1, +1)")
    SECONDS_PER_CALL[rule] = (time.perf_counter() - start) / (2 * len(PROBE_FIELDS))


@njit(cache=True)
def _jumps(F, sigma_T, fields):
    """The fields where F(., sigma_T) jumps: on each interval of ``fields`` where F changes by more than
    its rounding (1e-12 (1 + |F|)), follow for 10 halvings the half where F changes most; a change that
    keeps more than half its size is a jump, bisected to the float resolution."""
    found = []
    for i in range(fields.shape[0] - 1):
        a, b = fields[i], fields[i + 1]
        F_a, F_b = F(a, sigma_T), F(b, sigma_T)
        change = abs(F_b - F_a)
        if not change > 1e-12 * (1.0 + abs(F_a) + abs(F_b)):
            continue
        halvings = 0
        while True:
            middle = 0.5 * (a + b)
            if not a < middle < b:
                found.append(middle)
                break
            F_middle = F(middle, sigma_T)
            if abs(F_middle - F_a) >= abs(F_b - F_middle):
                b, F_b = middle, F_middle
            else:
                a, F_a = middle, F_middle
            halvings += 1
            if halvings == 10 and not abs(F_b - F_a) > 0.5 * change:
                break
    return np.array(found)


@cache
def jumps(rule):
    """The fields h (sorted) where F(h, +1) or F(h, -1) jumps, found on JUMP_SCAN: the quadrature's
    break points."""
    F = bound_factor(rule)
    return np.unique(np.concatenate([_jumps(F, sigma_T, JUMP_SCAN) for sigma_T in (-1.0, 1.0)]))
