"""A value change asked for again under the same ``source_id`` (an order's, a balance change's) by the same key:
answered as the first time, applied once. Voucherify has no idempotency keys; its ``source_id`` serves as one.

The record of a request — its fingerprint and the entries it wrote — commits in the same transaction as those
entries (``ServerUnitOfWork(before_commit=…)``), so a request is either applied and recorded or neither. Two
copies of a request at the same instant: both may run, the second's record clashes with the first's (the primary
key), its transaction is rolled back whole, and it is answered from the first's record. Only an applied change is
recorded: a refused request may be asked again (after a top-up, say). Another request under a ``source_id`` that
was used is refused (409 ``duplicate_found``).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.ledger import Entry
from pos_app.server.db.engine import read
from pos_app.server.db.models import api_requests
from pos_app.server.ledger import now

R = TypeVar("R")
#: Runs in a unit of work's transaction before its commit (``ServerUnitOfWork(before_commit=…)``).
Hook = Callable[[Connection, list[Entry]], None]


@dataclass(frozen=True, slots=True)
class Request:
    key_id: str
    scope: str  # which kind of request: "balance", "redemption"…
    source_id: str
    fingerprint: str


def request(key_id: str, scope: str, source_id: str | None, body: Any) -> Request | None:
    """The request to replay-check, or None when the client named no ``source_id``."""
    if source_id is None or not source_id.strip():
        return None
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return Request(key_id, scope, source_id, hashlib.sha256(canonical.encode()).hexdigest())


def _earlier(engine: Engine, req: Request) -> list[uuid.UUID] | None:
    """The entries the first request under this ``source_id`` wrote; None if there was none."""
    row = read(engine, lambda conn: conn.execute(
        select(api_requests.c.fingerprint, api_requests.c.answer).where(
            api_requests.c.key_id == req.key_id, api_requests.c.scope == req.scope,
            api_requests.c.source_id == req.source_id)).first())
    if row is None:
        return None
    if row.fingerprint != req.fingerprint:
        raise errors.DuplicateFound(
            f"source_id {req.source_id!r} was used for another {req.scope} request; use a new source_id")
    return [uuid.UUID(i) for i in json.loads(row.answer)]


def _recorder(req: Request) -> Hook:
    def record(conn: Connection, written: list[Entry]) -> None:
        applied = [str(e.id) for e in written if e.succeeded]
        if applied:
            conn.execute(insert(api_requests).values(
                key_id=req.key_id, scope=req.scope, source_id=req.source_id, fingerprint=req.fingerprint,
                status=200, answer=json.dumps(applied), created_at=now()))
    return record


def once(engine: Engine, req: Request | None, run: Callable[[Hook | None], R],
         replayed: Callable[[list[uuid.UUID]], R]) -> R:
    """``run(hook)`` — which passes ``hook`` to its unit of work — unless ``req`` was carried out already: then
    ``replayed(its entry ids)``, the answer rebuilt from what the first request wrote."""
    if req is None:
        return run(None)
    ids = _earlier(engine, req)
    if ids is not None:
        return replayed(ids)
    try:
        return run(_recorder(req))
    except IntegrityError:
        ids = _earlier(engine, req)  # carried out meanwhile by a copy of this request
        if ids is None:
            raise
        return replayed(ids)
