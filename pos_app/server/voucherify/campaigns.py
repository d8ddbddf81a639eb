"""``/v1/campaigns``: gift-voucher campaigns whose codes the server makes from a code config, on the ledger every
till pulls.

* **Made sold.** A card of a campaign made here is active with its value loaded (a ``CREDITS_ADDITION`` with
  reason ``campaign``), usable at once, as Voucherify's are (``server.campaigns``, ``sold``). A campaign made with
  ``pos-server campaign create`` stays as it was: its cards are the shop's stock, **inactive until sold** at a
  till; the API shows them as vouchers with ``gift.amount`` and ``gift.balance`` 0 (what is loaded), refused with
  ``voucher_not_active`` until sold, and cards added to such a campaign here are inactive too.
* **Codes** follow the campaign's ``voucher.code_config`` (``length``, ``charset``, ``prefix``, ``postfix``,
  ``pattern``), checked by the domain (``domain.codes``: at least 32 random bits, room for twice the count,
  else ``invalid_code_config``); without one, the readable default ``GC-XXXX-XXXX-XXXX-XXXX`` with its check
  character. A config with no ``charset`` draws from the readable alphabet (no 0/O, 1/I/L), not Voucherify's.
* **In the background.** Up to :data:`INLINE` cards are made before the answer (``vouchers_generation_status``
  ``DONE``); more are made by a thread of the answering process (``IN_PROGRESS``, then ``DONE`` or ``FAILED``),
  batch by batch, each batch committed whole: see ``jobs`` for how a process that dies is taken over.
* ``add_vouchers_to_campaign(id, vouchers_count)``: one card is answered as the voucher; more as
  ``{async_action_id}`` (``/v1/async-actions/{id}``). One request asks for at most :data:`MAX_PER_REQUEST`
  cards (Voucherify's default size of a campaign); a larger campaign grows by several, or comes from the CLI.
* A campaign is named by its id or its name. ``type`` is answered ``STATIC`` (cards are added on request only).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from pydantic import Field
from sqlalchemy import Connection, Engine, func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import aliased

from pos_app.domain import errors
from pos_app.domain.cards import Campaign
from pos_app.domain.codes import CodeConfig
from pos_app.domain.ledger import EntryKind, EntryResult
from pos_app.domain.money import Money
from pos_app.server import campaigns as generation
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import async_actions, campaigns, cards, entries
from pos_app.server.ledger import CAMPAIGN, log_one, store_info, store_zone
from pos_app.server.voucherify import jobs, shapes, vouchers
from pos_app.server.voucherify.deps import Api, ApiCall
from pos_app.server.voucherify.fields import (
    Amount,
    DateText,
    Lenient,
    Metadata,
    Name,
    Quantity,
    Text,
    when,
    within_currency,
)
from pos_app.services.campaigns import CreateCampaign

router = APIRouter(tags=["campaigns"])
INLINE = 1_000  # cards made before the answer; more are made in the background
MAX_PER_REQUEST = 100_000  # cards one request may ask for: Voucherify's own default limit of a campaign
BATCH = 2_000  # cards per transaction of an API generation (each with its entry)


class CodeConfigBody(Lenient):
    length: Annotated[int, Field(ge=1, le=100)] | None = None
    charset: Annotated[str, Field(max_length=300)] | None = None
    prefix: Annotated[str, Field(max_length=100)] | None = None
    postfix: Annotated[str, Field(max_length=100)] | None = None
    pattern: Annotated[str, Field(max_length=100)] | None = None


class GiftBody(Lenient):
    amount: Amount = 0
    effect: Name | None = None


class RedemptionBody(Lenient):
    quantity: Quantity | None = None


class VoucherBody(Lenient):
    type: Name | None = None
    gift: GiftBody | None = None
    code_config: CodeConfigBody | None = None
    redemption: RedemptionBody | None = None


class CampaignBody(Lenient):
    name: Name = ""
    description: Text | None = None
    campaign_type: Name | None = None
    type: Name | None = None
    vouchers_count: Quantity | None = None
    start_date: DateText | None = None
    expiration_date: DateText | None = None
    category: Name | None = None
    metadata: Metadata | None = None
    voucher: VoucherBody | None = None


def _code_config(body: CodeConfigBody | None) -> CodeConfig:
    if body is None or not any((body.length, body.charset, body.prefix, body.postfix, body.pattern)):
        return CodeConfig.readable_default()
    return CodeConfig.from_options(pattern=body.pattern, charset=body.charset, prefix=body.prefix or "",
                                   postfix=body.postfix or "", length=body.length)


@router.post("/campaigns")
def create_campaign(call: Api, body: Annotated[CampaignBody | None, Body()] = None) -> dict[str, Any]:
    body = body or CampaignBody()
    if body.campaign_type not in (None, "GIFT_VOUCHERS"):
        raise errors.InvalidPayload("this server keeps gift cards only: campaign_type GIFT_VOUCHERS")
    voucher = body.voucher or VoucherBody()
    if voucher.type not in (None, "GIFT_VOUCHER"):
        raise errors.InvalidPayload("this server keeps gift vouchers only: voucher.type GIFT_VOUCHER")
    store = read(call.engine, store_info)
    zone = store_zone(store)
    value = within_currency(voucher.gift.amount if voucher.gift else 0, store.currency, "voucher.gift.amount")
    count = body.vouchers_count or 0
    if count > MAX_PER_REQUEST:
        raise errors.InvalidPayload(f"vouchers_count may be at most {MAX_PER_REQUEST:,}; add more with "
                                    "add_vouchers_to_campaign, or use `pos-server campaign create`")
    cmd = CreateCampaign(
        name=body.name, amount=Money(value, store.currency), count=count,
        code_config=_code_config(voucher.code_config),
        start_date=when(body.start_date, zone), expiration_date=when(body.expiration_date, zone, end_of_day=True),
        redemption_limit=voucher.redemption.quantity if voucher.redemption else None, category=body.category,
    )
    made: list[str] = []

    def record(conn: Connection, campaign: Campaign) -> None:
        made.append(jobs.start(conn, key_id=call.key_id, type=jobs.GENERATION, campaign_id=campaign.id,
                               sold=True, requested=count))

    campaign, _ = generation.start_campaign(call.engine, cmd, then=record)
    _run(call, made[0], background=count > INLINE)
    return _answer(call, campaign.id)


def run_generation(engine: Engine, action_id: str, made: list[str] | None = None, *, batch_size: int = BATCH) -> None:
    """Make the cards an action still owes (``requested - made``), then mark it DONE, or FAILED with why;
    ``made``: gets the codes made; ``batch_size``: cards per transaction (the console's smaller batches move its
    progress bar more often)."""
    row = read(engine, lambda conn: jobs.get(conn, action_id))
    try:
        campaign = read(engine, lambda conn: _campaign(conn, row["campaign_id"]))
        generation.generate(engine, campaign, generation.config_of(campaign), row["requested"] - row["made"],
                            sold=row["sold"], device_id=row["key_id"], batch_size=batch_size,
                            each_batch=jobs.progress(action_id, made))
    except jobs.TakenOver:
        return
    except Exception as exc:  # the action must say it failed, whatever the reason
        jobs.log.exception("async action %s failed", action_id)
        reason = exc.details if isinstance(exc, errors.GiftCardError) else type(exc).__name__
        jobs.finish(engine, action_id, jobs.FAILED, {"message": f"the cards were not all made: {reason}"})
        return
    jobs.finish(engine, action_id, jobs.DONE, {"message": f"{row['requested']} vouchers made",
                                               "campaign_id": row["campaign_id"], "count": row["requested"]})


jobs.RESUMERS[jobs.GENERATION] = run_generation


def _run(call: ApiCall, action_id: str, *, background: bool) -> None:
    if background:
        jobs.in_background(f"generate-{action_id}", lambda: run_generation(call.engine, action_id))
    else:
        run_generation(call.engine, action_id)


def _campaign(conn: Connection, ref: str) -> Campaign:
    """The campaign with this id, or else this name."""
    row = conn.execute(select(campaigns).where(or_(campaigns.c.id == ref, campaigns.c.name == ref))
                       .order_by((campaigns.c.id == ref).desc())).mappings().first()
    if row is None:
        raise errors.NotFound(f"no campaign {ref[:64]!r}")
    return Campaign(**dict(row))


def _generation_status(engine: Engine, campaign_id: str) -> tuple[str, bool]:
    """``vouchers_generation_status`` (its latest generation's; DONE for a campaign made without the API) and
    whether its cards are made sold (made through the API)."""
    rows = read(engine, lambda conn: list(conn.execute(
        select(async_actions).where(async_actions.c.campaign_id == campaign_id, async_actions.c.type == jobs.GENERATION)
        .order_by(async_actions.c.created_at, async_actions.c.id)).mappings()))
    for row in rows:
        if jobs.is_stale(row):
            jobs.resume(engine, row)
    if not rows:
        return jobs.DONE, False
    statuses = [r["status"] for r in rows]
    status = jobs.IN_PROGRESS if jobs.IN_PROGRESS in statuses else statuses[-1]
    return status, bool(rows[0]["sold"])


def _answer(call: ApiCall, ref: str) -> dict[str, Any]:
    campaign = read(call.engine, lambda conn: _campaign(conn, ref))
    status, _ = _generation_status(call.engine, campaign.id)
    return campaign_shape(campaign, status)


def campaign_shape(c: Campaign, generation_status: str) -> dict[str, Any]:
    config = {k: c.code_config[k] for k in ("length", "charset", "prefix", "postfix", "pattern")
              if c.code_config.get(k) not in (None, "")}
    return {
        "id": c.id, "name": c.name, "description": None, "campaign_type": "GIFT_VOUCHERS", "type": "STATIC",
        "voucher": {"type": "GIFT_VOUCHER", "gift": {"amount": c.amount, "effect": "APPLY_TO_ORDER"},
                    "redemption": {"quantity": c.redemption_limit}, "code_config": config,
                    "start_date": shapes.iso(c.start_date), "expiration_date": shapes.iso(c.expiration_date)},
        "auto_join": False, "join_once": False, "use_voucher_metadata_schema": False,
        "vouchers_count": c.vouchers_count, "start_date": shapes.iso(c.start_date),
        "expiration_date": shapes.iso(c.expiration_date), "active": c.active, "metadata": {},
        "created_at": shapes.iso(c.created_at), "updated_at": None, "category": c.category,
        "creation_status": "DONE", "vouchers_generation_status": generation_status, "protected": False,
        "categories": [], "object": "campaign",
    }


@router.get("/campaigns/{campaign_id}")
def get_campaign(campaign_id: str, call: Api) -> dict[str, Any]:
    return _answer(call, campaign_id[:200])


def _set_active(call: ApiCall, ref: str, active: bool) -> dict[str, Any]:
    """Enable or disable a campaign: its cards are refused (``voucher_disabled``) while it is disabled — the
    domain's rule (``GiftCard.check_campaign_enabled``), at the server and at every till once it has pulled the
    campaign (its change-log line)."""
    def work(conn: Connection) -> None:
        campaign = _campaign(conn, ref)
        if campaign.active != active:
            conn.execute(update(campaigns).where(campaigns.c.id == campaign.id).values(active=active))
            log_one(conn, CAMPAIGN, campaign.id)

    write(call.engine, work)
    return _answer(call, ref)


@router.post("/campaigns/{campaign_id}/enable")
def enable_campaign(campaign_id: str, call: Api) -> dict[str, Any]:
    return _set_active(call, campaign_id[:200], True)


@router.post("/campaigns/{campaign_id}/disable")
def disable_campaign(campaign_id: str, call: Api) -> dict[str, Any]:
    return _set_active(call, campaign_id[:200], False)


@router.get("/campaigns")
def list_campaigns(call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> dict[str, Any]:
    def work(conn: Connection) -> tuple[list[Campaign], int]:
        total = int(conn.execute(select(func.count()).select_from(campaigns)).scalar_one())
        rows = conn.execute(select(campaigns).order_by(campaigns.c.created_at, campaigns.c.id)
                            .limit(limit).offset((page - 1) * limit)).mappings()
        return [Campaign(**dict(r)) for r in rows], total

    found, total = read(call.engine, work)
    shown = [campaign_shape(c, _generation_status(call.engine, c.id)[0]) for c in found]
    return shapes.listing(shown, data_ref="campaigns", total=total)


@router.post("/campaigns/{campaign_id}/vouchers")
def add_vouchers_to_campaign(campaign_id: str, call: Api,
                             vouchers_count: Annotated[int, Query(ge=1, le=MAX_PER_REQUEST)] = 1
                             ) -> dict[str, Any]:
    """``vouchers_count`` more cards made from the campaign's code config: one is answered as the voucher (made
    before the answer), more as the async action that makes them (in the background above :data:`INLINE`)."""
    campaign = read(call.engine, lambda conn: _campaign(conn, campaign_id[:200]))
    config = generation.config_of(campaign)
    config.check_capacity(vouchers_count, existing=campaign.vouchers_count)
    _, sold = _generation_status(call.engine, campaign.id)
    action_id = write(call.engine, lambda conn: jobs.start(
        conn, key_id=call.key_id, type=jobs.GENERATION, campaign_id=campaign.id, sold=sold,
        requested=vouchers_count))
    if vouchers_count > 1:
        _run(call, action_id, background=vouchers_count > INLINE)
        return {"async_action_id": action_id}
    made: list[str] = []
    run_generation(call.engine, action_id, made)
    if not made:
        action = read(call.engine, lambda conn: jobs.get(conn, action_id))
        raise errors.InvalidPayload(str((action["result"] or {}).get("message", "no voucher was made")))
    return vouchers.answer(call, made[0])


# ---- transactions ------------------------------------------------------------------------------------------

_MOVES = (EntryKind.CREDITS_ADDITION.value, EntryKind.CREDITS_REMOVAL.value)


@router.get("/campaigns/{campaign_id}/transactions")
def list_campaign_transactions(campaign_id: str, call: Api, limit: Annotated[int, Query(ge=1, le=100)] = 10,
                               order: Annotated[str, Query(max_length=20)] = "-id",
                               starting_after_id: Annotated[str | None, Query(max_length=64)] = None
                               ) -> dict[str, Any]:
    """The campaign's cards' transactions (successful entries) in the order the server recorded them (``id``
    oldest first, ``-id`` newest first; entry ids are UUIDs, so "by id" is by the server's record), ``limit`` at
    a time after ``starting_after_id``."""
    if order not in ("id", "-id", "created_at", "-created_at"):
        raise errors.InvalidPayload("order is id or -id")
    newest_first = order.startswith("-")

    def work(conn: Connection) -> tuple[list[RowMapping], bool, str]:
        campaign = _campaign(conn, campaign_id[:200])
        earlier = aliased(entries)
        total = (select(func.coalesce(func.sum(earlier.c.amount), 0))
                 .where(earlier.c.card_id == entries.c.card_id, earlier.c.server_seq <= entries.c.server_seq,
                        earlier.c.result == EntryResult.SUCCESS.value, earlier.c.kind.in_(_MOVES))
                 .scalar_subquery())
        stmt = (select(entries, total.label("total")).join(cards, cards.c.id == entries.c.card_id)
                .where(cards.c.campaign_id == campaign.id, entries.c.result == EntryResult.SUCCESS.value))
        if starting_after_id is not None:
            seq = conn.execute(select(entries.c.server_seq).where(entries.c.id == starting_after_id)).scalar()
            if seq is None:
                raise errors.InvalidPayload(f"starting_after_id {starting_after_id!r} is no transaction")
            stmt = stmt.where(entries.c.server_seq < seq if newest_first else entries.c.server_seq > seq)
        stmt = stmt.order_by(entries.c.server_seq.desc() if newest_first else entries.c.server_seq).limit(limit + 1)
        rows = list(conn.execute(stmt).mappings())
        return rows[:limit], len(rows) > limit, campaign.id

    rows, more, campaign_key = read(call.engine, work)
    data = [transaction(r, campaign_key) for r in rows]
    return shapes.listing(data, has_more=more, more_starting_after=data[-1]["id"] if more and data else None)


def transaction(r: RowMapping, campaign_id: str | None) -> dict[str, Any]:
    """A successful entry as Voucherify's gift-card transaction."""
    kind = r["kind"]
    manual = kind in _MOVES
    return {
        "id": r["id"], "source_id": r["order_ref"], "voucher_id": r["card_id"], "campaign_id": campaign_id,
        "source": None, "reason": r["reason"],
        "related_transaction_id": r["refund_of"], "created_at": shapes.iso(r["created_at"]), "type": kind,
        "details": {"balance": {
            "type": "gift_voucher", "object": "balance", "amount": int(r["amount"]), "total": int(r["total"]),
            "balance": int(r["balance_after"]), "operation_type": "MANUAL" if manual else "AUTOMATIC",
            "related_object": {"type": "voucher", "id": r["card_id"]}}},
    }

