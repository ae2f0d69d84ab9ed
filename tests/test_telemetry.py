"""A command's log line is one JSON object; the metrics endpoint counts what happened."""

from __future__ import annotations

import json
import logging
import socket
import urllib.request

from bot.telemetry import Event, Telemetry


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


EVENT = Event(
    command="xor mlp",
    options={"hidden": 2, "lr": 1.0},
    guild_id=42,
    ack_ms=12.34,
    final_ms=345.67,
    cache_hit=False,
    outcome="ok",
)


def test_one_json_line_per_command(caplog):
    with caplog.at_level(logging.INFO, logger="nonlinear.commands"):
        Telemetry().record(EVENT)
    (rec,) = caplog.records
    assert json.loads(rec.getMessage()) == {
        "command": "xor mlp",
        "options": {"hidden": 2, "lr": 1.0},
        "guild": 42,
        "ack_ms": 12.3,
        "final_ms": 345.7,
        "cache_hit": False,
        "outcome": "ok",
    }


def test_metrics_endpoint_counts_replies_latency_and_cache_hits():
    t = Telemetry()
    port = _free_port()
    t.serve(port)
    t.record(EVENT)
    t.record(Event(**{**EVENT.__dict__, "cache_hit": True, "final_ms": 5.0}))
    t.record(Event(**{**EVENT.__dict__, "outcome": "refused"}))
    t.queue_depth(3)
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'nonlinear_replies_total{command="xor mlp",outcome="ok"} 2.0' in text
    assert 'nonlinear_replies_total{command="xor mlp",outcome="refused"} 1.0' in text
    assert "nonlinear_cache_hits_total 1.0" in text
    assert "nonlinear_queue_depth 3.0" in text
    assert 'nonlinear_latency_seconds_bucket{command="xor mlp",le="0.03"} 1.0' in text
    assert 'nonlinear_latency_seconds_count{command="xor mlp"} 3.0' in text
