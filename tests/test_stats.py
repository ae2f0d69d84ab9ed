"""/xor stats: success counts against per-seed training, failure causes against theory,
bounds, the verdict's rules, and the card's numbers against its Show-code script."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.stats import stats_card
from bot.errors import UserError
from bot.lab import mlp
from bot.lab import stats as lab
from bot.lab.activations import REGISTRY
from bot.lab.batch import train_batch
from bot.lab.xor import X, Y
from tests.scripts import run_script


def _solved_by_mlp(name: str, hidden: int, seed: int, epochs: int) -> bool:
    p = np.array(mlp.train_mlp(REGISTRY[name], hidden, seed, epochs, 1.0).outputs)
    return bool(np.all(np.where(Y > 0.5, p - 0.5 >= 1e-9, 0.5 - p >= 1e-9)))


def causes_of(act, run, epochs, lr):
    """lab.failure_causes for a train_batch run made with loss_at=lab.loss_epochs(epochs)."""
    return lab.failure_causes(
        act.df,
        run["z1"],
        act.f(run["z1"]),
        run["grad_norm"],
        run["diverged_at"],
        run["loss_at"],
        epochs,
        lr,
    )


@pytest.mark.parametrize(("name", "hidden"), [("tanh", 2), ("relu", 2), ("sigmoid", 3)])
def test_success_counts_match_seed_by_seed_training(name, hidden):
    """The batch's count equals the count of the independent per-seed trainer's wins."""
    act = REGISTRY[name]
    values = lab.xor_stats_numbers(act.f, act.df, name, (hidden,), 40, 300, 1.0, "normal")
    wins = sum(_solved_by_mlp(name, hidden, s, 300) for s in range(40))
    assert values[f"{name} H={hidden} @300 solved"] == wins
    assert values[f"{name} H={hidden} @30 solved"] == sum(
        _solved_by_mlp(name, hidden, s, 30) for s in range(40)
    )
    rate = wins / 40
    assert values[f"{name} H={hidden} @300 se"] == pytest.approx(math.sqrt(rate * (1 - rate) / 40))


def test_outputs_at_one_half_are_undecided_not_right():
    p = np.array([0.2, 0.9, 0.9, 0.1])[:, None] * np.ones((1, 4))  # (4, S)
    p[1, 1] = 0.5  # exactly undecided
    p[2, 2] = 0.5 + 1e-10  # within the margin
    p[0, 3] = 0.5 - 2e-9  # decided, right side
    assert list(lab.solved(p)) == [True, False, False, True]


@pytest.mark.parametrize("name", ["identity", "linear_squash"])
def test_linear_hidden_units_never_solve_xor(name):
    """Theory: a network of linear units is one line, and no line classifies XOR."""
    card = stats_card("2,8", name, 30, 300, 1.0, "glorot", figure=False)
    solved = [int(v) for k, v in card.numbers if k.endswith(" solved")]
    assert solved and not any(solved)
    assert card.verdict.startswith("Linear hidden units")


@pytest.mark.parametrize("name", ["relu", "tanh", "sigmoid", "leaky_relu"])
def test_one_monotone_hidden_unit_is_called_impossible_not_short_of_epochs(name):
    """Theory: with one hidden unit, σ(v·f(w·x + b) + c) > ½ is a half-plane when f is
    monotone, and no half-plane classifies XOR. The card says so, and never blames the
    budget; the settings where a solution exists carry the failure breakdown."""
    card = stats_card("1", name, 20, 1, 1.0, "normal", figure=False)  # 1 epoch: all "moving"
    solved = [int(v) for k, v in card.numbers if k.endswith(" solved")]
    assert solved and not any(solved)
    assert "no seed can solve" in card.verdict and "more epochs" not in card.verdict
    mixed = stats_card("1,8", name, 30, 300, 1.0, "normal", figure=False)
    assert "One monotone hidden unit draws a single line" in mixed.verdict
    label = REGISTRY[name].label
    assert f"{label} with 1 hidden unit solved 0 of 30 seeds, as theory says" in mixed.verdict
    assert f"with {label}, 1 →" not in mixed.verdict  # sizes are compared where a solution exists


def test_one_non_monotone_unit_can_solve_xor_and_is_not_called_impossible():
    """A sine unit's superlevel set is many intervals: one unit can separate XOR."""
    card = stats_card("1", "sin", 100, 300, 1.0, "normal", figure=False)
    assert any(int(v) for k, v in card.numbers if k.endswith(" solved"))
    assert "cannot" not in card.verdict and "no seed can" not in card.verdict


def test_step_units_fail_as_dead_units():
    """Theory: f' = 0 everywhere for the step, so every unit counts as dead and W1 never moves."""
    act = REGISTRY["step"]
    values = lab.xor_stats_numbers(act.f, act.df, "step", (2,), 30, 50, 1.0, "normal")
    assert values["step H=2 dead"] == values["step H=2 failed"] > 0


def test_a_stationary_point_is_a_plateau_and_a_dead_relu_is_dead():
    """All-zero weights: by symmetry every gradient is exactly 0 and p = ½ (undecided).
    ReLU with w·x + b < 0 on every corner: f' = 0 there, the unit is dead."""
    tanh, relu = REGISTRY["tanh"], REGISTRY["relu"]
    zeros = (np.zeros((2, 2, 1)), np.zeros((2, 1)), np.zeros((2, 1)), np.zeros(1))
    run = train_batch(
        tanh.f,
        tanh.df,
        X,
        Y,
        "bce",
        2,
        [0],
        5,
        1.0,
        "normal",
        start=zeros,
        loss_at=lab.loss_epochs(5),
    )
    assert run["grad_norm"][0] == 0 and np.all(run["out"] == 0.5)
    causes = causes_of(tanh, run, 5, 1.0)
    assert [bool(c[0]) for c in causes] == [False, True, False, False, False]  # plateau
    W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])[..., None]
    b1 = np.array([[-0.5], [0.0]])
    start = (W1, b1, np.array([[1.0], [1.0]]), np.zeros(1))
    run = train_batch(
        relu.f,
        relu.df,
        X,
        Y,
        "bce",
        2,
        [0],
        3,
        1.0,
        "normal",
        start=start,
        loss_at=lab.loss_epochs(3),
    )
    assert np.all(run["z1"][:, 0, 0] < 0)
    causes = causes_of(relu, run, 3, 1.0)
    assert [bool(c[0]) for c in causes] == [True, False, False, False, False]
    diverged = lab.failure_causes(
        relu.df, run["z1"], relu.f(run["z1"]), np.zeros(1), np.array([4]), run["loss_at"], 3, 1.0
    )
    assert [bool(c[0]) for c in diverged] == [False, False, True, False, False]


def test_more_hidden_units_make_success_nearly_certain():
    """The domain fact the verdict words: 2-2-1 tanh fails often, 2-8-1 almost never."""
    st_, _ = lab.xor_stats(("tanh",), (2, 8), 200, 2000, 1.0, "normal")
    narrow, wide = st_.settings
    assert 0.3 < narrow.rate[-1] < 0.7
    assert wide.rate[-1] > 0.98
    assert [w.change for w in st_.verdict.widths] == ["helps"] and st_.verdict.nearly_certain


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: lab.parse_sizes("0,2"), "1 to 16"),
        (lambda: lab.parse_sizes("2,x"), "1 to 16"),
        (lambda: lab.parse_sizes(" , "), "at least one"),
        (lambda: lab.parse_sizes("1,2,3,4,5,6,7"), "at most 6"),
        (lambda: lab.parse_activations("tanh,nonsense"), "unknown activation"),
        (lambda: lab.parse_activations("x*sin(x)"), "unknown activation"),
        (lambda: lab.check_options(("tanh",), (2,), 5, 100, 1.0, "normal"), "seeds"),
        (lambda: lab.check_options(("tanh",), (2,), 100, 100, 1.0, "lecun"), "init"),
        (lambda: lab.check_options(("tanh",), (2,), 100, 100, 50.0, "normal"), "lr"),
        (lambda: lab.check_options(("tanh",), (2,), 100, 0, 1.0, "normal"), "epochs"),
        (lambda: lab.check_options(("tanh", "relu"), (16, 15), 2000, 5000, 1.0, "he"), "at most"),
    ],
)
def test_bad_options_are_refused_with_what_is_allowed(call, says):
    with pytest.raises(UserError, match=says):
        call()


