"""A synthetic county in exactly the core-bank extract formats, for demos, tests and benchmarks."""
