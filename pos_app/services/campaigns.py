"""Campaigns: generate N cards from a code config, in batches, with progress; committed batch by batch so a
till keeps redeeming while a large campaign is generated and a crash keeps what was made."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard
from pos_app.domain.codes import CodeConfig, unique_codes
from pos_app.domain.money import Money, require_positive
from pos_app.domain.people import Permission
from pos_app.services.context import Caller
from pos_app.services.ports import UnitOfWork

Progress = Callable[[int, int], None]  # (done, total)
MAX_CAMPAIGN_SIZE = 10_000_000
BATCH = 10_000


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


def create_campaign(uow: UnitOfWork, caller: Caller, cmd: CreateCampaign, *,
                    progress: Progress = _no_progress, batch_size: int = BATCH) -> Campaign:
    caller.require(Permission.MANAGE_CAMPAIGNS)
    name = cmd.name.strip()
    if not name or len(name) > 200 or not name.isprintable():
        raise errors.InvalidPayload("a campaign needs a name of at most 200 printable characters")
    if not 1 <= cmd.count <= MAX_CAMPAIGN_SIZE:
        raise errors.InvalidPayload(f"a campaign has between 1 and {MAX_CAMPAIGN_SIZE:,} cards")
    require_positive(cmd.amount, what="card value")
    if cmd.expiration_date and cmd.start_date and cmd.expiration_date <= cmd.start_date:
        raise errors.InvalidPayload("the expiry date must be after the start date")
    if cmd.expiration_date and cmd.expiration_date <= caller.clock():
        raise errors.InvalidPayload("the expiry date is in the past")
    config = cmd.code_config.validate()
    config.check_capacity(cmd.count)
    with uow:
        currency = uow.settings.get("currency")
        if currency is not None and cmd.amount.currency != currency:
            raise errors.CurrencyMismatch(f"this store sells cards in {currency}, not {cmd.amount.currency}")
        if uow.campaigns.get_by_name(name) is not None:
            raise errors.DuplicateFound(f"a campaign named {name!r} exists already")
        campaign = Campaign(
            id=new_id("camp"), name=name, currency=cmd.amount.currency, amount=cmd.amount.minor,
            code_config=code_config_dict(config), vouchers_count=0, start_date=cmd.start_date,
            expiration_date=cmd.expiration_date, redemption_limit=cmd.redemption_limit,
            min_order_amount=cmd.min_order_amount, category=cmd.category, created_at=caller.clock(),
        )
        uow.campaigns.add(campaign)
        uow.commit()
    progress(0, cmd.count)
    made = 0
    for codes in unique_codes(config, cmd.count, taken=_taken(uow), batch_size=batch_size):
        with uow:
            uow.cards.add_many([_new_card(campaign, code, card_id)
                                for code, card_id in zip(codes, new_ids("v", len(codes)), strict=True)])
            made += len(codes)
            campaign.vouchers_count = made
            uow.campaigns.save(campaign)
            uow.commit()
        progress(made, cmd.count)
    return campaign


def _taken(uow: UnitOfWork) -> Callable[[list[str]], set[str]]:
    def taken(batch: list[str]) -> set[str]:
        with uow:
            return uow.cards.existing_codes(batch)

    return taken


def _new_card(campaign: Campaign, code: str, card_id: str) -> GiftCard:
    return GiftCard(
        id=card_id, code=code, currency=campaign.currency, campaign_id=campaign.id,
        status=CardStatus.INACTIVE, initial_amount=campaign.amount, start_date=campaign.start_date,
        expiration_date=campaign.expiration_date, redemption_limit=campaign.redemption_limit,
        min_order_amount=campaign.min_order_amount, category=campaign.category, created_at=campaign.created_at,
    )


def code_config_dict(config: CodeConfig) -> dict[str, Any]:
    return {k: v for k, v in asdict(config).items() if v is not None}
