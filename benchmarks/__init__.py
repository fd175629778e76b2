"""Benchmarks: `make bench` (python -m benchmarks) prints one line per figure, with how it was measured."""
