"""Thin adapters from slash commands to jobs: options, bounds, and the reply. No math here."""
