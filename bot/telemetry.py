"""One structured log line per command, and optional Prometheus metrics.

Every answered interaction ends in `Telemetry.record`: a single JSON log line (command,
options, guild, latency, cache hit, outcome; never the token or user text beyond the
options they typed) and, when METRICS_PORT is set, Prometheus counters and histograms
served on that port (`prometheus-client`, an optional extra).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("nonlinear.commands")

OUTCOMES = ("ok", "user_error", "refused", "timeout", "error")
LATENCY_BUCKETS = (0.03, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)


@dataclass(frozen=True)
class Event:
    command: str  # "xor mlp", or "button:seed xor.mlp"
    options: dict[str, Any]
    guild_id: int | None
    ack_ms: float  # until Discord was first answered (a reply or a deferral)
    final_ms: float  # until the result was sent
    cache_hit: bool
    outcome: str  # one of OUTCOMES

    def line(self) -> str:
        data = {
            "command": self.command,
            "options": self.options,
            "guild": self.guild_id,
            "ack_ms": round(self.ack_ms, 1),
            "final_ms": round(self.final_ms, 1),
            "cache_hit": self.cache_hit,
            "outcome": self.outcome,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


class Telemetry:
    """Logs each event; also counts it in Prometheus once `serve(port)` has been called."""

    def __init__(self) -> None:
        self._metrics: dict[str, Any] | None = None

    def serve(self, port: int, addr: str = "127.0.0.1") -> None:
        """Expose /metrics on addr:port (loopback by default: put a proxy in front to share)."""
        import prometheus_client as prom  # optional extra

        registry = prom.CollectorRegistry()
        self._metrics = {
            "replies": prom.Counter(
                "nonlinear_replies",
                "Answered interactions",
                ["command", "outcome"],
                registry=registry,
            ),
            "latency": prom.Histogram(
                "nonlinear_latency_seconds",
                "Time to the final reply",
                ["command"],
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            "ack": prom.Histogram(
                "nonlinear_ack_seconds",
                "Time to the first answer",
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            "cache": prom.Counter(
                "nonlinear_cache_hits", "Replies answered from the card cache", registry=registry
            ),
            "queue": prom.Gauge(
                "nonlinear_queue_depth", "Experiments waiting or running", registry=registry
            ),
        }
        prom.start_http_server(port, addr=addr, registry=registry)
        log.info("metrics on http://%s:%d/metrics", addr, port)

    def queue_depth(self, n: int) -> None:
        if self._metrics:
            self._metrics["queue"].set(n)

    def record(self, event: Event) -> None:
        log.info("%s", event.line())
        m = self._metrics
        if m:
            m["replies"].labels(event.command, event.outcome).inc()
            m["latency"].labels(event.command).observe(event.final_ms / 1000)
            m["ack"].observe(event.ack_ms / 1000)
            if event.cache_hit:
                m["cache"].inc()
