print("Run one benchmark:\n"
      "  python -m tests.benchmarks.ledger | tests.benchmarks.scanning | tests.benchmarks.printing\n"
      "  python -m tests.server.benchmark --db URL   (the sync benchmark, on a scratch database)")
