"""A least-recently-used cache of finished cards, bounded in bytes.

Every job is deterministic: the same kind, options and seed give the same card, byte for
byte. So a repeated request (the same /xor linear, a Show code on a fresh reply, a pin of
a popular explanation) can be answered from memory instead of the worker pool.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from bot.cards import Card


def card_size(card: Card) -> int:
    """Bytes a card holds: its image and files, plus its text (roughly one byte a char)."""
    files = sum(len(a.data) for a in (card.image, *card.files) if a is not None)
    text = len(card.title) + len(card.verdict) + len(card.body) + len(card.code) + len(card.footer)
    text += sum(len(f.name) + len(f.value) for f in card.fields)
    return files + text + 512  # the dataclass and dict overhead, roughly


def job_key(kind: str, options: dict[str, Any]) -> tuple:
    """A hashable key for a job: its kind and its options, order-free, floats as floats."""
    return (kind, tuple(sorted((k, v) for k, v in options.items() if v is not None)))


class CardCache:
    """LRU over job keys; evicts the least recently used cards past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple, tuple[Card, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple) -> Card | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item[0]

    def put(self, key: tuple, card: Card) -> None:
        size = card_size(card)
        if size > self.max_bytes:
            return  # larger than the whole cache: keeping it would evict everything else
        if key in self._items:
            self.bytes -= self._items.pop(key)[1]
        self._items[key] = (card, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, freed) = self._items.popitem(last=False)
            self.bytes -= freed
