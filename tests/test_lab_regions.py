"""/regions' lab against theory: arrangements with known counts, tilings, patterns, bounds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.cards.regions import regions_card
from bot.errors import UserError
from bot.lab.regions import (
    SWEEP_BUDGET,
    SWEEP_DEPTHS,
    Verdict,
    forward,
    init_layers,
    linear_regions,
    montufar_bound,
    one_layer_exact,
    plane_bound,
    regions,
    regions_numbers,
    width_one_bound,
)


def _lines(normals, offsets):
    """One layer whose units' lines are n·x = offset (W rows are the normals)."""
    W = np.array(normals, dtype=float)
    return [(W, -np.array(offsets, dtype=float))]


def _tangents(w, r=0.3, spread=2.44):  # 140 degrees
    """w lines tangent to a circle of radius r: general position, every crossing inside."""
    t = np.linspace(0, spread, w)
    return _lines(np.column_stack([np.cos(t), np.sin(t)]), np.full(w, r))


def _area(V, n):
    """Shoelace area of each polygon (vertices in order)."""
    out = []
    for p, k in zip(V, n, strict=True):
        x, y = p[:k, 0], p[:k, 1]
        out.append(0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))
    return np.array(out)


@pytest.mark.parametrize("w", [1, 2, 3, 5, 8, 12, 20])
def test_lines_in_general_position_through_the_square_give_the_bound(w):
    """All C(w, 2) crossings inside: exactly 1 + w + w(w−1)/2 regions."""
    layers = _tangents(w)
    W, b = layers[0]
    for i in range(w):  # the arrangement is what the test claims it is
        for j in range(i + 1, w):
            p = np.linalg.solve(W[[i, j]], -b[[i, j]])
            assert np.all(np.abs(p) < 1)
    assert len(linear_regions(layers)[1]) == 1 + w + w * (w - 1) // 2 == plane_bound(w)


@pytest.mark.parametrize("w", [1, 2, 7, 30])
def test_parallel_lines_give_w_plus_one(w):
    offsets = np.linspace(-0.9, 0.9, w)
    assert len(linear_regions(_lines([[1.0, 0.3]] * w, offsets))[1]) == w + 1


@pytest.mark.parametrize("w", [2, 3, 10])
def test_lines_through_one_point_give_two_w(w):
    t = np.linspace(0, np.pi, w, endpoint=False)
    layers = _lines(np.column_stack([np.cos(t), np.sin(t)]), np.zeros(w))
    assert len(linear_regions(layers)[1]) == 2 * w


def test_a_line_missing_the_square_cuts_nothing():
    assert len(linear_regions(_lines([[1.0, 0.0], [0.0, 1.0]], [5.0, 0.2]))[1]) == 2


@pytest.mark.fuzz
@given(w=st.integers(1, 64), seed=st.integers(0, 2**31 - 1))
def test_one_layer_count_equals_the_arrangement_formula_and_respects_the_bound(w, seed):
    layers = init_layers(w, 1, seed)[0]
    count = len(linear_regions(layers)[1])
    assert count == one_layer_exact(*layers[0])
    assert count <= plane_bound(w)


@pytest.mark.fuzz
@given(w=st.integers(1, 12), d=st.integers(1, 4), seed=st.integers(0, 2**31 - 1))
def test_regions_tile_the_square_each_with_its_own_activation_pattern(w, d, seed):
    """Areas sum to 4; one point inside each polygon gives a pattern no other polygon has."""
    layers = init_layers(w, d, seed)[0]
    V, n = linear_regions(layers)
    area = _area(V, n)
    assert area.sum() == pytest.approx(4.0, rel=1e-9)
    inner = np.array([p[:k].mean(axis=0) for p, k in zip(V, n, strict=True)])
    pattern = np.concatenate([h > 0 for h in forward_pre(layers, inner)], axis=1)
    assert len({row.tobytes() for row in pattern[area > 1e-9]}) == np.sum(area > 1e-9)
    # a grid can only find as many patterns as there are regions, and finds most of them
    t = np.linspace(-1, 1, 201)
    X = np.stack(np.meshgrid(t, t), -1).reshape(-1, 2)
    on_grid = {row.tobytes() for row in np.concatenate(forward_pre(layers, X), axis=1) > 0}
    assert len(on_grid) <= len(n)


def forward_pre(layers, X):
    """Pre-activations of every layer (an independent forward pass): [(n, w), ...]."""
    out, h = [], X
    for W, b in layers:
        z = h @ W.T + b
        out.append(z)
        h = np.maximum(z, 0)
    return out


def test_forward_matches_the_pre_activations():
    layers = init_layers(5, 3, 1)[0]
    X = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    for h, z in zip(forward(layers, X), forward_pre(layers, X), strict=True):
        assert np.array_equal(h, np.maximum(z, 0))


def test_montufar_and_plane_bounds_closed_forms():
    assert [plane_bound(w) for w in (1, 2, 3, 4, 64)] == [2, 4, 7, 11, 2081]
    assert montufar_bound(4, 1) == 11  # one layer: the plane bound
    assert montufar_bound(4, 3) == 2**4 * 11  # ⌊4/2⌋^(2·2) copies
    assert montufar_bound(64, 6) == 32**10 * 2081


@pytest.mark.parametrize("dataset", ["circle", "moons", "spiral", "xor"])
def test_training_accuracy_adds_up(dataset):
    acc = regions_numbers(8, 2, 0, dataset)["train_accuracy"]
    right, wrong, undecided = (int(part.split()[0]) for part in acc.split(", "))
    assert right + wrong + undecided == 200
    assert right > 120  # brief training beats guessing on every dataset


def test_the_sweep_is_untrained_and_the_same_for_every_shape_and_dataset():
    """What the card says of it: random networks at SWEEP_BUDGET neurons, seeds (seed, k),
    counted untrained, whatever width, depth or dataset was asked for; recounted here."""
    want = []
    for d in SWEEP_DEPTHS:
        nets = [init_layers(SWEEP_BUDGET // d, d, [5, k])[0] for k in range(3)]
        assert all(len(net) == d and net[0][0].shape[0] * d == SWEEP_BUDGET for net in nets)
        want.append(np.mean([len(linear_regions(net)[1]) for net in nets]))
    for width, depth, dataset in [(8, 2, "none"), (3, 5, "spiral"), (24, 1, "circle")]:
        assert regions_numbers(width, depth, 5, dataset)["sweep"] == pytest.approx(want, abs=1e-12)


def test_verdicts_follow_the_bounds():
    assert regions(8, 1, 0, polygons=False).verdict is Verdict.ONE_LAYER
    r = regions(32, 4, 0, polygons=False)
    assert r.verdict is Verdict.FAR_BELOW
    assert 10 * r.numbers["regions"] <= r.numbers["montufar_max"]
    assert regions(1, 3, 0, polygons=False).verdict is Verdict.NOT_FAR  # width 1: no construction


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"width": 0}, "width"),
        ({"width": 65}, "width"),
        ({"depth": 7}, "depth"),
        ({"seed": 2**31}, "seed"),
        ({"dataset": "mnist"}, "dataset"),
    ],
)
def test_bad_options_are_user_errors(kwargs, says):
    with pytest.raises(UserError, match=says):
        regions(**kwargs, polygons=False)


def _chain(cuts):
    """One ReLU unit per layer: h1 = relu(x1 − cuts[0]), h_l = relu(h_{l−1} − (cuts[l−1] −
    cuts[l−2])): layer l switches on at x1 = cuts[l−1], one more strip each."""
    layers = [(np.array([[1.0, 0.0]]), np.array([-cuts[0]]))]
    layers += [(np.array([[1.0]]), np.array([-(b - a)])) for a, b in itertools.pairwise(cuts)]
    return layers


@pytest.mark.parametrize("depth", [2, 4, 6])
def test_one_unit_per_layer_can_add_a_strip_per_layer(depth):
    """Theory: with width 1 every later pre-activation is monotone in z1 = w·x + b, so it
    crosses 0 at most once: each layer adds at most one cut parallel to the first line, at
    most depth + 1 regions, and a chain of shifted ReLUs reaches that."""
    cuts = [-0.6 + 0.2 * k for k in range(depth)]
    assert len(linear_regions(_chain(cuts))[1]) == depth + 1 == width_one_bound(depth)
    for seed in range(20):
        layers = init_layers(1, depth, seed)[0]
        assert len(linear_regions(layers)[1]) <= width_one_bound(depth)


def test_the_card_never_says_deeper_layers_added_regions_they_did_not_add():
    """/regions 1 6 at seed 0: the deeper layers add nothing to the first layer's 2 regions,
    and one unit per layer does have room for more (a strip per layer, see above)."""
    card = regions_card(1, 6, 0, figure=False)
    n = dict(card.numbers)
    assert n["regions"] == n["first_layer"] == "2"
    assert "add the rest" not in card.verdict and "no room for more" not in card.verdict
    assert "added none here" in card.verdict and "at most 7" in card.verdict
