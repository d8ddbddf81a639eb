"""``POST /v1/validations`` (``ValidationsApi.validate_stacked_discounts``) and ``DELETE
/v1/vouchers/{code}/sessions/{key}`` (``VouchersApi.release_validation_session``).

A validation asks the domain whether each redeemable could be redeemed now — ``GiftCard.check_redeem``, the
rule a redemption is decided by, with what others' sessions hold (``sessions.held``) — and writes nothing but a
look-up of a code that matches no card (rate-limited, as every look-up) and, when every redeemable is applicable
and the request names a ``session`` of type LOCK, the session's hold on each card. An unusable voucher is HTTP
200 with ``valid: false``: the refused ones ``INAPPLICABLE`` with their error, the others ``SKIPPED`` (all or none
apply: ``stacked.STACKING_RULES``). HTTP 400 is for a malformed request only.
"""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Connection

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server.db.engine import write
from pos_app.server.ledger import lock_cards, now, store_info, store_zone
from pos_app.server.voucherify import sessions
from pos_app.server.voucherify.deps import Api
from pos_app.server.voucherify.paths import code_of
from pos_app.server.voucherify.stacked import (
    STACKING_RULES,
    StackedBody,
    credits,
    find_locked,
    not_found,
    order_answer,
    order_of,
)
from pos_app.server.voucherify.vouchers import MAX_CODE

router = APIRouter(tags=["validations"])
_EMPTY = {"data": [], "total": 0, "object": "list", "data_ref": "data"}


def _error(exc: errors.GiftCardError) -> dict[str, Any]:
    return {**exc.as_dict(), "request_id": f"req_{secrets.token_hex(8)}"}


@router.post("/validations")
def validate(body: StackedBody, call: Api) -> dict[str, Any]:
    codes = body.codes()
    session_key = body.session.named() if body.session is not None else None  # a LOCK: the only type there is
    lifetime = body.session.lifetime() if body.session is not None else None

    def work(conn: Connection) -> dict[str, Any]:
        at = now()
        zone = store_zone(store_info(conn))
        found, _ = find_locked(conn, call.key_id, codes, at)
        order_amount = body.order.amount if body.order is not None else None
        facts = order_of(body)
        checked: list[tuple[str, dict[str, Any], int]] = []  # code, answer, credits held if locked
        for redeemable in body.redeemables:
            code = redeemable.id
            if code not in found:
                checked.append((code, _inapplicable(code, not_found(code)), 0))
                continue
            card, campaign = found[code]
            besides = (call.key_id, session_key) if session_key is not None else None
            held = sessions.held(conn, card.id, at, besides=besides)
            try:
                minor = card.check_redeem(Money(credits(redeemable, body.order), card.currency), at, zone,
                                          order_amount, order=facts, held=held)
            except errors.GiftCardError as exc:
                checked.append((code, _inapplicable(code, exc), 0))
                continue
            checked.append((code, {
                "status": "APPLICABLE", "id": code, "object": "voucher",
                "order": order_answer(body.order, minor), "applicable_to": _EMPTY, "inapplicable_to": _EMPTY,
                "result": {"gift": {"balance": card.available(held), "credits": minor}},
                "metadata": dict(card.metadata), "categories": [], "campaign_name": campaign,
                "campaign_id": card.campaign_id,
            }, minor))
        valid = all(answer["status"] == "APPLICABLE" for _, answer, _ in checked)
        if valid and session_key is not None and lifetime is not None:
            for code, _, minor in checked:
                sessions.lock(conn, call.key_id, session_key, found[code][0].id, minor, at, lifetime)
        redeemables = [answer if valid or answer["status"] != "APPLICABLE" else _skipped(code)
                       for code, answer, _ in checked]
        taken = sum(minor for _, _, minor in checked) if valid else 0
        return {
            "id": f"valid_{secrets.token_hex(12)}", "valid": valid, "redeemables": redeemables,
            "inapplicable_redeemables": [r for r in redeemables if r["status"] == "INAPPLICABLE"],
            "skipped_redeemables": [r for r in redeemables if r["status"] == "SKIPPED"],
            "order": order_answer(body.order, taken), "tracking_id": body.tracking_id,
            "session": body.session.answer(session_key) if valid and body.session and session_key else None,
            "stacking_rules": STACKING_RULES,
        }

    return write(call.engine, work)


def _inapplicable(code: str, exc: errors.GiftCardError) -> dict[str, Any]:
    return {"status": "INAPPLICABLE", "id": code, "object": "voucher", "result": {"error": _error(exc)}}


def _skipped(code: str) -> dict[str, Any]:
    return {"status": "SKIPPED", "id": code, "object": "voucher", "result": {"details": {
        "key": "preceding_validation_failed",
        "message": "applicable on its own, but another redeemable of the request is not: all apply or none"}}}


@router.delete("/vouchers/{code}/sessions/{session_key}", status_code=204)
def release_session(code: str, session_key: str, call: Api) -> None:
    """Release what the session holds on the voucher; 404 when it holds nothing there (never held, redeemed,
    released or expired)."""
    code = code_of(code)
    if not code or len(code) > MAX_CODE or len(session_key) > 200:
        raise errors.InvalidPayload(f"a code has 1 to {MAX_CODE} characters, a session key at most 200")

    def work(conn: Connection) -> bool:
        cards = lock_cards(conn, [], [code])
        return bool(cards) and sessions.end(conn, call.key_id, session_key, cards[0].id, now(), "released")

    if not write(call.engine, work):
        raise errors.NotFound(f"session {session_key[:40]!r} holds nothing on that voucher")
