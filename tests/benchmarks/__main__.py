print("Run one benchmark: python -m tests.benchmarks.ledger")
