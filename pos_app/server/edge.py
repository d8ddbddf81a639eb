"""The server's edge: what a request's body may be, checked before any of it is read (an ASGI middleware).

* **Size.** A body above the limit is 413 ``request_too_large``: at once when ``Content-Length`` says so (nothing
  of it is read), or — a body without a length, sent in chunks — as soon as the bytes received pass the limit
  (the route reading it gets the refusal; nothing it read is kept). The limit is ``$POS_SERVER_MAX_BODY`` bytes
  (default :data:`DEFAULT_MAX_BODY`, 8 MiB). The largest push a till can send — ``MAX_PUSH`` entries, every
  field at its longest (``sync.fields``) and every character of text one JSON writes as ``\u0001`` — is 6.8 MiB
  as the till's client writes it (1.5 MiB in plain letters; a full push of ordinary entries ~0.5 MiB).
  A route that wants the till's token asks for it before it reads the body, so a stranger's big body is 401.
* **Text.** What a body holds must be storable: no text (nor key) with a NUL character (PostgreSQL holds none) or
  an unpaired surrogate (no Unicode), no number that is not finite — else 400 ``invalid_payload``
  (:func:`unstorable`; each API calls it where it parses its bodies).
* **Type.** A body must be ``application/json`` (``charset=utf-8`` may be said): else 415
  ``unsupported_media_type``, when the route starts to read it (so an unknown route is still 404 and a request
  without a token still 401, as without this check). A malformed ``Content-Length`` is 400 ``invalid_payload``.
  The routes of :data:`MULTIPART` (the Voucherify API's CSV import) take ``multipart/form-data`` as well, and a
  POST under :data:`FORMS` (the head-office console's pages) takes ``application/x-www-form-urlencoded`` — a
  browser's form — within the same size limit.

It answers nothing but those refusals, and serves no route: every request it lets through goes to the
framework's routing.
"""

from __future__ import annotations

import json
import math
import os
import re
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos_app.domain import errors
from pos_app.server.errors import RequestTooLarge, UnsupportedMediaType, error_response

MAX_BODY_ENV = "POS_SERVER_MAX_BODY"
DEFAULT_MAX_BODY = 8 * 1024 * 1024
_JSON = "application/json"
#: (method, path) of the routes that take an uploaded file (``multipart/form-data``) besides JSON.
MULTIPART = frozenset({("POST", "/v1/vouchers/importCSV")})
#: The path under which a POST may send a browser's form (``application/x-www-form-urlencoded``): the console.
FORMS = "/console/"


def max_body_from_env() -> int:
    text = os.environ.get(MAX_BODY_ENV)
    if not text:
        return DEFAULT_MAX_BODY
    value = int(text)
    if value < 1024:
        raise ValueError(f"${MAX_BODY_ENV} must be at least 1024 bytes, not {value}")
    return value


def is_multipart(content_type: str | None) -> bool:
    """``multipart/form-data`` with its boundary (any case)."""
    return content_type is not None and content_type.split(";")[0].strip().lower() == "multipart/form-data"


def is_form(content_type: str | None) -> bool:
    """``application/x-www-form-urlencoded`` (any case, with or without a charset)."""
    return (content_type is not None
            and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded")


def is_json(content_type: str | None) -> bool:
    """``application/json``, with at most ``charset=utf-8`` after it (any case, any spaces)."""
    if content_type is None:
        return False
    media, *params = (part.strip().lower() for part in content_type.split(";"))
    return media == _JSON and all(p.replace(" ", "") in ("charset=utf-8", "charset=utf8") for p in params)


_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a JSON body must hold for :func:`unstorable` to find anything: ``\\u0000``, or an escape of a surrogate.
_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")


def unstorable(value: Any) -> str | None:
    """Why ``value`` (parsed JSON, or a model's fields) cannot be stored, or None: a text or key with a NUL
    character or an unpaired surrogate, a number that is not finite."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "text may not hold the NUL character"
            if _SURROGATE.search(item):
                return "text must be Unicode (it holds an unpaired surrogate)"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return "numbers must be finite"
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return None


def check_storable(raw: bytes) -> None:
    """400 ``invalid_payload`` if the JSON body ``raw`` (valid JSON) holds what :func:`unstorable` refuses. Only a
    body that writes ``\\u0000`` or a surrogate's escape is parsed again to know (a till's never does)."""
    if _SUSPECT.search(raw) is not None and (reason := unstorable(json.loads(raw))) is not None:
        raise errors.InvalidPayload(reason)


class Edge:
    """Refuse a body that is too large or not JSON before the application reads it."""

    def __init__(self, app: ASGIApp, *, max_body: int = DEFAULT_MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        refusal: errors.GiftCardError | None = None
        if length is not None and (not length.isdigit() or len(length) > 18):
            refusal = errors.InvalidPayload("Content-Length is not a number of bytes")
        elif length is not None and int(length) > self.max_body:
            refusal = RequestTooLarge(f"the body may be at most {self.max_body} bytes; this one is {length}")
        if refusal is not None:
            await error_response(refusal)(scope, receive, send)  # nothing of the body read
            return
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        has_body = chunked or (length is not None and int(length) > 0)
        content_type = headers.get("content-type") if has_body else _JSON
        takes = (is_json(content_type)
                 or ((scope["method"], scope["path"]) in MULTIPART and is_multipart(content_type))
                 or (scope["method"] == "POST" and scope["path"].startswith(FORMS) and is_form(content_type)))
        await self.app(scope, self._checked(receive, content_type, takes), send)

    def _checked(self, receive: Receive, content_type: str | None, takes: bool) -> Receive:
        """``receive`` that refuses a body that is not JSON when the route reads it, and a body without a length
        once more than the limit has come."""
        received = 0
        limit = self.max_body

        async def checked() -> Message:
            nonlocal received
            if not takes:
                raise UnsupportedMediaType(f"the body is {content_type or 'of no declared type'}")
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(f"the body may be at most {limit} bytes")
            return message

        return checked
