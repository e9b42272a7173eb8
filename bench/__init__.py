"""Hearth's benchmarks, run against generated data sets in throwaway databases.

`python -m bench.feed` (what `make bench` runs) measures the home feed:
requests per second and latency of GET /home beside GET /healthz on the real
server, the cost of one feed read at two data sizes, and the time to fan a
new post out to ~10,000 followers, on SQLite and PostgreSQL. See
docs/benchmarks.md for the figures and how to read them.
"""
