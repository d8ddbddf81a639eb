"""Codes in paths may hold a slash: the SDK sends ``GC/01`` as ``/v1/vouchers/GC%2F01``. Starlette routes on the
decoded path, where that slash would split the code; this middleware keeps an encoded slash of a ``/v1`` path
as :data:`SLASH` (a character no code may hold: it is not printable) and :func:`code_of` turns it back."""

from __future__ import annotations

import re
from urllib.parse import unquote

from starlette.types import ASGIApp, Receive, Scope, Send

SLASH = "\ue000"
_ENCODED_SLASH = re.compile(rb"%2f", re.IGNORECASE)


class EncodedSlashes:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw = scope.get("raw_path") if scope["type"] == "http" else None
        if raw and raw.startswith(b"/v1/") and _ENCODED_SLASH.search(raw):
            parts = _ENCODED_SLASH.split(raw.split(b"?", 1)[0])
            scope = {**scope, "path": SLASH.join(unquote(p.decode("latin-1"), errors="replace") for p in parts)}
        await self.app(scope, receive, send)


def code_of(text: str) -> str:
    """A code from a path parameter, its encoded slashes back."""
    return text.replace(SLASH, "/")
