"""The claims people make about neural networks: a catalogue with verdicts, and a matcher.

No Discord and no matplotlib here: `find_claims(text)` reads a message, `CLAIMS` holds
what the bot knows. Cards word the verdicts (bot/cards/claim.py).
"""

from bot.claims.catalogue import BY_ID, CLAIMS, Claim, Experiment, Verdict
from bot.claims.match import Match, find_claims, lookup, search

__all__ = [
    "BY_ID",
    "CLAIMS",
    "Claim",
    "Experiment",
    "Match",
    "Verdict",
    "find_claims",
    "lookup",
    "search",
]
