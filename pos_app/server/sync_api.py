"""The sync API for tills (prefix ``/sync/v1``; the contract is ``pos_app.sync.schemas``).

Each route reads its body itself (``model_validate_json``: one pass of pydantic-core, and the token is checked
for presence before the body is), then runs its use case in one database transaction on a worker thread, the
device's token checked inside that same transaction. Responses are serialised once, by pydantic, to JSON bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.people import Permission
from pos_app.server import auth, authority, cards_admin, conflicts, lookups, shops, tills
from pos_app.server.authorise import authorise
from pos_app.server.db.engine import is_postgres, read, write
from pos_app.server.edge import check_storable
from pos_app.server.errors import RESPONSES
from pos_app.server.ledger import now, place_changes
from pos_app.server.openapi import TILL
from pos_app.server.pull import pull
from pos_app.server.push import push
from pos_app.sync.convert import card_to_wire, customer_to_wire
from pos_app.sync.schemas import (
    MAX_PULL,
    UNSYNCED_HEADER,
    AuthoriseRequest,
    AuthoriseResponse,
    ConflictOut,
    EnrolRequest,
    EnrolResponse,
    PublishRequest,
    PublishResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveConflict,
)

router = APIRouter(prefix="/sync/v1", tags=["sync"], responses=RESPONSES)
M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
JSON = "application/json"
DEFAULT_PULL = 500
_WHICH: dict[str, conflicts.Which] = {"open": "open", "resolved": "resolved", "all": "all"}


def _json(payload: BaseModel | str) -> Response:
    return Response(payload if isinstance(payload, str) else payload.model_dump_json(), media_type=JSON)


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def _body(request: Request, model: type[M], token: str | None = None) -> M:
    """The body as ``model``. With the ``token`` of a route that wants one, a body that will not do is refused
    only once the token is known to be good: a stranger gets 401, and learns nothing of what a body may be."""
    try:
        return parse_body(await request.body(), model)
    except errors.GiftCardError:
        if token is not None:
            await anyio.to_thread.run_sync(read, _engine(request), lambda conn: auth.device_for(conn, token))
        raise


def parse_body(raw: bytes, model: type[M]) -> M:
    """The body as ``model``, or 400 ``invalid_payload`` naming the first problems (or text no database holds:
    ``edge.check_storable``)."""
    try:
        parsed = model.model_validate_json(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
        raise errors.InvalidPayload(problems) from None
    check_storable(raw)
    return parsed


def _doc(model: type[BaseModel] | None = None, **query: dict[str, Any]) -> dict[str, Any]:
    """What the OpenAPI document cannot see of a route that wants a till's token (``openapi.TILL``), which reads
    its body (``model``) and query parameters (``query``: name → JSON schema) itself. Models the body refers to
    are among the responses' schemas."""
    doc: dict[str, Any] = dict(TILL)
    if model is not None:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schema.pop("$defs", None)
        doc["requestBody"] = {"required": True, "content": {JSON: {"schema": schema}}}
    if query:
        doc["parameters"] = [{"name": name, "in": "query", "required": False, "schema": schema}
                             for name, schema in query.items()]
    return doc


async def _write(request: Request, tx: Callable[[Connection], T]) -> T:
    """Run ``tx`` in a write transaction on a worker thread. On SQLite, one at a time per process, first come
    first served: the database has one writer anyway, and threads polling for its lock only fight over the GIL
    and starve one another (a p99 of hundreds of milliseconds, measured)."""
    limiter: anyio.CapacityLimiter | None = request.app.state.writer
    return await anyio.to_thread.run_sync(write, _engine(request), tx, limiter=limiter)


async def _as_device(request: Request, work: Callable[[Connection, str], T], *, writes: bool = True) -> T:
    """Run ``work(conn, device_id)`` in one transaction, after checking the request's token in it; the till is
    noted as seen (``tills.note_seen``: in that transaction when it writes, else in a short one after it, and only
    when its last sight is old or its count of unsynced entries changed)."""
    token = auth.bearer_token(request.headers.get("authorization"))
    unsynced = tills.unsynced_from(request.headers.get(UNSYNCED_HEADER))
    at = now()

    def seen(conn: Connection, caller: auth.Caller) -> bool:
        return tills.note_seen(conn, caller.id, seen_before=caller.last_seen_at, unsynced_before=caller.unsynced,
                               at=at, unsynced=unsynced)

    def tx(conn: Connection) -> tuple[T, auth.Caller]:
        caller = auth.caller_for(conn, token)
        done = work(conn, caller.id)
        if writes:
            seen(conn, caller)
        return done, caller

    if writes:
        return (await _write(request, tx))[0]
    done, caller = await anyio.to_thread.run_sync(read, _engine(request), tx)
    if tills.note_due(caller.last_seen_at, caller.unsynced, at=at, unsynced=unsynced):
        await _write(request, lambda conn: seen(conn, caller))
    return done


@router.get("/health")
async def health() -> Response:
    """No authentication: whether the server is there, and its clock."""
    return Response(json.dumps({"status": "ok", "server_time": now().isoformat()}), media_type=JSON)


@router.post("/enrol", response_model=EnrolResponse,
             openapi_extra={"requestBody": _doc(EnrolRequest)["requestBody"]})  # no token: it gives one