def test_the_budget_weighs_each_activation_and_names_the_most_epochs_allowed():
    """Every activation has a cost (exact GELU is the dearest: math.erf point by point); the
    default run fits; past the budget the refusal names the largest epochs that fit, and
    that many are accepted."""
    from bot.lab.activations import REGISTRY

    assert set(lab.COST) == set(REGISTRY)
    assert max(lab.COST, key=lab.COST.get) == "gelu"
    lab.check_options(("tanh", "relu"), (2, 4, 8), 1000, 2000, 1.0, "normal")  # the default
    with pytest.raises(UserError, match=r"at most (\d+) epochs \(got 5000\)") as caught:
        lab.check_options(("gelu",), (16,), 2000, 5000, 1.0, "normal")
    most = int(caught.value.message.split("at most ")[1].split()[0])
    assert most == int(lab.BUDGET // (lab.COST["gelu"] * 18 * 1.5 * 2000))  # 1 + 16·2000/64000
    lab.check_options(("gelu",), (16,), 2000, most, 1.0, "normal")
    with pytest.raises(UserError, match="at most"):
        lab.check_options(("gelu",), (16,), 2000, most + 1, 1.0, "normal")
    assert "5000 epochs allow at most" in caught.value.message


def test_a_refusal_says_when_even_the_fewest_seeds_are_too_many():
    """The four dearest activations at 14-16 units: 10 seeds for 5000 epochs cost
    (45 + 14 + 14 + 8.5) · 51 · 10 · 5000 > 8.5e7, so no seeds count is offered."""
    dear, sizes = ("gelu", "mish", "gelu_tanh", "silu"), (16, 15, 14)
    assert _cost(dear, sizes, 10, 5000) > lab.BUDGET
    with pytest.raises(UserError) as caught:
        lab.check_options(dear, sizes, 100, 5000, 1.0, "normal")
    assert "at 5000 epochs even the fewest seeds (10) are too many" in caught.value.message
    assert "seeds (got" not in caught.value.message


def _cost(names, sizes, seeds, epochs):
    """The budget's formula, written out again: Σ COST · (H + 2) · (1 + H·S/64000) · S · E."""
    return sum(
        lab.COST[n] * (h + 2) * (1 + h * seeds / 64000) * seeds * epochs
        for n in names
        for h in sizes
    )


@pytest.mark.parametrize(
    ("names", "sizes", "seeds", "epochs"),
    [
        (("tanh", "relu"), (2, 4, 8, 16), 2000, 5000),
        (("silu",), (2, 8), 1500, 3000),
        (("tanh", "relu", "sigmoid", "sin"), (16, 8, 4), 1000, 2500),
    ],
)
def test_a_refusal_over_budget_names_the_most_seeds_too_and_both_are_exact(
    names, sizes, seeds, epochs
):
    """Many settings or seeds: besides the most epochs at the seeds asked, the refusal names
    the most seeds at the epochs asked. Each number is accepted, one more is refused, and
    each agrees with the budget's formula computed here."""
    with pytest.raises(UserError) as caught:
        lab.check_options(names, sizes, seeds, epochs, 1.0, "normal")
    text = caught.value.message
    most_epochs = int(
        re.search(rf"{seeds} seeds allow at most (\d+) epochs \(got {epochs}\)", text)[1]
    )
    most_seeds = int(
        re.search(rf"{epochs} epochs allow at most (\d+) seeds \(got {seeds}\)", text)[1]
    )
    assert 10 <= most_seeds < seeds and 1 <= most_epochs < epochs
    lab.check_options(names, sizes, seeds, most_epochs, 1.0, "normal")
    lab.check_options(names, sizes, most_seeds, epochs, 1.0, "normal")
    for more in ((seeds, most_epochs + 1), (most_seeds + 1, epochs)):
        with pytest.raises(UserError, match="too much training"):
            lab.check_options(names, sizes, *more, 1.0, "normal")
    assert (
        _cost(names, sizes, seeds, most_epochs)
        <= lab.BUDGET
        < _cost(names, sizes, seeds, most_epochs + 1)
    )
    assert (
        _cost(names, sizes, most_seeds, epochs)
        <= lab.BUDGET
        < _cost(names, sizes, most_seeds + 1, epochs)
    )
    assert len(text) < 300


def test_lists_are_read_leniently():
    assert lab.parse_sizes("2, 4;8+8") == (2, 4, 8)
    assert lab.parse_activations("Tanh,swish, relu") == ("tanh", "silu", "relu")


def _check_invariants(card, seeds):
    pairs = dict(card.numbers)
    texts = [card.verdict, card.fields[0].value, card.fields[1].value, *pairs.values()]
    assert not any(re.search(r"\b(nan|inf)\b", t) for t in texts)
    for key, text in pairs.items():
        if key.endswith(" failed"):
            setting = key.removesuffix(" failed")
            last = max(
                int(k.split("@")[1].split()[0]) for k in pairs if k.startswith(setting + " @")
            )
            solved = int(pairs[f"{setting} @{last} solved"])
            assert solved + int(text) == seeds
            causes = sum(int(pairs[f"{setting} {c}"]) for c in lab.CAUSES)
            assert causes == int(text)


names = st.sampled_from(sorted(REGISTRY))


@pytest.mark.fuzz
@given(
    acts=st.lists(names, min_size=1, max_size=2, unique=True),
    sizes=st.lists(st.integers(1, 16), min_size=1, max_size=2, unique=True),
    seeds=st.integers(10, 30),
    epochs=st.integers(1, 40),
    lr=st.sampled_from([1e-4, 0.1, 1.0, 3.7, 10.0]),
    init=st.sampled_from(lab.INITS),
)
def test_show_code_prints_the_card_numbers(tmp_path_factory, acts, sizes, seeds, epochs, lr, init):
    card = stats_card(
        ",".join(map(str, sizes)), ",".join(acts), seeds, epochs, lr, init, figure=False
    )
    _check_invariants(card, seeds)
    assert run_script(card.code, tmp_path_factory.mktemp("s")) == list(card.numbers)


def test_stats_and_learnable_jobs_fit_a_custom_id_and_round_trip():
    from bot import jobspec
    from bot.jobs import Job

    jobs = [
        Job(
            "xor.stats",
            {
                "sizes": "2+4+8+16",
                "activations": "tanh+relu+sigmoid+sin",
                "seeds": 2000,
                "epochs": 5000,
                "lr": 0.0001,
                "init": "glorot",
            },
        ),
        Job(
            "learnable",
            {
                "kind": "sine_phase",
                "task": "step",
                "hidden": 16,
                "seeds": 1000,
                "epochs": 5000,
                "lr": 0.0001,
                "init": "normal",
            },
        ),
    ]
    for job in jobs:
        spec = jobspec.encode(job)
        assert len("nl:code:" + spec) <= 100
        assert jobspec.decode(spec) == job


def test_the_base_seed_picks_the_batch():
    """seed=7, seeds=10 trains seeds 7 … 16: its count is the sum of those single runs."""
    from bot.lab.stats import solved, xor_stats_numbers

    tanh = REGISTRY["tanh"]
    values = xor_stats_numbers(tanh.f, tanh.df, "tanh", (2,), 10, 50, 1.0, "normal", seed=7)
    singles = [
        train_batch(tanh.f, tanh.df, X, Y, "bce", 2, [s], 50, 1.0, "normal")["out"]
        for s in range(7, 17)
    ]
    assert values["tanh H=2 @50 solved"] == sum(int(solved(p)[0]) for p in singles)
    shifted = xor_stats_numbers(tanh.f, tanh.df, "tanh", (2,), 10, 50, 1.0, "normal", seed=0)
    assert shifted["tanh H=2 @50 solved"] == sum(
        int(solved(train_batch(tanh.f, tanh.df, X, Y, "bce", 2, [s], 50, 1.0, "normal")["out"])[0])
        for s in range(10)
    )


def test_a_batch_must_end_at_or_below_the_largest_seed():
    """Seeds seed … seed + seeds − 1 are all seeds (0 … 2³¹ − 1): the largest first seed
    for S seeds is 2³¹ − S, accepted; one more is refused and the refusal names it."""
    lab.check_options(("tanh",), (2,), 10, 5, 1.0, "normal", seed=2**31 - 10)
    with pytest.raises(UserError, match=r"the first seed can be at most 2147483638\.") as caught:
        lab.check_options(("tanh",), (2,), 10, 5, 1.0, "normal", seed=2**31 - 9)
    assert "seeds 2147483639–2147483648 go past the largest seed, 2147483647" in str(caught.value)


def _bce_tail(seed: int, hidden: int, epochs: int, lr: float) -> tuple[np.ndarray, float, bool]:
    """An independent 2-H-1 tanh trainer (plain loops, BCE, the normal init): the loss at
    each of the last 11 epochs, the final gradient norm, and whether XOR was solved."""
    rng = np.random.default_rng(seed)
    W1, W2 = rng.normal(size=(2, hidden)), rng.normal(size=hidden) / np.sqrt(hidden)
    b1, b2 = np.zeros(hidden), 0.0
    losses = []
    for t in range(epochs + 1):
        h = np.tanh(X @ W1 + b1)
        z2 = h @ W2 + b2
        losses.append(np.mean(np.logaddexp(0, -(2 * Y - 1) * z2)))
        d2 = (1 / (1 + np.exp(-z2)) - Y) / 4
        d1 = np.outer(d2, W2) * (1 - h**2)
        grads = (X.T @ d1, d1.sum(0), h.T @ d2, d2.sum())
        if t < epochs:
            W1, b1, W2, b2 = (w - lr * g for w, g in zip((W1, b1, W2, b2), grads, strict=True))
    norm = math.sqrt(sum(float(np.sum(np.square(g))) for g in grads))
    p = 1 / (1 + np.exp(-z2))
    solved = bool(np.all(np.where(Y > 0.5, p - 0.5 >= 1e-9, 0.5 - p >= 1e-9)))
    return np.array(losses[-11:]), norm, solved


def test_a_loss_that_bounces_is_not_called_still_descending():
    """At lr 10 most 2-2-1 tanh runs end in a cycle: the loss goes up and down (checked
    with an independent trainer), so they are counted as bouncing, not as still moving,
    and the card advises a smaller lr, not more epochs (as /xor mlp does for each seed)."""
    act = REGISTRY["tanh"]
    values = lab.xor_stats_numbers(act.f, act.df, "tanh", (2,), 10, 2000, 10.0, "normal")
    bouncing = moving = 0
    for s in range(10):
        tail, norm, solved = _bce_tail(s, 2, 2000, 10.0)
        if solved or norm < lab.PLATEAU:
            continue  # a solved run or a plateau: neither case is at stake here
        rose = bool(np.any(np.diff(tail) > 1e-9 * tail[1:]))
        bouncing += rose
        moving += not rose
    assert bouncing >= 5
    assert values["tanh H=2 bouncing"] == bouncing
    assert values["tanh H=2 moving"] == moving
    card = stats_card("2", "tanh", 10, 2000, 10.0, "normal", figure=False)
    assert "smaller lr" in card.verdict and "more epochs" not in card.verdict


# /xor mlp's advice for one seed, and the cause /xor stats must count that seed under
SAME_CAUSE = {
    "smaller lr": "bouncing",  # the loss goes up and down
    "smaller lr (flat loss, large gradient)": "bouncing",  # steps jump across a valley
    "another seed or more units": "plateau",  # a tiny gradient
    "more epochs": "moving",  # the loss still falling at the end
}


@pytest.mark.parametrize(
    ("name", "lr", "seeds"), [("relu", 1.0, range(0, 64)), ("tanh", 10.0, range(10))]
)
def test_each_failure_has_the_cause_xor_mlp_gives_the_same_seed(name, lr, seeds):
    """/xor stats and /xor mlp read the same run alike: a seed /xor stats counts as a
    plateau is one /xor mlp calls stuck on a plateau, never 'still moving' (relu seeds 0,
    48 and 63 end with ‖∇L‖ between 1e-3 and 1e-2 and a loss that rose over the last
    tenth: not descending). Seeds with a dead unit are left out: /xor mlp words those by
    what the live units can still reach."""
    act = REGISTRY[name]
    run = train_batch(
        act.f, act.df, X, Y, "bce", 2, seeds, 2000, lr, "normal", loss_at=lab.loss_epochs(2000)
    )
    causes = causes_of(act, run, 2000, lr)
    failed = ~lab.solved(run["out"])
    checked = 0
    for i, s in enumerate(seeds):
        cause = lab.CAUSES[[bool(c[i]) for c in causes].index(True)]
        if not failed[i] or cause == "dead":
            continue
        advice = mlp.train_mlp(act, 2, s, 2000, lr).verdict.advice.value
        assert SAME_CAUSE.get(advice, advice) == cause, (s, advice, cause)
        checked += 1
    assert checked >= 3


def test_runs_too_slow_at_the_lowest_lr_are_told_a_larger_lr_as_xor_mlp_says():
    """At lr 0.0001 the runs are still descending after 100 epochs; /xor mlp tells each of
    these seeds to try a larger lr (lr at the bottom of its range), and /xor stats says the
    same instead of only 'more epochs'."""
    act = REGISTRY["tanh"]
    advice = {mlp.train_mlp(act, 2, s, 100, 0.0001).verdict.advice.value for s in range(10)}
    assert advice == {"larger lr"}
    card = stats_card("2", "tanh", 10, 100, 0.0001, "normal", figure=False)
    assert "try a larger lr" in card.verdict
    # 0.0001 is the lowest lr allowed, 0.001 is not: the bottom decade, with the real bounds
    slow = stats_card("2", "tanh", 10, 100, 0.001, "normal", figure=False).verdict
    assert "at the bottom of its range" not in slow
    assert "bottom decade of its range (at most 0.001; the range is 0.0001 to 10)" in slow
