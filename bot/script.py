"""Show code from one source: a script assembled from the lab's own functions.

A card's "Show code" script is not a second copy of the experiment. `script` takes the
function that computed the card's numbers, finds everything it uses (other functions,
module constants, `math`) by reading the globals its bytecode loads, and writes their
source, unchanged, into one file that needs only NumPy, followed by a call that prints
each number with `show`, the very formatter the card uses. So the card and its script
cannot drift: they run the same code on the same inputs.

    values = lab.neuron_numbers(f=tanh, df=tanh_df, seed=0, epochs=2000, lr=1.0)
    card_numbers = lines(values)                      # what the card shows
    code = script(lab.neuron_numbers, f=tanh, ...)    # prints exactly those lines

Functions passed as arguments (an activation's f and f') are carried by source too.
Lambdas, closures and objects with no source text are refused loudly, never guessed.
"""

from __future__ import annotations

import dis
import functools
import inspect
import math
import textwrap
import types
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np


class Code(str):
    """Source text inserted into a script as is (a name or expression), never repr'd."""


def show(value: Any, spec: str = "") -> str:
    """How a number appears on a card and in its script (one format for both).

    Strings unchanged; integers and booleans as integers; sequences space-separated;
    floats with `spec` (default 6 significant digits), never "-0".
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | np.integer | np.bool_):
        return str(int(value))
    if isinstance(value, tuple | list | np.ndarray):
        return " ".join(show(v, spec) for v in value)
    v = float(value) + 0.0
    s = format(v, spec) if spec else f"{v:.6g}"
    if s.startswith("-") and float(s) == 0.0:
        s = s[1:]  # -0, -0.0000 and -0.000e+00 all read as a sign that is not there
    return s


def lines(
    values: Mapping[str, Any], specs: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """(key, text) pairs of a result, formatted by `show` with an optional spec per key."""
    specs = specs or {}
    return [(key, show(v, specs.get(key, ""))) for key, v in values.items()]


PRINT = 'for key, text in lines({call}{specs}):\n    print(f"{{key}}: {{text}}")\n'


def script(
    entry: Callable, /, *, title: str, specs: Mapping[str, str] | None = None, **kwargs
) -> str:
    """A NumPy-only script that prints `lines(entry(**kwargs), specs)`, one "key: text" a line."""
    args = ", ".join(f"{k}={_argument(v)}" for k, v in kwargs.items())
    call = f"{entry.__name__}({args})"
    tail = PRINT.format(call=call, specs=f", {dict(specs)!r}" if specs else "")
    extra = [v for v in kwargs.values() if isinstance(v, types.FunctionType)]
    return assemble(tail, entry, lines, show, *extra, title=title)


def _argument(v: Any) -> str:
    if isinstance(v, Code):
        return str(v)
    if isinstance(v, types.FunctionType):
        return v.__name__
    return _literal(v)


def assemble(tail: str, *parts: Callable | Code, title: str) -> str:
    """Functions (with everything they use) and raw source parts, then `tail`."""
    found = _Closure()
    for p in parts:
        if isinstance(p, Code):
            found.raw.append(str(p))
        else:
            found.add(p)
    head = f'"""{title}\n\nNeeds only NumPy. Run: python reproduce.py\n"""\n\n'
    head += "from __future__ import annotations  # type hints stay text: no imports needed\n\n"
    consts = "".join(f"{k} = {v}\n" for k, v in found.consts.items())
    if "math." in consts:
        found.imports.add("import math")
    imports = "".join(f"{line}\n" for line in sorted(found.imports)) + "\n"
    body = "\n\n\n".join([*found.sources, *found.raw])
    return head + imports + (f"{consts}\n\n" if consts else "\n") + body + "\n\n\n" + tail


class _Closure:
    """Everything a set of functions needs: each function first, then what it uses."""

    def __init__(self) -> None:
        self.imports: set[str] = {"import numpy as np"}
        self.consts: dict[str, str] = {}
        self.sources: list[str] = []
        self.raw: list[str] = []
        self.names: dict[str, object] = {}

    def add(self, fn: Callable) -> None:
        if not isinstance(fn, types.FunctionType) or fn.__name__ == "<lambda>":
            raise TypeError(f"{fn!r} has no source a script can carry: use a named def")
        if fn.__closure__:
            raise TypeError(f"{fn.__qualname__} is a closure: a script cannot carry its cells")
        if self._claim(fn.__name__, fn):
            return
        self.sources.append(_source(fn))  # reads top-down
        for name in _globals_loaded(fn.__code__):
            if name not in fn.__globals__:
                continue  # a builtin
            self._global(fn, name, fn.__globals__[name])

    def _claim(self, name: str, obj: object) -> bool:
        """True if `name` is already taken by `obj`; refuse two objects under one name."""
        if name in self.names:
            if self.names[name] is not obj and not _same_value(self.names[name], obj):
                raise ValueError(f"two different things are named {name!r} in one script")
            return True
        self.names[name] = obj
        return False

    def _global(self, fn: Callable, name: str, value: object) -> None:
        if value is np:
            return
        if isinstance(value, types.ModuleType):
            if value is not math:
                raise TypeError(f"{fn.__qualname__} uses module {value.__name__}: NumPy only")
            self.imports.add("import math")
            return
        if isinstance(value, types.FunctionType):
            self.add(value)
            if value.__name__ != name and not self._claim(name, value):
                self.raw.append(f"{name} = {value.__name__}")
            return
        if not self._claim(name, value):
            self.consts[name] = _literal(value)


def _same_value(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return type(a) is type(b) and a == b


@functools.lru_cache(maxsize=1024)  # source files don't change while the bot runs
def _source(fn: types.FunctionType) -> str:
    return textwrap.dedent(inspect.getsource(fn)).strip("\n")


@functools.lru_cache(maxsize=1024)
def _globals_loaded(code: types.CodeType) -> tuple[str, ...]:
    return tuple(_names_loaded(code))


def _names_loaded(code: types.CodeType) -> list[str]:
    """Names the bytecode loads as globals, nested functions and comprehensions included."""
    names: list[str] = []
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and ins.argval not in names:
            names.append(ins.argval)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names += [n for n in _names_loaded(const) if n not in names]
    return names


def _literal(v: Any) -> str:
    """Exact source for a constant: floats by repr (which round-trips), arrays with dtype."""
    if isinstance(v, np.ndarray):
        dtype = "" if v.dtype == np.float64 else f", dtype=np.{v.dtype.name}"
        return f"np.array({_literal(v.tolist())}{dtype})"
    if isinstance(v, float | np.floating):
        f = float(v)
        if math.isfinite(f):
            return repr(f)
        return "math.nan" if math.isnan(f) else ("math.inf" if f > 0 else "-math.inf")
    if isinstance(v, bool | int | str | type(None)):
        return repr(v)
    if isinstance(v, np.integer):
        return repr(int(v))
    if isinstance(v, tuple | list):
        items = ", ".join(_literal(x) for x in v)
        if isinstance(v, tuple):
            return f"({items},)" if len(v) == 1 else f"({items})"
        return f"[{items}]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(x)}" for k, x in v.items()) + "}"
    raise TypeError(f"a script cannot carry {type(v).__name__} values ({v!r:.60})")
