"""Campaigns: generate N cards from a code config, in batches, with progress; committed batch by batch so a
till keeps redeeming while a large campaign is generated and a crash keeps what was made."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard, check_date
from pos_app.domain.codes import CodeConfig, fresh_codes
from pos_app.domain.money import Money, require_positive
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.services.modes import require_standalone
from pos_app.services.ports import UnitOfWork

Progress = Callable[[int, int], None]  # (done, total)
MAX_CAMPAIGN_SIZE = 10_000_000
BATCH_GAP = 0.01  # seconds between batches; the store polls for the write lock every few ms
BATCH = 25_000  # ~0.4 s of write lock per batch; fewer commits keep a million cards under 20 s


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class CreateCampaign:
    name: str
    amount: Money
    count: int
    code_config: CodeConfig = field(default_factory=CodeConfig.readable_default)
    start_date: datetime | None = None
    expiration_date: datetime | None = None
    redemption_limit: int | None = None
    min_order_amount: int | None = None
    category: str | None = None


def new_id(prefix: str) -> str:
    return new_ids(prefix, 1)[0]


def new_ids(prefix: str, n: int) -> list[str]:
    """``n`` unique ids in creation order: ``v_`` + 12 hex digits of milliseconds + 16 random hex digits.

    Time-ordered ids append to the end of the primary-key index instead of landing at random places in it,
    which halves the cost of inserting a million cards; the random part keeps ids unique across tills.
    """
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    hexed = secrets.token_hex(8 * n)  # 64 random bits: no collision among a batch, nor across tills
    return [f"{prefix}_{stamp}{hexed[i : i + 16]}" for i in range(0, 16 * n, 16)]


def plan_campaign(cmd: CreateCampaign, *, campaign_id: str, at: datetime) -> tuple[Campaign, CodeConfig]:
    """The campaign ``cmd`` asks for, with no cards yet, once every rule of a new campaign holds, and its code
    config: the one check of a campaign, on the till and on the server."""
    name = cmd.name.strip()
    if not name or len(name) > 200 or not name.isprintable():
        raise errors.InvalidPayload("a campaign needs a name of at most 200 printable characters")
    if not 1 <= cmd.count <= MAX_CAMPAIGN_SIZE:
        raise errors.InvalidPayload(f"a campaign has between 1 and {MAX_CAMPAIGN_SIZE:,} cards")
    require_positive(cmd.amount, what="card value")
    if cmd.expiration_date and cmd.start_date and cmd.expiration_date <= cmd.start_date:
        raise errors.InvalidPayload("the expiry date must be after the start date")
    if cmd.expiration_date and cmd.expiration_date <= at:
        raise errors.InvalidPayload("the expiry date is in the past")
    check_date(cmd.start_date, "the start date")
    check_date(cmd.expiration_date, "the expiry date")
    config = cmd.code_config.validate()
    config.check_capacity(cmd.count)
    campaign = Campaign(
        id=campaign_id, name=name, currency=cmd.amount.currency, amount=cmd.amount.minor,
        code_config=code_config_dict(config), vouchers_count=0, start_date=cmd.start_date,
        expiration_date=cmd.expiration_date, redemption_limit=cmd.redemption_limit,
        min_order_amount=cmd.min_order_amount, category=cmd.category, created_at=at,
    )
    return campaign, config


def create_campaign(uow: UnitOfWork, caller: Caller, cmd: CreateCampaign, *,
                    progress: Progress = _no_progress, batch_size: int = BATCH) -> Campaign:
    caller.require(Permission.MANAGE_CAMPAIGNS)
    campaign, config = plan_campaign(cmd, campaign_id=new_id("camp"), at=caller.clock())
    name = campaign.name
    with uow:
        require_standalone(uow, "creating a campaign", "pos-server campaign create")
        currency = uow.settings.get("currency")
        if currency is not None and cmd.amount.currency != currency:
            raise errors.CurrencyMismatch(f"this store sells cards in {currency}, not {cmd.amount.currency}")
        if uow.campaigns.get_by_name(name) is not None:
            raise errors.DuplicateFound(f"a campaign named {name!r} exists already")
        uow.campaigns.add(campaign)
        uow.commit()
    progress(0, cmd.count)
    template = _template(campaign)
    seen: set[str] = set()
    # Pipeline: the next batch's codes are drawn on a worker thread while this batch is written (SQLite lets go
    # of the GIL while it writes and commits). Only the worker touches `seen` while a batch is pending.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="campaign-codes") as pool:
        pending: Future[list[str]] | None = None
        while campaign.vouchers_count < cmd.count:
            want = cmd.count - campaign.vouchers_count
            codes = pending.result() if pending else fresh_codes(config, min(batch_size, want), seen)
            pending = None
            if want > len(codes):
                pending = pool.submit(fresh_codes, config, min(batch_size, want - len(codes)), seen)
            _insert_batch(uow, campaign, template, codes)
            progress(campaign.vouchers_count, cmd.count)
            time.sleep(BATCH_GAP)  # the write lock is free for a moment: a waiting sale goes first
    return campaign


def _insert_batch(uow: UnitOfWork, campaign: Campaign, template: GiftCard, codes: list[str]) -> None:
    """Insert a batch in its own transaction. Codes are random over ≥ 32 bits, so a clash with a code already in
    the store is rare: the unique index finds it, and only then are the clashing codes looked up and left out
    (the next batch makes up for them)."""
    for _ in range(2):
        try:
            with uow:
                uow.cards.add_copies(template, list(zip(new_ids("v", len(codes)), codes, strict=True)))
                campaign.vouchers_count += len(codes)
                uow.campaigns.save(campaign)
                uow.commit()
                return
        except errors.DuplicateFound:
            with uow:
                clashes = uow.cards.existing_codes(codes)
            codes = [c for c in codes if c not in clashes]
    raise errors.DuplicateFound("could not insert a batch of new codes; try again")


def _template(campaign: Campaign) -> GiftCard:
    """What every card of the campaign starts as; each gets its own id and code."""
    return GiftCard(
        id="", code="", currency=campaign.currency, campaign_id=campaign.id,
        status=CardStatus.INACTIVE, initial_amount=campaign.amount, start_date=campaign.start_date,
        expiration_date=campaign.expiration_date, redemption_limit=campaign.redemption_limit,
        min_order_amount=campaign.min_order_amount, category=campaign.category, created_at=campaign.created_at,
    )


def code_config_dict(config: CodeConfig) -> dict[str, Any]:
    return {k: v for k, v in asdict(config).items() if v is not None}
