"""The central server's web application: :func:`create_app` wires a database into the API.

Stateless: everything lives in the database, so several ``pos-server serve`` processes (or uvicorn workers) can
serve one PostgreSQL database (or one SQLite file) side by side.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import anyio
from fastapi import FastAPI
from sqlalchemy import Engine

from pos_app import __version__
from pos_app.server import dashboard_rollup, errors, logs, openapi, sync_api
from pos_app.server.console import routes as console
from pos_app.server.db.engine import DB_ENV, is_postgres, open_engine, resolve_url
from pos_app.server.edge import Edge, max_body_from_env
from pos_app.server.voucherify import api as voucherify_api
from pos_app.server.voucherify.paths import EncodedSlashes


def create_app(db_url: str | None = None) -> FastAPI:
    """The application on the database at ``db_url`` (see ``db.engine.resolve_url``), which must be migrated
    already (``pos-server init``; ``serve`` does it before it starts)."""
    url = resolve_url(db_url)
    logs.install()  # no card's whole code in a log line
    engine = open_engine(url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with anyio.create_task_group() as tasks:
                every = fold_every()
                if every:  # the dashboard's rollup kept up by every process (they take turns on its watermark)
                    tasks.start_soon(partial(dashboard_rollup.keep_folding, engine, every=every))
                yield
                tasks.cancel_scope.cancel()
        finally:
            engine.dispose()

    app = FastAPI(title="pos_app central server", version=__version__, lifespan=lifespan)
    app.state.engine = engine
    app.state.writer = anyio.CapacityLimiter(writers(engine))
    errors.install(app)
    openapi.install(app)  # the document says what FastAPI cannot see: the error shape, the credentials
    app.include_router(sync_api.router)
    app.include_router(voucherify_api.router)
    console.install(app)  # the head-office console under /console (after errors: it wraps their handlers there)
    app.add_middleware(EncodedSlashes)  # a code's slash, sent as %2F, stays in the code
    app.add_middleware(Edge, max_body=max_body_from_env())  # a body's size and type, before it is read (edge)
    return app


#: Write transactions a server process runs at once on PostgreSQL. Each runs on a worker thread, and Python runs
#: one thread at a time: with as many threads as requests (16 tills at once) they spent their time taking the
#: interpreter from each other, and an authorisation cost 2.6–3.8 ms of the server's CPU instead of 2.0–2.5. With
#: three at a time, the others waiting their turn, 16 tills sending 350 authorisations a second between them got
#: their answers with a p99 of 11–21 ms from two server processes (42–50 ms from one), where without the limit it
#: was 88–161 ms (``tests/server/benchmark.py``, its ``paced`` rows, 2026-12-07). ``$POS_SERVER_WRITERS`` changes
#: it; SQLite has one writer anyway (``BEGIN IMMEDIATE``): there it is 1.
PG_WRITERS = 3
WRITERS_ENV = "POS_SERVER_WRITERS"


def writers(engine: Engine) -> int:
    if not is_postgres(engine):
        return 1
    text = os.environ.get(WRITERS_ENV, "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else PG_WRITERS


#: Seconds between two folds of the dashboard's rollup in a server process; 0: none (tests that fold themselves).
FOLD_ENV = "POS_SERVER_FOLD_SECONDS"


def fold_every() -> float:
    text = os.environ.get(FOLD_ENV, "").strip()
    try:
        return max(0.0, float(text)) if text else dashboard_rollup.EVERY
    except ValueError:
        return dashboard_rollup.EVERY


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` (what ``pos-server serve`` runs): the database from ``$POS_SERVER_DB``."""
    return create_app(os.environ.get(DB_ENV))
