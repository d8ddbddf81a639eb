"""``POST /sync/v1/authorise`` answered in front of the framework's routing: the tills' hot path.

Why: on the benchmark (16 tills, PostgreSQL) FastAPI's exception and exit-stack middleware, its router (every
route matched in turn), the request object and the dependency solver cost the server ~0.4 million instructions
per authorisation, 28 % of all it spent on one (callgrind: 1.46 million without this shortcut, 1.05 with it;
``GET /health`` 0.5), for nothing this route uses: it takes no parameters but its body and one header.

How: an ASGI middleware inside Starlette's server-error middleware (so an unexpected exception is still the 500
of ``errors``). It reads the body, calls
:func:`pos_app.server.sync_api.authorise_answer` (what the route calls: the same answer, byte for byte) and
answers a refusal as the route's exception handler does (:func:`pos_app.server.errors.refusal_response`).
Anything else (another path, another method, a path with a trailing slash) goes on to the framework unchanged,
so the route stays in the OpenAPI document and a wrong method is still 405.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pos_app.domain import errors
from pos_app.server.errors import refusal_response
from pos_app.server.sync_api import JSON, authorise_answer, router

PATH = f"{router.prefix}/authorise"


class AuthoriseShortcut:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        try:
            answer = await authorise_answer(scope["app"].state, _authorization(scope), lambda: _body(receive))
        except errors.GiftCardError as exc:
            response = refusal_response(exc)
        else:
            response = Response(answer, media_type=JSON)
        await response(scope, receive, send)


def _authorization(scope: Scope) -> str | None:
    """The first ``Authorization`` header, as Starlette's ``Request.headers`` gives it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            return str(value.decode("latin-1"))
    return None


async def _body(receive: Receive) -> bytes:
    """The whole request body (``Request.body``, without the request object)."""
    chunks: list[bytes] = []
    while True:
        message: Message = await receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                return b"".join(chunks)
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect
