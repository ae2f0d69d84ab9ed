"""A small, safe parser for user formulas in one variable x.

Grammar (precedence climbing, right-associative power):
    expr   := term (('+' | '-') term)*
    term   := unary (('*' | '/') unary)*
    unary  := ('-' | '+') unary | power
    power  := atom (('**' | '^') unary)?
    atom   := NUMBER | 'x' | 'pi' | 'e' | FUNC '(' expr (',' expr)? ')' | '(' expr ')'
Only these tokens exist: there are no attributes, subscripts, strings or other names,
and nothing is ever handed to Python's eval. Evaluation is NumPy float arithmetic, so
a huge exponent is inf, never a hang.
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
            out = _eval(self.tree, x)
        return np.broadcast_to(np.asarray(out, dtype=float), x.shape).copy()


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
            raise UserError(f"expected {value!r} at position {tok[2]}, found {tok[1]!r}.")
        self.i += 1
        return tok

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
                self.take("(")
                a = self.expr()
                if name in FUNCS2:
                    self.take(",")
                    b = self.expr()
                    self.take(")")
                    return ("f2", name, a, b)
                self.take(")")
                return ("f1", name, a)
            raise UserError(f"unknown name {val!r} at position {pos}. Allowed: {ALLOWED}.")
        if val == "(":
            node = self.expr()
            self.take(")")
            return node
        raise UserError(f"unexpected {val!r} at position {pos}.")


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
        raise UserError(f"unexpected {t[1]!r} at position {t[2]}.")
    return Expression(text=text.strip(), tree=tree)


def _eval(node: Node, x: np.ndarray) -> np.ndarray | float:
    tag = node[0]
    if tag == "num":
        return node[1]
    if tag == "x":
        return x
    if tag == "neg":
        return -_eval(node[1], x)
    if tag == "f1":
        return FUNCS1[node[1]](np.asarray(_eval(node[2], x), dtype=float))
    if tag == "f2":
        return FUNCS2[node[1]](_eval(node[2], x), _eval(node[3], x))
    a, b = _eval(node[2], x), _eval(node[3], x)
    op = node[1]
    if op == "+":
        return np.add(a, b)
    if op == "-":
        return np.subtract(a, b)
    if op == "*":
        return np.multiply(a, b)
    if op == "/":
        return np.divide(a, b)
    return np.power(np.asarray(a, dtype=float), b)


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
    return f"{_NP_OP[node[1]]}({a}, {b})"  # NumPy's division: 1/0 is inf, as in _eval


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
