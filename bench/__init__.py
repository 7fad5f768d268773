"""Benchmarks of the loaders and the dbt build (`python -m bench`, `make bench`); not part of `make test`.

Every target is a ratio of two figures measured in the same run, so a busy machine moves both sides alike.
Results go to bench/results/*.json; `python -m bench.report` turns the newest one into
docs/performance.md.
"""
