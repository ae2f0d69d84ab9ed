"""The admission limits and the card cache, on their own (the wiring is tested end to end)."""

from __future__ import annotations

import pytest

from bot.admission import Admission, Limits
from bot.cache import CardCache, card_size, job_key
from bot.cards import Attachment, Card
from bot.errors import UserError


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def enter(adm: Admission, *args) -> None:
    with adm.admit(*args):
        pass


def test_a_burst_passes_then_the_user_waits_exactly_the_window():
    clock = Clock()
    adm = Admission(Limits(rate=3, per=30.0), clock)
    for _ in range(3):
        enter(adm, 1, 10)
    with pytest.raises(UserError, match=r"Try again in 30 s"):
        enter(adm, 1, 10)
    enter(adm, 2, 10)  # another user is not slowed by the first
    clock.t += 12
    with pytest.raises(UserError, match=r"Try again in 18 s"):
        enter(adm, 1, 10)
    clock.t += 18.5
    enter(adm, 1, 10)


def test_many_users_do_not_grow_memory_and_a_busy_user_is_still_limited():
    from bot.admission import PRUNE_AT

    clock = Clock()
    adm = Admission(Limits(rate=2, per=30.0, per_guild=10**6, queue=10**6), clock)
    enter(adm, 1, 10)
    enter(adm, 1, 10)  # user 1 has used the burst
    for uid in range(2, PRUNE_AT + 10):  # all inside the window: nobody may be forgotten
        enter(adm, uid, 10)
    assert len(adm._buckets) == PRUNE_AT + 9
    with pytest.raises(UserError, match="Try again in 30 s"):
        enter(adm, 1, 10)
    clock.t += 31  # every window has passed: the next newcomer prunes the rested buckets
    enter(adm, 10**9, 10)
    assert list(adm._buckets) == [10**9]
    for uid in range(3 * PRUNE_AT):  # a stream of one-off users stays bounded
        enter(adm, uid, 10)
        clock.t += 0.02
    assert len(adm._buckets) <= PRUNE_AT


def test_the_exempt_role_skips_the_cooldown_but_not_the_caps():
    adm = Admission(Limits(rate=1, per=60.0, per_guild=2, exempt_role=77), Clock())
    for _ in range(5):
        enter(adm, 1, 10, (5, 77))
    with adm.admit(1, 10, (77,)), adm.admit(2, 10, (77,)):
        with pytest.raises(UserError, match="2 experiments are already running in this server"):
            enter(adm, 3, 10, (77,))
        enter(adm, 3, 11)  # another server has its own cap
    assert adm.running == 0 and adm._per_guild == {}


def test_the_global_queue_is_bounded_and_released_on_errors():
    adm = Admission(Limits(rate=100, queue=2, per_guild=100), Clock())
    with adm.admit(1, None), adm.admit(2, None), pytest.raises(UserError, match="busy"):
        enter(adm, 3, None)
    with pytest.raises(ZeroDivisionError), adm.admit(4, 9):
        raise ZeroDivisionError
    assert adm.running == 0 and adm._per_guild == {}


def _card(n: int, image: int = 0) -> Card:
    return Card(
        title=f"t{n}", verdict="v", image=Attachment("a.png", b"x" * image) if image else None
    )


def test_cache_keeps_the_most_recently_used_within_its_bytes():
    one = card_size(_card(0, 1000))
    cache = CardCache(max_bytes=3 * one)
    keys = [job_key("k", {"seed": s, "lr": 1.0}) for s in range(4)]
    for i, k in enumerate(keys[:3]):
        cache.put(k, _card(i, 1000))
    assert cache.get(keys[0]).title == "t0"  # touch 0: now 1 is the oldest
    cache.put(keys[3], _card(3, 1000))
    assert cache.get(keys[1]) is None
    assert [cache.get(k).title for k in (keys[0], keys[2], keys[3])] == ["t0", "t2", "t3"]
    assert cache.bytes == 3 * one and len(cache) == 3
    assert (cache.hits, cache.misses) == (4, 1)


def test_cache_ignores_a_card_larger_than_itself_and_replaces_in_place():
    cache = CardCache(max_bytes=2000)
    cache.put(("a",), _card(1, 100))
    cache.put(("b",), _card(2, 5000))
    assert cache.get(("b",)) is None and len(cache) == 1
    cache.put(("a",), _card(3, 200))
    assert cache.get(("a",)).title == "t3" and cache.bytes == card_size(_card(3, 200))


def test_job_keys_ignore_option_order_and_unset_options():
    assert job_key("x", {"a": 1, "b": None, "c": 2.0}) == job_key("x", {"c": 2.0, "a": 1})
    assert job_key("x", {"a": 1}) != job_key("x", {"a": 2})
