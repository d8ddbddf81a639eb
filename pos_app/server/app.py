"""The central server's web application: :func:`create_app` wires a database into the API.

Stateless: everything lives in the database, so several ``pos-server serve`` processes (or uvicorn workers) can
serve one PostgreSQL database (or one SQLite file) side by side.
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from pos_app import __version__
from pos_app.server import errors, sync_api
from pos_app.server.authorise_async import Authoriser
from pos_app.server.authorise_batch import Batcher
from pos_app.server.authorise_shortcut import AuthoriseShortcut
from pos_app.server.db.engine import DB_ENV, is_postgres, open_engine, resolve_url


def create_app(db_url: str | None = None) -> FastAPI:
    """The application on the database at ``db_url`` (see ``db.engine.resolve_url``), which must be migrated
    already (``pos-server init``; ``serve`` does it before it starts)."""
    url = resolve_url(db_url)
    engine = open_engine(url)
    postgres = is_postgres(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # PostgreSQL: online authorisation in batches on its own asyncpg connections, made on this event loop
        app.state.authoriser = Batcher(Authoriser(url)) if postgres else None
        # Everything made so far (imports, the application: ~110,000 objects) lives as long as the process, yet
        # each full collection walked it again (~40 ms, ~6 % of the CPU of an online authorisation, measured):
        # out of the collector's sight from here on.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if app.state.authoriser is not None:
                await app.state.authoriser.close()
            engine.dispose()

    app = FastAPI(title="pos_app central server", version=__version__, lifespan=lifespan)
    app.state.engine = engine
    app.state.authoriser = None  # until the lifespan starts
    app.state.writer = None if postgres else anyio.CapacityLimiter(1)  # SQLite: one writer at a time
    errors.install(app)
    app.include_router(sync_api.router)
    app.add_middleware(AuthoriseShortcut)  # online authorisation without the framework's routing (its module)
    return app


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` (what ``pos-server serve`` runs): the database from ``$POS_SERVER_DB``."""
    return create_app(os.environ.get(DB_ENV))
