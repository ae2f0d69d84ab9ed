"""The lab: small, seeded NumPy experiments. Imports numpy only (no Discord, no matplotlib).

Every public function is deterministic given its arguments (seeds are explicit) and
returns a small frozen dataclass whose numbers the cards show and the tests check.
"""

from bot.errors import UserError

SEED_MAX = 2**31 - 1  # seeds are 0 … 2³¹ − 1, the range Discord's integer options allow


def check_seed(seed: int) -> None:
    """Server-side bound on every seed (the slash commands declare the same one)."""
    if not 0 <= seed <= SEED_MAX:
        raise UserError(f"seed must be between 0 and {SEED_MAX} (got {seed}).")
