"""The command tree: what a sync would send satisfies Discord's rules."""

from __future__ import annotations

import pytest

from bot import schema
from bot.app import EXTENSIONS, create_bot
from bot.settings import Settings
from cogs.activation import matches


@pytest.fixture
async def bot(pool):
    b = create_bot(Settings(workers=1), pool=pool)
    for ext in EXTENSIONS:
        await b.load_extension(ext)
    yield b


async def test_payload_satisfies_discord_rules(bot):
    payload = bot.payload()
    assert schema.commands_problems(payload) == []
    assert {c["name"] for c in payload} >= {"xor", "collapse", "activation"}
    xor = next(c for c in payload if c["name"] == "xor")
    assert {o["name"] for o in xor["options"]} == {"linear", "squash", "neuron", "mlp", "stats"}


async def test_every_option_is_described_and_bounded(bot):
    def walk(node):
        for o in node.get("options") or []:
            assert o["description"] and o["description"] != "…", o["name"]
            if o["type"] in (4, 10) and o["name"] != "private":
                assert "min_value" in o and "max_value" in o, o["name"]
            yield o
            yield from walk(o)

    assert sum(1 for c in bot.payload() for _ in walk(c)) > 20


def test_the_validator_rejects_what_discord_rejects():
    bad = {
        "name": "Bad Name",
        "description": "x" * 101,
        "options": [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)],
    }
    problems = schema.command_problems(bad)
    assert any("name" in p for p in problems)
    assert any("description" in p for p in problems)
    assert any("options" in p for p in problems)
    huge = {
        "name": "a",
        "description": "d",
        "options": [
            {
                "name": f"o{i}",
                "description": "d" * 100,
                "type": 3,
                "choices": [{"name": "c" * 100, "value": "v" * 90} for _ in range(4)],
            }
            for i in range(25)
        ],
    }
    assert any("8000" in p for p in schema.command_problems(huge))


def test_autocomplete_filters_and_caps():
    assert [c.value for c in matches("tan")] == ["tanh", "hardtanh", "gelu_tanh"] or all(
        "tan" in c.value or "tan" in c.name.lower() for c in matches("tan")
    )
    assert len(matches("")) <= 25
    assert matches("zzz") == []


def test_the_main_process_never_imports_matplotlib():
    """Plots are drawn in the workers; the bot, its cogs and the CLI stay light."""
    import subprocess
    import sys

    code = (
        "import sys, bot.app, bot.__main__, bot.selfhost, bot.sandbox.console\n"
        "for e in bot.app.EXTENSIONS: __import__(e)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'bot.figures'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_custom_formula_round_trips_through_its_field():
    from bot.cards import custom_formula, formula_field

    f = formula_field("f(x) = max(x, 0.1*x)")
    assert custom_formula([("Range", "x"), (f.name, f.value)]) == "max(x, 0.1*x)"
    assert custom_formula([("Formula", "not ours")]) is None


async def test_one_table_gives_every_bound_and_help_text(bot):
    """bot.options is the one place a bound is written: the synced schema matches it."""
    from bot import options as o

    table = {
        "seed": o.SEED,
        "epochs": o.EPOCHS,
        "lr": o.LR,
        "hidden": o.HIDDEN,
        "layers": o.LAYERS,
        "width": o.WIDTH,
        "bottleneck": o.BOTTLENECK,
        "name": o.NAME,
        "custom": o.CUSTOM,
        "topic": o.TOPIC,
        "bias": o.BIAS,
        "between": o.BETWEEN,
        "units": o.UNITS,
        "depth": o.DEPTH,
    }
    per_command = {  # the many-seed commands take lists and other seed counts
        ("stats", "hidden"): o.HIDDEN_SIZES,
        ("stats", "activation"): o.ACTIVATIONS,
        ("stats", "seeds"): o.STATS_SEEDS,
        ("stats", "seed"): o.BASE_SEED,
        ("learnable", "seed"): o.BASE_SEED,
        ("learnable", "seeds"): o.LEARNABLE_SEEDS,
        ("learnable", "epochs"): o.LEARNABLE_EPOCHS,
        ("learnable", "lr"): o.LEARNABLE_LR,
        ("learnable", "custom"): o.LEARNABLE_CUSTOM,
        ("approximate", "seed"): o.APPROX_SEED,
        ("approximate", "custom"): o.APPROX_CUSTOM,
        ("regions", "width"): o.REGIONS_WIDTH,
        ("train", "epochs"): o.TRAIN_EPOCHS,
        ("train", "noise"): o.NOISE,
    }
    checked = 0

    def walk(node):
        nonlocal checked
        for opt in node.get("options") or []:
            spec = per_command.get((node["name"], opt["name"]), table.get(opt["name"]))
            if spec is not None:
                assert opt["description"] == spec.describe, opt["name"]
                lo, hi = ("min_length", "max_length") if spec.text else ("min_value", "max_value")
                if spec.low is not None:
                    assert (opt[lo], opt[hi]) == (spec.low, spec.high), opt["name"]
                checked += 1
            walk(opt)

    for cmd in bot.payload():
        walk(cmd)
    assert checked >= 15
    from bot.lab import SEED_MAX
    from bot.lab.expr import MAX_LEN
    from bot.lab.neuron import LR_MAX, LR_MIN

    assert (o.SEED.high, o.CUSTOM.high, o.LR.low, o.LR.high) == (SEED_MAX, MAX_LEN, LR_MIN, LR_MAX)


def test_the_options_table_imports_without_heavy_modules():
    import subprocess
    import sys

    code = "import sys, bot.options; print(sorted(m for m in sys.modules if m.split('.')[0] in ('discord', 'numpy', 'matplotlib')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


async def test_the_lab_checks_use_the_same_bounds():
    from bot import options as o
    from bot.errors import UserError
    from bot.lab.collapse import check_args
    from bot.lab.neuron import check_training_args

    with pytest.raises(UserError, match=f"between 1 and {o.LAYERS.high}"):
        check_args(o.LAYERS.high + 1, 4, None, "none", 0)
    with pytest.raises(UserError, match=f"between 1 and {o.EPOCHS.high}"):
        check_training_args(o.EPOCHS.high + 1, 1.0, 0)
