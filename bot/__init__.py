"""Nonlinear: a Discord bot that settles neural-network arguments with seeded NumPy experiments."""

__version__ = "0.1.0"
