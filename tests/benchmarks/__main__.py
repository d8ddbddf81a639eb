print("Run one benchmark: python -m tests.benchmarks.ledger | python -m tests.benchmarks.scanning")
