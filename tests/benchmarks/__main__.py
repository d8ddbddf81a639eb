print("Run one benchmark: python -m tests.benchmarks.ledger | tests.benchmarks.scanning | tests.benchmarks.printing; the sync benchmark: python -m tests.server.benchmark --db URL")
