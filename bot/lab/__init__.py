"""The lab: small, seeded NumPy experiments. Imports numpy only (no Discord, no matplotlib).

Every public function is deterministic given its arguments (seeds are explicit) and
returns a small frozen dataclass whose numbers the cards show and the tests check.
"""

from bot.errors import UserError
from bot.options import SEED_MAX  # the one table of option bounds


def check_seed(seed: int) -> None:
    """Server-side bound on every seed (the slash commands declare the same one)."""
    if not 0 <= seed <= SEED_MAX:
        raise UserError(f"seed must be between 0 and {SEED_MAX} (got {seed}).")