async def enrol(request: Request) -> Response:
    body = await _body(request, EnrolRequest)
    at = now()

    def tx(conn: Connection) -> EnrolResponse:
        done = auth.enrol(conn, body.code, body.device_name, at)
        return EnrolResponse(device_id=done.device_id, token=done.token, store=shops.till_store(conn, done.device_id),
                             limits=tills.limits_for(conn, done.device_id), server_time=at)

    return _json(await _write(request, tx))


@router.post("/authorise", response_model=AuthoriseResponse, openapi_extra=_doc(AuthoriseRequest))
async def authorise_route(request: Request) -> Response:
    """One value change decided online (see :mod:`pos_app.server.authorise`), in one write transaction."""
    token = auth.bearer_token(request.headers.get("authorization"))
    body = await _body(request, AuthoriseRequest, token)  # its fields' ranges: sync.fields
    at = now()

    unsynced = tills.unsynced_from(request.headers.get(UNSYNCED_HEADER))

    def tx(conn: Connection) -> str:  # checks the token itself, in its first read (and notes the till as seen)
        return authorise(conn, token, body, at, unsynced=unsynced)

    try:
        answer = await _write(request, tx)
    except IntegrityError:  # the same entry_id, sent twice at once: the first one won; replay its answer
        try:
            answer = await _write(request, tx)
        except IntegrityError:  # not a replay: the till's entry number belongs to another entry already
            raise errors.DuplicateFound(
                f"this till's entry number {body.device_seq} belongs to another entry already") from None
    return Response(answer, media_type=JSON)


@router.post("/push", response_model=PushResponse, openapi_extra=_doc(PushRequest))
async def push_route(request: Request) -> Response:
    token = auth.bearer_token(request.headers.get("authorization"))
    body = await _body(request, PushRequest, token)
    at = now()
    results = await _as_device(request, lambda conn, device: push(conn, list(body.entries), at, device))
    return _json(PushResponse(results=results, server_time=at))


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    try:
        value = default if text is None else int(text)
    except ValueError:
        raise errors.InvalidPayload(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise errors.InvalidPayload(f"{name} must be between {low} and {high}")
    return value


@router.get("/pull", response_model=PullResponse, openapi_extra=_doc(
    cursor={"type": "integer", "minimum": 0, "maximum": 2**63 - 1, "default": 0},
    limit={"type": "integer", "minimum": 1, "maximum": MAX_PULL, "default": DEFAULT_PULL}))
async def pull_route(request: Request) -> Response:
    auth.bearer_token(request.headers.get("authorization"))
    cursor = _int(request, "cursor", 0, 0, 2**63 - 1)
    limit = _int(request, "limit", DEFAULT_PULL, 1, MAX_PULL)
    at = now()
    if is_postgres(_engine(request)):  # the lines committed since the last pull get their places (ledger)
        await _as_device(request, lambda conn, device: place_changes(conn, limit + 1))
    page = await _as_device(request, lambda conn, device: pull(conn, cursor, limit, at, device), writes=False)
    return _json(page)


@router.post("/publish", response_model=PublishResponse, openapi_extra=_doc(PublishRequest))
async def publish_route(request: Request) -> Response:
    """Give a card to a customer (``cards_admin.publish``), for an active manager named by ``operator_id``. A code
    that matches no card counts as a failed lookup of the till, as at ``/authorise``."""
    token = auth.bearer_token(request.headers.get("authorization"))
    body = await _body(request, PublishRequest, token)
    at = now()

    def work(conn: Connection, device: str) -> PublishResponse:
        authority.actor(conn, body.operator_id).require(Permission.PUBLISH)
        lookups.check(conn, device, at)
        card, customer = cards_admin.publish(conn, body.code, body.source_id, name=body.name, email=body.email,
                                             phone=body.phone, at=at)
        return PublishResponse(card=card_to_wire(card), customer=customer_to_wire(customer))

    try:
        try:
            answer = await _as_device(request, work)
        except IntegrityError:  # two tills made the same new customer at once: the other one's is there now
            answer = await _as_device(request, work)
    except errors.NotFound:
        await _as_device(request, lambda conn, device: lookups.record(conn, device, body.code, at))
        raise
    return _json(answer)


@router.get("/conflicts", response_model=list[ConflictOut],
            openapi_extra=_doc(status={"type": "string", "enum": list(_WHICH), "default": "open"}))
async def conflicts_route(request: Request) -> Response:
    """Open conflicts (``?status=resolved`` or ``all`` for the others)."""
    auth.bearer_token(request.headers.get("authorization"))
    which = _WHICH.get(request.query_params.get("status", "open"))
    if which is None:
        raise errors.InvalidPayload("status is one of open, resolved, all")
    found = await _as_device(request, lambda conn, device: conflicts.list_conflicts(conn, which), writes=False)
    return Response("[" + ",".join(c.model_dump_json() for c in found) + "]", media_type=JSON)


@router.post("/conflicts/{conflict_id}/resolve", response_model=ConflictOut, openapi_extra=_doc(ResolveConflict))
async def resolve_route(conflict_id: str, request: Request) -> Response:
    token = auth.bearer_token(request.headers.get("authorization"))
    body = await _body(request, ResolveConflict, token)
    at = now()
    return _json(await _as_device(request, lambda conn, device: conflicts.resolve(conn, conflict_id, body, device, at)))
