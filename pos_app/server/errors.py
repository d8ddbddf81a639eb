"""Errors of the server and how every one of them reaches the client: Voucherify's shape, always JSON.

``{code, key, message, details, request_id}`` with ``Content-Type: application/json``: a refusal of the domain
keeps its own key and status; a body that is not JSON or fails validation is 400 ``invalid_payload`` (not
FastAPI's 422), and on ``/v1`` a query parameter that fails it is 400 ``invalid_query_params``; an unknown route
is 404 ``not_found``; anything unexpected is 500 ``internal_error`` (logged with its request id, never shown as a
traceback).
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from pos_app.domain import errors
from pos_app.sync.schemas import ErrorBody

if TYPE_CHECKING:  # the command line imports the refusals below without loading the web framework
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import Response

log = logging.getLogger("pos_app.server")


class EnrolCodeExpired(errors.GiftCardError):
    key, code, message = "enrol_code_expired", 401, "the enrolment code has expired; make a new one"


class EnrolCodeUsed(errors.GiftCardError):
    key, code, message = "enrol_code_used", 401, "the enrolment code has been used already; make a new one"


class ConflictResolved(errors.GiftCardError):
    key, code, message = "conflict_resolved", 409, "the conflict has been resolved already"


class MethodNotAllowed(errors.GiftCardError):
    key, code, message = "method_not_allowed", 405, "method not allowed"


class RequestTooLarge(errors.GiftCardError):
    """A body above the server's limit (``edge``): refused before it is read, or as soon as it passes the limit."""

    key, code, message = "request_too_large", 413, "the request body is too large"


class UnsupportedMediaType(errors.GiftCardError):
    key, code, message = "unsupported_media_type", 415, "send the body as application/json"


class InternalError(errors.GiftCardError):
    key, code, message = "internal_error", 500, "the server failed; the request was not carried out"


#: The refusals every route may answer, as the OpenAPI document declares them (each router's ``responses=``): all in
#: Voucherify's shape. Which ones a route really gives depends on the route; these are what any of them may.
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": f"{what}, in Voucherify's error shape"}
    for status, what in {
        400: "a body, parameter or header that will not do (``invalid_payload``, ``invalid_amount``, …)",
        401: "no, a wrong or a revoked credential (``unauthorized``, ``device_revoked``)",
        403: "not allowed to whom asks (``forbidden``, ``unknown_operator``, a till's daily cap)",
        404: "no such card, resource or route (``not_found``)",
        409: "in conflict with what is there (``duplicate_found``, a state that forbids it)",
        413: "a body above the server's limit (``request_too_large``)",
        415: "a body that is not ``application/json`` (``unsupported_media_type``)",
        429: "too many codes that match no card; wait as ``Retry-After`` says (``too_many_requests``)",
        500: "the server failed; nothing was carried out (``internal_error``)",
    }.items()
}


def request_id() -> str:
    return f"req_{secrets.token_hex(8)}"


def error_response(exc: errors.GiftCardError, headers: dict[str, str] | None = None) -> Response:
    from fastapi.responses import Response

    body = ErrorBody(code=exc.code, key=exc.key, message=exc.message, details=exc.details, request_id=request_id())
    return Response(body.model_dump_json(), status_code=exc.code, media_type="application/json", headers=headers)


def _validation_details(exc: RequestValidationError) -> str:
    parts = []
    for problem in exc.errors()[:5]:
        where = ".".join(str(p) for p in problem.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {problem.get('msg', 'invalid')}")
    return "; ".join(parts)


def refusal_response(exc: errors.GiftCardError) -> Response:
    """A refusal as every route answers it (a 401 asks for the till's bearer token, a 429 says when to ask
    again)."""
    if exc.code == 401:
        return error_response(exc, {"WWW-Authenticate": "Bearer"})
    if isinstance(exc, errors.TooManyRequests):
        return error_response(exc, {"Retry-After": str(exc.retry_after)})
    return error_response(exc)


async def _on_refusal(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.GiftCardError)
    return refusal_response(exc)


async def _on_invalid(request: Request, exc: Any) -> Response:
    if request.url.path.startswith("/v1/") and all(p.get("loc", ("",))[0] == "query" for p in exc.errors()):
        return error_response(errors.InvalidQueryParams(_validation_details(exc)))  # Voucherify's key for these
    return error_response(errors.InvalidPayload(_validation_details(exc)))


async def _on_http(request: Request, exc: Any) -> Response:
    refusal: errors.GiftCardError
    if exc.status_code == 404:
        refusal = errors.NotFound(f"no such resource: {request.method} {request.url.path}")
    elif exc.status_code == 405:
        refusal = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
    elif exc.status_code == 400:
        refusal = errors.InvalidPayload(str(exc.detail))
    else:
        refusal = _Generic(exc.status_code, str(exc.detail))
    return error_response(refusal, getattr(exc, "headers", None))  # a 405 says what is allowed (Allow)


async def _on_crash(request: Request, exc: Exception) -> Response:
    from fastapi.responses import Response

    rid = request_id()
    log.error("internal error %s on %s %s", rid, request.method, request.url.path, exc_info=exc)
    body = ErrorBody(code=500, key=InternalError.key, message=InternalError.message,
                     details=f"see the server log for {rid}", request_id=rid)
    return Response(body.model_dump_json(), status_code=500, media_type="application/json")


class _Generic(errors.GiftCardError):
    def __init__(self, status: int, details: str, **context: Any) -> None:
        super().__init__(details, **context)
        self.code = status
        self.key = "http_error"
        self.message = "the request was refused"


def install(app: FastAPI) -> None:
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException as StarletteHTTPException

    app.add_exception_handler(errors.GiftCardError, _on_refusal)
    app.add_exception_handler(RequestValidationError, _on_invalid)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_crash)
