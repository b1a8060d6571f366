"""Readers: one module per input format, each turning a source file into numbered lines."""
