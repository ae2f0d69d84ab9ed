"""A small, safe parser for user formulas in one variable x.

Grammar (precedence climbing, right-associative power):
    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('-' | '+') unary | power
    power  := atom (('**' | '^') unary)?
    atom   := NUMBER | 'x' | 'pi' | 'e' | FUNC '(' expr (',' expr)? ')' | '(' expr ')'
Only these tokens exist: there are no attributes, subscripts, strings or other names,
and nothing is ever handed to Python's eval. Evaluation is NumPy float arithmetic, so
a huge exponent is inf, never a hang; `evaluate` also says, point by point, whether a
nan or inf is the formula's (undefined) or float64's (an overflow).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.errors import UserError
from bot.options import CUSTOM

MAX_LEN = int(CUSTOM.high)  # bot.options: the one table of option bounds
MAX_DEPTH = 40

FUNCS1: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "log1p": np.log1p,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "arctan": np.arctan,
    "sign": np.sign,
    "floor": np.floor,
    "ceil": np.ceil,
    "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
}
FUNCS2: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "max": np.maximum,
    "min": np.minimum,
}
CONSTS = {"pi": np.pi, "e": np.e}
ALLOWED = "numbers, x, pi, e, + - * / ** (or ^), parentheses and " + ", ".join([*FUNCS1, *FUNCS2])

_TOKEN = re.compile(
    r"[ \t]*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>\*\*|[-+*/^(),]))",
    re.ASCII,  # \d must not match other scripts' digits, which float() would accept
)

PRODUCT = "implicit multiplication is not accepted: put * between factors"


def _factor(tok: tuple[str, str, int]) -> str:
    """A token as a factor reads in a hint: 2, x, pi, sin(…), (…)."""
    kind, val, _ = tok
    if val in "()":
        return "(…)"
    return f"{val}(…)" if kind == "name" and val.lower() in (*FUNCS1, *FUNCS2) else val


def _name_hint(name: str) -> str:
    """A guess at a run-together name: sinx → sin(x), xsin → x*sin(…), pix → pi*x."""
    known = sorted(("x", *CONSTS, *FUNCS1, *FUNCS2), key=len, reverse=True)
    low = name.lower()
    for head in known:
        rest = low[len(head) :]
        if low.startswith(head) and rest in known:
            if head in FUNCS1 or head in FUNCS2:
                return f" Functions take parentheses: write {head}({rest})."
            tail = f"{rest}(…)" if rest in FUNCS1 or rest in FUNCS2 else rest
            return f" Write {head}*{tail} ({PRODUCT})."
    return ""


Node = (
    tuple  # ("num", v) | ("x",) | ("neg", a) | ("bin", op, a, b) | ("f1", n, a) | ("f2", n, a, b)
)


@dataclass(frozen=True)
class Expression:
    """A parsed formula: call it on an array of x values."""

    text: str
    tree: Node

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        with np.errstate(all="ignore"):
            out = value(self.tree, x)
        return np.broadcast_to(np.asarray(out, dtype=float), x.shape).copy()

    def overflows(self, x: np.ndarray) -> np.ndarray:
        """True where f(x) is nan or ±inf only because float64's range ran out (`evaluate`)."""
        return overflow_mask(self.tree, x)


