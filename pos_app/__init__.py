"""pos_app: an offline-first gift-card till and its central server."""

__version__ = "0.1.0"
