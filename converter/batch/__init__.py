"""Batch work: issue folders, archives of them, and atomic output files."""
