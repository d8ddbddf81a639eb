"""Use cases over ports: plain functions ``handler(uow, caller, …)``. Knows the domain, never adapters or ui."""
