"""The server's OpenAPI document (``/openapi.json``, browsable at ``/docs``): what FastAPI makes of the routes, and
the little it cannot see from them.

* Every refusal is Voucherify's error shape ``{code, key, message, details, request_id}`` as ``application/json``
  (``errors.RESPONSES``, declared on each router). FastAPI's own ``422`` is taken out: a request that fails
  validation is answered ``400 invalid_payload`` here, never 422.
* ``/v1`` wants an API key: the ``X-App-Id`` *and* ``X-App-Token`` headers (``voucherify.deps``), one requirement
  of two schemes (FastAPI would list them as alternatives).
* ``/sync/v1`` wants a till's token, ``Authorization: Bearer …`` (``TillToken``; the routes that want it say so
  with :data:`TILL`), but for ``/health`` and ``/enrol``, which give it.

The fuzz run of ``tests/server/test_api_fuzz.py`` holds the server to this document.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

TILL_TOKEN = "TillToken"
#: ``openapi_extra`` of a sync route that wants a till's token.
TILL: dict[str, Any] = {"security": [{TILL_TOKEN: []}]}
_SCHEMES = {TILL_TOKEN: {"type": "http", "scheme": "bearer",
                         "description": "The till's token, from `POST /sync/v1/enrol`."}}
_UNSENT = ("HTTPValidationError", "ValidationError")
DESCRIPTION = (
    "The central server of pos_app: the Voucherify-compatible API (`/v1`, an API key in `X-App-Id` and "
    "`X-App-Token`) and the tills' sync API (`/sync/v1`, a till's bearer token). Every refusal is Voucherify's "
    "error shape `{code, key, message, details, request_id}` as `application/json`."
)


def install(app: FastAPI) -> None:
    """Serve the document below as the application's ``/openapi.json`` (made once, on the first request)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            made = get_openapi(title=app.title, version=app.version, description=DESCRIPTION, routes=app.routes)
            app.openapi_schema = described(made)
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


def described(document: dict[str, Any]) -> dict[str, Any]:
    for operation in (op for item in document.get("paths", {}).values() for op in item.values()):
        operation.get("responses", {}).pop("422", None)
        requirements = operation.get("security")
        if requirements and all(len(r) == 1 for r in requirements) and len(requirements) > 1:
            operation["security"] = [{name: scopes for r in requirements for name, scopes in r.items()}]
    components = document.setdefault("components", {})
    schemas = components.get("schemas", {})
    for name in _UNSENT:
        schemas.pop(name, None)
    components.setdefault("securitySchemes", {}).update(_SCHEMES)
    return document
