"""Jobs as short text, so a button's custom_id (≤ 100 chars) can carry its whole state.

`encode(Job)` → "co:l=5,w=4,b=1,t=none,s=0"; `decode` reverses it and re-checks the
options' types. Buttons stay stateless: they work on week-old messages after restarts.
A custom formula can be longer than a custom_id allows; such jobs encode without it
(marked `f=@`) and the button reads the formula back from the embed's Formula field.
"""

from __future__ import annotations

from typing import Any

from bot.jobs import Job

KINDS = {
    "xor.linear": "xl",
    "xor.squash": "xs",
    "xor.neuron": "xn",
    "xor.mlp": "xm",
    "xor.stats": "xt",
    "learnable": "le",
    "collapse": "co",
    "activation": "ac",
    "explain": "ex",
    "approximate": "ap",
    "regions": "rg",
    "train": "tr",
}
KIND_OF = {v: k for k, v in KINDS.items()}
KEYS = {
    "seed": "s",
    "epochs": "e",
    "lr": "r",
    "activation": "a",
    "hidden": "h",
    "layers": "l",
    "width": "w",
    "bottleneck": "k",
    "bias": "b",
    "between": "t",
    "name": "n",
    "custom": "f",
    "topic": "p",
    "sizes": "z",
    "activations": "v",
    "seeds": "c",
    "init": "i",
    "kind": "d",
    "task": "u",
    "target": "g",
    "units": "un",
    "method": "m",
    "interval": "iv",
    "depth": "dp",
    "dataset": "ds",
    "noise": "no",
    "compare": "cp",
}
KEY_OF = {v: k for k, v in KEYS.items()}
assert len(KEY_OF) == len(KEYS), "two options share a custom_id key"
INTS = {"seed", "epochs", "hidden", "layers", "width", "bottleneck", "seeds", "units", "depth"}
FLOATS = {"lr", "noise"}
BOOLS = {"bias", "compare"}
FORMULA_IN_EMBED = "@"


class SpecError(ValueError):
    """A custom_id that is not one of ours (or was tampered with)."""


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def encode(job: Job, budget: int = 80) -> str:
    parts = []
    for key, v in job.options.items():
        if v is None:
            continue
        text = _value(v)
        if key == "custom":  # may hold ',' or '=' and run to 200 chars: read it from the embed
            text = FORMULA_IN_EMBED
        parts.append(f"{KEYS[key]}={text}")
    spec = f"{KINDS[job.kind]}:" + ",".join(parts)
    if len(spec) > budget:
        raise SpecError(f"job spec too long for a custom_id: {spec!r}")
    return spec


def decode(spec: str) -> Job:
    kind_code, _, rest = spec.partition(":")
    if kind_code not in KIND_OF:
        raise SpecError(f"unknown job kind in {spec!r}")
    options: dict[str, Any] = {}
    for part in filter(None, rest.split(",")):
        k, sep, v = part.partition("=")
        if not sep or k not in KEY_OF:
            raise SpecError(f"bad option {part!r}")
        key = KEY_OF[k]
        try:
            if key in INTS:
                options[key] = int(v)
            elif key in FLOATS:
                options[key] = float(v)
            elif key in BOOLS:
                options[key] = v == "1"
            else:
                options[key] = v
        except ValueError as e:
            raise SpecError(f"bad value in {part!r}") from e
    return Job(KIND_OF[kind_code], options)
