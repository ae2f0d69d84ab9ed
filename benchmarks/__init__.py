"""Benchmarks: `make bench` (python -m benchmarks). Medians of repeated runs."""
