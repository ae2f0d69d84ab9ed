"""The lab: small, seeded NumPy experiments. Imports numpy only (no Discord, no matplotlib).

Every public function is deterministic given its arguments (seeds are explicit) and
returns a small frozen dataclass whose numbers the cards show and the tests check.
"""

from collections.abc import Callable

from bot.errors import UserError
from bot.options import SEED_MAX  # the one table of option bounds


def check_seed(seed: int) -> None:
    """Server-side bound on every seed (the slash commands declare the same one)."""
    if not 0 <= seed <= SEED_MAX:
        raise UserError(f"seed must be between 0 and {SEED_MAX} (got {seed}).")


def check_batch(seed: int, seeds: int) -> None:
    """A batch runs seeds seed … seed + seeds − 1: every one of them must be a seed."""
    check_seed(seed)
    if seed + seeds - 1 > SEED_MAX:
        raise UserError(
            f"seeds {seed}–{seed + seeds - 1} go past the largest seed, {SEED_MAX}: with "
            f"{seeds} seeds the first seed can be at most {SEED_MAX - seeds + 1}."
        )


def largest(fits: Callable[[int], bool], low: int, high: int) -> int:
    """The largest n in low … high with fits(n), when fits holds up to some n and fails
    after it; low − 1 when none fits. A budget's refusal states this number, and the check
    that refused is the very `fits`: that many is accepted, one more is not."""
    while low <= high:  # every n < low fits, no n > high does
        mid = (low + high) // 2
        if fits(mid):
            low = mid + 1
        else:
            high = mid - 1
    return high
