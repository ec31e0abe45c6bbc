"""Tallies helpers: corpus -> articles -> figures -> comparisons -> charts -> reports."""

__version__ = "0.1.0"
