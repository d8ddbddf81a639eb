"""The till's HTTP client of the sync API (``schemas`` is the contract): short timeouts, errors in domain terms.

- A refusal (4xx with the error body) is raised as the domain's :class:`GiftCardError` of that key
  (``ERRORS_BY_KEY``); ``401 device_revoked`` is :class:`errors.DeviceRevoked` — this till is not offline, it has
  been removed, and must say so.
- Anything that means "the server did not really answer" is :class:`ServerUnavailable`, which the use cases
  treat as offline: no connection, a timeout, a 5xx, or an answer that is not the protocol's (a captive portal's
  page, a proxy's error, a body that does not parse).

Timeouts are short (2 s to connect, 5 s to read): a cashier with a queue waits for the offline fallback, not for
the operating system's TCP timeout.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from pos_app.domain import errors
from pos_app.services.online import ServerUnavailable
from pos_app.sync.convert import error_from_body
from pos_app.sync.schemas import (
    MAX_PULL,
    UNSYNCED_HEADER,
    AuthoriseRequest,
    AuthoriseResponse,
    ConflictList,
    ConflictOut,
    EnrolRequest,
    EnrolResponse,
    ErrorBody,
    PublishRequest,
    PublishResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    ResolveConflict,
    WireEntry,
)

PREFIX = "/sync/v1"
TIMEOUT = httpx.Timeout(5.0, connect=2.0)
M = TypeVar("M", bound=BaseModel)


class Health(BaseModel):
    status: str
    server_time: str | None = None


class SyncApi(Protocol):
    """What the worker and the authoriser need of the server (tests give them a fake)."""

    def health(self) -> Health: ...

    def authorise(self, request: AuthoriseRequest) -> AuthoriseResponse: ...

    def push(self, entries: list[WireEntry], *, unsynced: int | None = None) -> PushResponse: ...

    def pull(self, cursor: int, limit: int = MAX_PULL, *, unsynced: int | None = None) -> PullResponse: ...

    def close(self) -> None: ...


class SyncClient:
    """One server, one device token. Thread-safe as httpx's client is; :meth:`close` when done."""

    def __init__(self, base_url: str, token: str | None = None, *, transport: httpx.BaseTransport | None = None,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(base_url=self.base_url + PREFIX, headers=headers, timeout=timeout,
                                  transport=transport)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the endpoints ---------------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._call("GET", "/health", Health)

    def enrol(self, code: str, device_name: str) -> EnrolResponse:
        try:
            request = EnrolRequest(code=code.strip(), device_name=device_name.strip())
        except ValidationError as exc:
            raise errors.InvalidPayload(_first_problem(exc)) from exc
        return self._call("POST", "/enrol", EnrolResponse, json=request.model_dump(mode="json"))

    def authorise(self, request: AuthoriseRequest) -> AuthoriseResponse:
        return self._call("POST", "/authorise", AuthoriseResponse, json=request.model_dump(mode="json"))

    def push(self, entries: list[WireEntry], *, unsynced: int | None = None) -> PushResponse:
        """``unsynced``: the entries this till holds that the server has not acknowledged (these included), which
        head office sees on the till's page (the header ``X-Unsynced-Entries``; servers before it ignore it)."""
        body = PushRequest(entries=entries).model_dump(mode="json")
        return self._call("POST", "/push", PushResponse, json=body, headers=_unsynced(unsynced))

    def pull(self, cursor: int, limit: int = MAX_PULL, *, unsynced: int | None = None) -> PullResponse:
        return self._call("GET", "/pull", PullResponse, params={"cursor": cursor, "limit": limit},
                          headers=_unsynced(unsynced))

    def publish(self, request: PublishRequest) -> PublishResponse:
        """Give a card to a customer (``voucher_already_published``, ``not_found``, ``forbidden`` …)."""
        return self._call("POST", "/publish", PublishResponse, json=request.model_dump(mode="json"))

    def conflicts(self, status: str = "open") -> list[ConflictOut]:
        """The server's sync conflicts: ``open`` (default), ``resolved`` or ``all``."""
        return self._call("GET", "/conflicts", ConflictList, params={"status": status}).root

    def resolve_conflict(self, conflict_id: str, request: ResolveConflict) -> ConflictOut:
        """Resolve one conflict (``not_found``, ``conflict_resolved``, ``forbidden`` for a cashier's id)."""
        from urllib.parse import quote

        path = f"/conflicts/{quote(conflict_id, safe='')}/resolve"
        return self._call("POST", path, ConflictOut, json=request.model_dump(mode="json"))

    # ---- one request -----------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[M], **kwargs: Any) -> M:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ServerUnavailable(f"the server did not answer in time ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            raise ServerUnavailable(f"cannot reach the server at {self.base_url}: {exc or type(exc).__name__}") \
                from exc
        if response.status_code >= 500:
            raise ServerUnavailable(f"the server had a problem (HTTP {response.status_code})")
        if response.status_code >= 400:
            raise self._refusal(response)
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise ServerUnavailable(
                f"the answer from {self.base_url}{PREFIX}{path} is not the sync protocol's: {_first_problem(exc)}"
            ) from exc

    def _refusal(self, response: httpx.Response) -> Exception:
        try:
            body = ErrorBody.model_validate_json(response.content)
        except ValidationError:
            if response.status_code == 401:
                return errors.Unauthorized("the server did not accept this till's credentials")
            return ServerUnavailable(
                f"{self.base_url} answered HTTP {response.status_code} without an error of the sync protocol"
            )
        return error_from_body(body)


def _unsynced(count: int | None) -> dict[str, str]:
    return {} if count is None else {UNSYNCED_HEADER: str(count)}


def _first_problem(exc: ValidationError) -> str:
    problem = exc.errors()[0]
    where = ".".join(str(part) for part in problem.get("loc", ())) or "body"
    return f"{where}: {problem.get('msg', 'invalid')}"
