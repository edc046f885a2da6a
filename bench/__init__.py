"""Benchmarks at scale: ``python -m bench`` (or ``make bench``) runs them all and writes
docs/performance.md.  Raw results go to bench/results/ (not committed)."""