def _tokens(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            ch = text[pos:].lstrip()[:1]
            where = len(text) - len(text[pos:].lstrip()) + 1
            raise UserError(f"unexpected character {ch!r} at position {where}. Allowed: {ALLOWED}.")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind), m.start(kind) + 1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise UserError(
                f"the formula ends too early{f' (expected {value!r})' if value else ''}."
            )
        if value is not None and tok[1] != value:
            self.juxtaposed(tok)
            raise UserError(f"expected {value!r} at position {tok[2]}, found {tok[1]!r}.")
        self.i += 1
        return tok

    def juxtaposed(self, tok: tuple[str, str, int]) -> None:
        """Raise the hint for two factors side by side (2x, x(1+x), (x+1)(x-1)), if they are."""
        prev = self.toks[self.i - 1] if self.i else None
        starts = tok[0] in ("num", "name") or tok[1] == "("
        ends = prev is not None and (prev[0] in ("num", "name") or prev[1] == ")")
        if starts and ends:
            assert prev is not None
            raise UserError(
                f"missing * at position {tok[2]}: write {_factor(prev)}*{_factor(tok)} ({PRODUCT})."
            )

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UserError(f"the formula is nested too deeply (at most {MAX_DEPTH} levels).")

    def expr(self) -> Node:
        self.nest()
        node = self.term()
        while (t := self.peek()) and t[1] in "+-" and t[0] == "op":
            self.take()
            node = ("bin", t[1], node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Node:
        node = self.unary()
        while (t := self.peek()) and t[1] in ("*", "/"):
            self.take()
            node = ("bin", t[1], node, self.unary())
        return node

    def unary(self) -> Node:
        t = self.peek()
        if t and t[1] in ("-", "+"):
            self.take()
            self.nest()
            inner = self.unary()
            self.depth -= 1
            return ("neg", inner) if t[1] == "-" else inner
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        t = self.peek()
        if t and t[1] in ("**", "^"):
            self.take()
            self.nest()
            exp = self.unary()
            self.depth -= 1
            return ("bin", "**", base, exp)
        return base

    def atom(self) -> Node:
        t = self.take()
        kind, val, pos = t
        if kind == "num":
            v = float(val)
            if not np.isfinite(v):
                raise UserError(f"the number at position {pos} is too large.")
            return ("num", v)
        if kind == "name":
            name = val.lower()
            if name == "x":
                return ("x",)
            if name in CONSTS:
                return ("num", float(CONSTS[name]))
            if name in FUNCS1 or name in FUNCS2:
                if (nxt := self.peek()) is None or nxt[1] != "(":
                    example = f"{name}(x, 0)" if name in FUNCS2 else f"{name}(x)"
                    raise UserError(
                        f"{val} at position {pos} needs its argument in parentheses, "
                        f"e.g. {example}."
                    )
                self.take("(")
                a = self.expr()
                if name in FUNCS2:
                    if (t := self.peek()) is not None and t[1] != ",":
                        raise UserError(
                            f"{val} takes two arguments separated by a comma, e.g. {name}(x, 0): "
                            f"expected ',' at position {t[2]}, found {t[1]!r}."
                        )
                    self.take(",")
                    b = self.expr()
                    self.take(")")
                    return ("f2", name, a, b)
                self.take(")")
                return ("f1", name, a)
            raise UserError(
                f"unknown name {val!r} at position {pos}.{_name_hint(val)} Allowed: {ALLOWED}."
            )
        if val == "(":
            node = self.expr()
            self.take(")")
            return node
        raise UserError(
            f"unexpected {val!r} at position {pos}: expected a number, x, pi, e, a function or '('."
        )


def parse(text: str) -> Expression:
    """Parse a formula in x, or raise UserError saying what is wrong and what is allowed."""
    if not isinstance(text, str):
        raise UserError("the formula must be text.")
    if len(text) > MAX_LEN:
        raise UserError(f"the formula is {len(text)} characters long; at most {MAX_LEN}.")
    if not text.strip():
        raise UserError(f"the formula is empty. Try e.g. x*sin(x). Allowed: {ALLOWED}.")
    p = _Parser(text)
    tree = p.expr()
    if (t := p.peek()) is not None:
        p.juxtaposed(t)
        unopened = ": it closes no '('" if t[1] == ")" else ""
        raise UserError(f"unexpected {t[1]!r} at position {t[2]}{unopened}.")
    return Expression(text=text.strip(), tree=tree)


def evaluate(node, x):
    """(f(x), lost): the formula's float64 values, and where float64's range ran out.

    A non-finite f(x) means one of two different things, and IEEE 754 tells them apart
    per operation: from finite operands, NaN is an *invalid* operation (log or √ of a
    negative, 0/0) and ±∞ is either an exact pole (*divide by zero*: 1/0, log 0, 0^−2)
    or an *overflow* (the exact result is finite but beyond ±1.8e308: 2^1000, e^710).
    NumPy raises those flags per call, not per element, so we redo the bookkeeping per
    element along the tree: `lost` marks a value that is not the true one because the
    range ran out: ±∞ or NaN from an overflow (e^x/e^x at x = 1000 is ∞/∞; the true
    value is 1), or a 0 from an underflow (e^−1000; 1/e^−1000 is then ∞, an overflow,
    not a pole). A node's non-finite value is *undefined* when an operand is undefined,
    when the operation leaves its domain (log, √ or a fractional power of a negative,
    signed infinities included), at a pole of a true zero, or when it is NaN from exact
    operands; otherwise it is lost. Finite values are NumPy's, whatever led to them
    (1/(1 + e^1000) = 0 is the correctly rounded answer). Rounding is not tracked.
    """
    tag = node[0]
    if tag == "num":
        return np.float64(node[1]), np.False_
    if tag == "x":
        return x, np.False_
    if tag == "neg":
        a, lost = evaluate(node[1], x)
        return -a, lost
    args = [evaluate(n, x) for n in node[2:]]
    a, la = args[0]
    b, lb = args[-1]
    name = node[1]
    if tag == "f1":
        a = np.asarray(a, dtype=float)
    v = apply(tag, name, a, b)
    bad = ~np.isfinite(v)
    if not np.any(bad) and np.all(v != 0):  # every value a nonzero float: nothing was lost
        return v, np.False_
    lost_in = la | lb
    undefined_in = (~np.isfinite(a) & ~la) | (~np.isfinite(b) & ~lb)
    nonzero_a, nonzero_b = (a != 0) | la, (b != 0) | lb  # an underflowed 0 is not 0
    negative = (a < 0) | (
        la & (a == 0) & np.signbit(a)
    )  # an underflow keeps its sign: −e^−1000 is −0
    domain = {"log": negative, "sqrt": negative, "log1p": a < -1}.get(name, np.False_)
    pole = np.False_
    if name in ("log", "log1p"):
        pole = (a == (0 if name == "log" else -1)) & ~la
    elif name == "/":
        pole = ~nonzero_b
    elif name == "**":
        domain = negative & (np.floor(b) != b) & np.isfinite(b)
        pole = ~nonzero_a & (b < 0)
    never_zero = {
        "*": nonzero_a & nonzero_b,
        "/": nonzero_a,
        "**": nonzero_a,
        "exp": np.True_,
        "sigmoid": np.True_,
    }.get(name, np.False_)
    undefined = undefined_in | domain | pole | (np.isnan(v) & ~lost_in)
    lost = np.where(bad, ~undefined, (v == 0) & (lost_in | never_zero))
    return v, lost


def apply(tag, name, a, b):
    """One node's operation on its operands' values (b is a again for a function of one)."""
    if tag == "f1":
        a = np.asarray(a, dtype=float)
        return 1 / (1 + np.exp(-a)) if name == "sigmoid" else getattr(np, name)(a)
    if name in ("max", "min"):
        return np.maximum(a, b) if name == "max" else np.minimum(a, b)
    if name == "**":
        return np.power(np.asarray(a, dtype=float), b)
    if name == "*":
        return np.multiply(a, b)
    if name == "+":
        return np.add(a, b)
    return np.subtract(a, b) if name == "-" else np.divide(a, b)


def value(node, x):
    """The formula's float64 values alone: `evaluate` without its bookkeeping."""
    tag = node[0]
    if tag == "num":
        return np.float64(node[1])
    if tag == "x":
        return x
    if tag == "neg":
        return -value(node[1], x)
    a = value(node[2], x)
    return apply(tag, node[1], a, a if tag == "f1" else value(node[3], x))


def overflow_mask(tree, x):
    """True where the formula's float64 value is nan or ±inf because its range ran out."""
    x = np.asarray(x, dtype=float)
    with np.errstate(all="ignore"):
        v, lost = evaluate(tree, x)
    return np.broadcast_to(~np.isfinite(v) & lost, x.shape).copy()


_NP_OP = {"+": "np.add", "-": "np.subtract", "*": "np.multiply", "/": "np.divide"}
_NP_NAME = {
    "abs": "np.abs",
    "max": "np.maximum",
    "min": "np.minimum",
    "sigmoid": "(lambda z: 1 / (1 + np.exp(-z)))",
}


def to_numpy_source(node: Node) -> str:
    """The parsed tree as a NumPy expression in x (generated from the tree, never the text)."""
    tag = node[0]
    if tag == "num":
        return repr(node[1])
    if tag == "x":
        return "x"
    if tag == "neg":
        return f"(-{to_numpy_source(node[1])})"
    if tag in ("f1", "f2"):
        fn = _NP_NAME.get(node[1], f"np.{node[1]}")
        args = ", ".join(to_numpy_source(a) for a in node[2:])
        if tag == "f1":
            args = f"np.asarray({args}, dtype=float)"
        return f"{fn}({args})"
    a, b = to_numpy_source(node[2]), to_numpy_source(node[3])
    if node[1] == "**":
        return f"np.power(np.asarray({a}, dtype=float), {b})"
    return f"{_NP_OP[node[1]]}({a}, {b})"  # NumPy's division: 1/0 is inf, as in evaluate


def to_numpy_def(expr: Expression, name: str = "f") -> str:
    """A named def computing the formula exactly as Expression.__call__ does.

    Generated from the parse tree (never from the user's text), so a Show-code script
    can carry a custom formula like any other function.
    """
    return (
        f"def {name}(x):\n"
        '    """The custom formula, generated from its parse tree."""\n'
        "    x = np.asarray(x, dtype=float)\n"
        '    with np.errstate(all="ignore"):\n'
        f"        out = {to_numpy_source(expr.tree)}\n"
        "    return np.broadcast_to(np.asarray(out, dtype=float), x.shape).copy()"
    )


def to_overflow_def(expr: Expression, name: str = "f_overflows") -> str:
    """A named def giving `Expression.overflows`: the parse tree as a literal, for a script."""
    return (
        f"def {name}(x):\n"
        '    """Where f(x) is nan or ±inf only because float64 overflowed (see evaluate)."""\n'
        f"    return overflow_mask({expr.tree!r}, x)"
    )
