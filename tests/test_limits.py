"""Limits against abuse and the card cache, end to end through the sandbox."""

from __future__ import annotations

import json
import logging
import re
import time

from bot.sandbox.harness import running
from bot.settings import Settings


async def test_a_flood_from_one_user_is_refused_privately_with_the_wait(pool, tmp_path):
    settings = Settings(workers=2, state_dir=tmp_path, cooldown_rate=2, cooldown_per_s=60)
    async with running(settings, pool=pool) as h:
        started = time.monotonic()  # the window opens with the first command
        first = await h.driver.invoke("/xor linear")
        second = await h.driver.invoke("/collapse 2")
        third = await h.driver.invoke("/collapse 3")
        elapsed = time.monotonic() - started
        other = await h.driver.invoke("/collapse 3", user="moderator")  # someone else: fine
        assert not h.sandbox.violations
    assert not first.ephemeral and not second.ephemeral and not other.ephemeral
    assert third.ephemeral and third.embed is None
    assert "at most 2 experiments per 60 s" in third.content
    wait = int(re.search(r"Try again in (\d+) s\.", third.content)[1])
    assert 60 - elapsed - 1 <= wait <= 60  # what is left of the 60 s window, rounded up


async def test_a_repeated_request_comes_from_the_cache_with_the_same_card(harness, caplog):
    with caplog.at_level(logging.INFO, logger="nonlinear.commands"):
        first = await harness.driver.invoke("/collapse 5 seed:3")
        again = await harness.driver.invoke("/collapse 5 seed:3")
        code = await harness.driver.click(again, "Show code")
    assert again.embed == first.embed and again.files == first.files
    lines = [json.loads(r.getMessage()) for r in caplog.records]
    assert [line["cache_hit"] for line in lines] == [False, True]  # one line per command
    assert {line["command"] for line in lines} == {"collapse"}
    assert all(line["outcome"] == "ok" and line["final_ms"] >= line["ack_ms"] for line in lines)
    assert harness.bot.cache.hits == 2  # the repeat, and Show code reusing the full card
    assert "python" in code.content
