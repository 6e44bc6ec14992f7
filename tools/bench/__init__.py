"""Benchmarks: TauseStack beside the raw library, in the same run, as ratios (DESIGN.md section 5)."""
