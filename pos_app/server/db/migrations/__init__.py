"""Alembic migrations of the server database (a package so that the scripts ship with it)."""
