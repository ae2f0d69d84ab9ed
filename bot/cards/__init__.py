"""Cards: what every surface shows for a result (Discord embed, console, tests).

A Card is transport-agnostic plain data: a title, a one-line verdict, the numbers as
fields, one image, extra files, the reproduction snippet and the numbers that snippet
prints. `numbers` is the contract the tests hold the snippet to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot import limits
from bot.lab.neuron import HALVINGS
from bot.script import show

COLOR_TRUE = 0x2FD3A0  # the claim under test holds
COLOR_FALSE = 0xFF6B5E  # the claim fails
COLOR_INFO = 0x56B4E9


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Card:
    title: str
    verdict: str
    body: str = ""
    fields: tuple[Field, ...] = ()
    image: Attachment | None = None
    files: tuple[Attachment, ...] = ()
    code: str = ""
    numbers: tuple[tuple[str, str], ...] = ()
    footer: str = ""
    color: int = COLOR_INFO
    seed: int | None = None
    command: str = ""  # the slash command that reproduces this card

    @property
    def description(self) -> str:
        return f"**{self.verdict}**" + (f"\n\n{self.body}" if self.body else "")


def picture(filename: str, draw: Callable[[], bytes], figure: bool) -> Attachment | None:
    """The card's image, drawn only when wanted: Show code needs the numbers, not the plot."""
    return Attachment(filename, draw()) if figure else None


def num(v: float) -> str:
    """The one number format of cards and Show-code scripts: 6 significant digits, no '-0'."""
    s = f"{float(v) + 0.0:.6g}"
    return "0" if s == "-0" else s


def converging_lr_text(found: float | str | None) -> str:
    """What the halving search (bot.lab.neuron.converging_lr) found, as a sentence."""
    if found is None or isinstance(found, str):
        return f"none of lr/2 … lr/{2**HALVINGS} trained without diverging from this seed either"
    return f"lr {show(found)} trains without diverging from this seed (found by halving lr)"


def code_block(text: str, lang: str = "") -> str:
    return f"```{lang}\n{text}\n```"


def fit_fields(
    fields: list[Field], overflow_name: str
) -> tuple[tuple[Field, ...], tuple[Attachment, ...]]:
    """Keep fields within Discord's limits; a value too long moves to a .txt attachment."""
    kept: list[Field] = []
    spill: list[str] = []
    for f in fields:
        if len(f.value) <= limits.FIELD_VALUE:
            kept.append(f)
        else:
            kept.append(Field(f.name, f"too long for an embed field: see `{overflow_name}`"))
            spill.append(f"## {f.name}\n{f.value.replace('```', '').strip()}\n")
    files = (Attachment(overflow_name, "\n".join(spill).encode()),) if spill else ()
    return tuple(kept[: limits.EMBED_FIELDS]), files


FORMULA = re.compile(r"^`f\(x\) = (?P<formula>.+)`$")


def formula_field(formula: str) -> Field:
    """'f(x) = …', code-formatted; for a custom formula, buttons read it back from here."""
    return Field("Formula", f"`{formula}`")


def custom_formula(fields: list[tuple[str, str]]) -> str | None:
    """The custom formula from a card's (name, value) fields, as formula_field wrote it."""
    for name, value in fields:
        if name == "Formula" and (m := FORMULA.match(value)):
            return m["formula"]
    return None
