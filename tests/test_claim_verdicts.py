"""Every claim's verdict is what the experiment shown as its proof computes, and the
verdict cards fit in one message beside any experiment card."""

from __future__ import annotations

import math

import numpy as np

from bot.claims import BY_ID, CLAIMS, Verdict
from bot.claims.settle import read
from tests.test_claims import corpus


def _options(claim_id: str, kind: str) -> dict:
    return next(e.job_options() for e in BY_ID[claim_id].experiments if e.kind == kind)


def test_linear_stack_and_squash_collapse_to_one_matrix():
    from bot.lab.collapse import collapse

    for cid in ("linear-stack", "magic-in-weights", "linear-squash"):
        c = collapse(**_options(cid, "collapse"))
        if c.between in ("none", "squash"):
            assert c.values["relative"] < 1e-12, cid  # FALSE: the stack is one matrix
    assert BY_ID["linear-stack"].verdict is BY_ID["linear-squash"].verdict is Verdict.FALSE


def test_tanh_between_layers_is_not_one_matrix():
    from bot.lab.collapse import collapse

    c = collapse(**_options("squash-only", "collapse"))
    assert c.between == "tanh" and c.values["residual"] > 0.1  # the nonlinearity is the point
    assert BY_ID["squash-only"].verdict is Verdict.FALSE


def test_tanh_range_is_minus_one_to_one_open():
    from bot.lab.activations import REGISTRY

    r = REGISTRY["tanh"].range
    assert (r.lo, r.hi, r.lo_closed, r.hi_closed) == (-1.0, 1.0, False, False)
    assert math.tanh(-0.5) < 0  # "less than 1" is true but misses the negative half
    assert BY_ID["tanh-range"].verdict is Verdict.TRUE_BUT


def test_xor_line_and_monotone_squash_stay_at_three_of_four():
    from bot.lab.xor import linear_fit, scaled_fits, sine_unit

    assert linear_fit().best_threshold_correct == 3
    assert all(f.best_threshold_correct == 3 for f in scaled_fits())
    assert sine_unit().correct == 4  # a non-monotone unit does it
    assert BY_ID["xor-line"].verdict is BY_ID["monotone-squash"].verdict is Verdict.FALSE


def test_relu_is_continuous_with_a_kink():
    from bot.lab.activations import REGISTRY

    relu = REGISTRY["relu"]
    for eps in (1e-3, 1e-6, 1e-9):
        assert abs(relu.f(np.float64(eps)) - relu.f(np.float64(-eps))) <= eps
    assert relu.df(np.float64(1e-9)) - relu.df(np.float64(-1e-9)) == 1
    assert BY_ID["relu-discontinuous"].verdict is Verdict.FALSE


def test_gates_and_decisions_solve_xor():
    from bot.lab.activations import REGISTRY
    from bot.lab.mlp import train_mlp

    for cid in ("relu-gating", "nonlinear-decisions", "weights-lines"):
        o = _options(cid, "xor.mlp")
        run = train_mlp(REGISTRY[o["activation"]], o["hidden"], o.get("seed", 0), 2000, 1.0)
        assert run.correct == 4, cid


def test_training_is_not_guaranteed():
    from bot.lab.activations import REGISTRY
    from bot.lab.mlp import train_mlp

    o = _options("training-easy", "xor.mlp")
    assert train_mlp(REGISTRY[o["activation"]], 2, o["seed"], 2000, 1.0).correct < 4


def test_universal_approximation_converges_but_not_at_a_step():
    from bot.lab.approx import approximate_sine

    a = approximate_sine()
    assert a.max_errors[-1] < a.max_errors[0] / 100 and a.slope < -1.5
    assert min(a.step_max_errors) >= 0.5 - 1e-9  # what the theorem does not promise
    assert BY_ID["universal"].verdict is Verdict.TRUE_BUT


def test_a_learnable_phase_is_a_bias():
    from bot.lab.phase import compare

    assert compare().max_loss_gap < 1e-9
    assert BY_ID["learned-activation"].verdict is Verdict.TRUE_BUT


def test_a_bottleneck_caps_a_deep_stack():
    from bot.lab.collapse import collapse

    o = _options("deeper-better", "collapse")
    assert collapse(**o).values["rank"] == o["bottleneck"] < o["width"]
    assert BY_ID["deeper-better"].verdict is Verdict.FALSE


def test_tanh_is_a_rescaled_sigmoid_with_a_different_range_and_slope():
    from bot.lab.activations import REGISTRY

    x = np.linspace(-20, 20, 4001)
    sig, tanh = REGISTRY["sigmoid"], REGISTRY["tanh"]
    assert np.max(np.abs(tanh.f(x) - (2 * sig.f(2 * x) - 1))) < 1e-15
    assert sig.df(np.float64(0)) == 0.25 and tanh.df(np.float64(0)) == 1
    assert BY_ID["sigmoid-tanh"].verdict is Verdict.TRUE_BUT


# ---- the cards fit Discord beside any experiment card -----------------------------------


def test_verdict_cards_fit_beside_every_experiment_card():
    """The longest Settle card (the whole argument) plus each claim's experiment card stay
    within one message's 6000 embed characters; so does every /claim card."""
    from bot import limits
    from bot.cards import Card, Field
    from bot.cards.claim import claim_card, settle_card
    from bot.cards.explain import MAX_TEXT, TOPICS
    from bot.jobs import Job, execute
    from bot.replies import card_embed

    argument = "\n".join(t for _, t in corpus("argument"))
    reading = read(argument)
    head = card_embed(settle_card(reading, "https://discord.com/channels/1/2/3"))[0].to_dict()
    assert "more: look them up with `/claim`" in head["description"]  # over MAX_LISTED
    shown = {c.experiments[0].command: c.experiments[0] for c in CLAIMS}  # each once

    def embed_of(e):
        if e.kind != "explain":
            return card_embed(execute(Job(e.kind, e.job_options() | {"figure": False})))[0]
        # explain cards always draw (slow): bound them by their body's cap, MAX_TEXT
        from bot.cards.explain import tries_text

        t = TOPICS[e.job_options()["topic"]]
        card = Card(
            title=t.title,
            verdict=t.summary,
            body="x" * MAX_TEXT,
            fields=(
                Field("Try it yourself", tries_text(t)),
                Field("References", "\n".join(f"• {r}" for r in t.references)),
            ),
            footer=f"Nonlinear · /explain {t.key} · every number above is computed by the bot's lab",
        )
        return card_embed(card)[0]

    belows = {command: embed_of(e).to_dict() for command, e in shown.items()}
    for claim in CLAIMS:
        below = belows[claim.experiments[0].command]
        verdict = card_embed(claim_card(claim))[0].to_dict()
        for top in (head, verdict):
            assert limits.embed_problems(top) == limits.embed_problems(below) == []
            assert limits.embed_length(top) + limits.embed_length(below) <= limits.EMBED_TOTAL
