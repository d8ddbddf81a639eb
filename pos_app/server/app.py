"""The central server's web application: :func:`create_app` wires a database into the API.

Stateless: everything lives in the database, so several ``pos-server serve`` processes (or uvicorn workers) can
serve one PostgreSQL database (or one SQLite file) side by side.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from pos_app import __version__
from pos_app.server import errors, logs, sync_api
from pos_app.server.db.engine import DB_ENV, is_postgres, open_engine, resolve_url
from pos_app.server.edge import Edge, max_body_from_env


def create_app(db_url: str | None = None) -> FastAPI:
    """The application on the database at ``db_url`` (see ``db.engine.resolve_url``), which must be migrated
    already (``pos-server init``; ``serve`` does it before it starts)."""
    url = resolve_url(db_url)
    logs.install()  # no card's whole code in a log line
    engine = open_engine(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(title="pos_app central server", version=__version__, lifespan=lifespan)
    app.state.engine = engine
    app.state.writer = None if is_postgres(engine) else anyio.CapacityLimiter(1)  # SQLite: one writer at a time
    errors.install(app)
    app.include_router(sync_api.router)
    app.add_middleware(Edge, max_body=max_body_from_env())  # a body's size and type, before it is read (edge)
    return app


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` (what ``pos-server serve`` runs): the database from ``$POS_SERVER_DB``."""
    return create_app(os.environ.get(DB_ENV))
