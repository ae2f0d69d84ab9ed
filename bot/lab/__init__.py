"""The lab: small, seeded NumPy experiments. Imports numpy only (no Discord, no matplotlib).

Every public function is deterministic given its arguments (seeds are explicit) and
returns a small frozen dataclass whose numbers the cards show and the tests check.
"""
