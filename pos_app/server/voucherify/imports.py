"""``/v1/vouchers/import`` (a JSON list of vouchers) and ``/v1/vouchers/importCSV`` (a CSV file, multipart
``file``): the server's import (``server.imports``: the till's import rules, all or nothing), answered 202 with
the async action that reports it (``/v1/async-actions/{id}``).

The import runs before the answer, in one transaction, so the action is ``DONE`` (``result.done_count``) or
``FAILED`` (``result.failed``: each problem with its line or item and its error key, nothing imported) by the
time the client reads it; a server process that dies meanwhile imported nothing, and its action is reported
``FAILED`` when read (``jobs``). Cards imported with a value are sold with it (a ``CREDITS_ADDITION``), usable at
once; the body limit of the server's edge (``$POS_SERVER_MAX_BODY``) bounds a file.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Body, File, UploadFile
from fastapi.responses import JSONResponse

from pos_app.domain import errors
from pos_app.server.db.engine import write
from pos_app.server.imports import import_cards
from pos_app.server.ledger import now
from pos_app.server.voucherify import jobs
from pos_app.server.voucherify.deps import Api, ApiCall

router = APIRouter(tags=["vouchers"])


def problem(text: str) -> dict[str, str]:
    """``"line 3: duplicate_found: …"`` as ``{"line": "line 3", "key": "duplicate_found", "reason": "…"}``."""
    where, _, rest = text.partition(": ")
    key, _, reason = rest.partition(": ")
    return {"line": where, "key": key, "reason": reason}


def _run(call: ApiCall, kind: str, source: bytes | str, fmt: str) -> JSONResponse:
    action_id = write(call.engine, lambda conn: jobs.start(conn, key_id=call.key_id, type=kind))
    try:
        result = import_cards(call.engine, source, fmt=fmt, at=now())
    except errors.ImportFailed as exc:
        listed = exc.context.get("problems", ())
        kept = [problem(str(p)) for p in listed] if isinstance(listed, tuple) else []
        count = exc.context.get("count", len(kept))
        jobs.finish(call.engine, action_id, jobs.FAILED, {
            "message": f"{count} problems; nothing was imported", "done_count": 0, "failed_count": count,
            "failed": kept})
    except errors.GiftCardError as exc:
        jobs.finish(call.engine, action_id, jobs.FAILED, {
            "message": exc.details or exc.message, "done_count": 0, "failed_count": 0,
            "failed": [{"line": "file", "key": exc.key, "reason": exc.details or exc.message}]})
    except Exception:
        jobs.log.exception("import %s failed", action_id)
        jobs.finish(call.engine, action_id, jobs.FAILED, {"message": "the server failed to import; see its log",
                                                          "done_count": 0, "failed_count": 0, "failed": []})
    else:
        jobs.finish(call.engine, action_id, jobs.DONE, {
            "message": f"{result.cards} vouchers imported", "done_count": result.cards, "failed_count": 0,
            "failed": [], "ignored_columns": list(result.ignored_columns)})
    return JSONResponse({"async_action_id": action_id}, status_code=202)


@router.post("/vouchers/import", status_code=202)
def import_vouchers(call: Api, body: Annotated[list[Any], Body()]) -> JSONResponse:
    """Voucherify's voucher objects (``code``, ``gift.amount``, ``category``, dates, ``redemption.quantity``,
    ``active``, ``metadata``…), read by the till's JSON import."""
    return _run(call, jobs.IMPORT, json.dumps(body), "json")


@router.post("/vouchers/importCSV", status_code=202)
def import_vouchers_using_csv(call: Api, file: Annotated[UploadFile, File()]) -> JSONResponse:
    """A CSV file with the till's import columns (``code``, ``value``/``gift_amount``, ``gift_balance``,
    ``campaign``, ``category``, ``start_date``, ``expiration_date``, ``redemption_quantity``, ``active``…)."""
    return _run(call, jobs.IMPORT_CSV, file.file.read(), "csv")
