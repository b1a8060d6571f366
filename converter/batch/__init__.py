"""Batch work: issue folders, archives of them, output placement, and what a run reports."""
