"""Campaigns as head office looks at them (the console's campaign pages): each with its figures, a page at a time.

* :func:`campaign_page` — the campaigns newest first, :data:`PAGE` at a time after a cursor (the last one's id;
  never OFFSET), each with its cards, how many are active (sold and usable), what is outstanding on them (the
  sum of their balances) and its latest generation (``async_actions``: in progress, done or failed, how far).
* :func:`campaign_figures` — one campaign's page: the same figures plus what is loaded, redeemed and refunded.

**Figures cost a read of every card they count**, so a page counts live at most :data:`LIVE_BUDGET` cards (by
``ix_cards_campaign_id``; a few tens of milliseconds). A larger campaign's figures come from :class:`Counted`, a
per-process snapshot made by a background thread and at most :data:`FRESH` old, shown with the time it was
counted (``counted_at``; None while the first count runs). Measured at a million cards (55 campaigns, one of
500,000) on PostgreSQL: counting the first page's 950,000 cards took 500 ms (and 550 ms with a covering index
``(campaign_id, status, balance)``, an index-only scan, on this busy machine), far over the 200 ms a page may
take; no index makes an O(cards) sum fast, so none was added. Counters kept on the campaign's row would serialise
every redemption of a campaign on that row: the ledger forbids it (DESIGN.md §11).
* :func:`sheet_faces` — the cards of a card sheet: the ``first``-th (1-based, in the order they were made) and
  the ``count`` after it, at most :data:`MAX_SHEET_CARDS`, read from a cursor as the sheet's pages are drawn.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Connection, Engine, case, func, select, tuple_
from sqlalchemy.engine import RowMapping

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus
from pos_app.printing.card_sheet import CardFace, face_of
from pos_app.server.db.engine import read
from pos_app.server.db.models import async_actions, campaigns, cards
from pos_app.server.ledger import now, store_info, store_zone
from pos_app.server.rows import card_from_row

log = logging.getLogger("pos_app.server.console")
PAGE = 50
LIVE_BUDGET = 50_000  # cards a page counts itself; larger campaigns are counted in the background
FRESH = timedelta(seconds=60)
MAX_SHEET_CARDS = 500  # cards per card-sheet download: 50 A4 pages, drawn in a few seconds
GENERATION = "CAMPAIGN.VOUCHERS_GENERATION"  # voucherify.jobs.GENERATION (the console's generations are jobs too)


@dataclass(frozen=True, slots=True)
class Generation:
    """A campaign's latest code generation: ``status`` IN_PROGRESS, DONE or FAILED, ``made`` of ``requested``."""

    id: str
    status: str
    requested: int
    made: int
    message: str | None


@dataclass(frozen=True, slots=True)
class CampaignFigures:
    campaign: Campaign
    cards: int
    active: int  # sold and usable (status active)
    outstanding: int  # minor units of the campaign's currency: the sum of its cards' balances
    generation: Generation | None  # None: made without a job (the CLI, an import)
    loaded: int = 0
    redeemed: int = 0
    refunded: int = 0
    counted_at: datetime | None = None  # None: counted live by this request, or not yet counted (``counting``)
    counting: bool = False  # a large campaign whose first count is still running: its figures are not known yet


_SUMS = (
    func.count().label("cards"),
    func.coalesce(func.sum(case((cards.c.status == CardStatus.ACTIVE.value, 1), else_=0)), 0).label("active"),
    func.coalesce(func.sum(cards.c.balance), 0).label("outstanding"),
    func.coalesce(func.sum(cards.c.loaded), 0).label("loaded"),
    func.coalesce(func.sum(cards.c.redeemed), 0).label("redeemed"),
    func.coalesce(func.sum(cards.c.refunded), 0).label("refunded"),
)
_FIELDS = ("cards", "active", "outstanding", "loaded", "redeemed", "refunded")


def _count(conn: Connection, ids: list[str]) -> dict[str, dict[str, int]]:
    """The figures of the campaigns ``ids``, counted now (one grouped read of their cards)."""
    if not ids:
        return {}
    rows = conn.execute(select(cards.c.campaign_id, *_SUMS).where(cards.c.campaign_id.in_(ids))
                        .group_by(cards.c.campaign_id)).mappings()
    return {r["campaign_id"]: {f: int(r[f]) for f in _FIELDS} for r in rows}


class Counted:
    """Figures of large campaigns, counted by one background thread of this process (one campaign after another,
    so a page of many large campaigns never starts many counts at once) and kept :data:`FRESH`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, str], tuple[dict[str, int], datetime]] = {}
        self._wanted: dict[tuple[str, str], Engine] = {}  # waiting to be counted, in the order asked
        self._worker: threading.Thread | None = None

    def get(self, engine: Engine, campaign_id: str) -> tuple[dict[str, int] | None, datetime | None]:
        """The last count and when it was made (None, None before the first); asks for a new count when the last
        is older than :data:`FRESH`."""
        key = (str(engine.url), campaign_id)
        with self._lock:
            known = self._known.get(key)
            if known is None or known[1] < now() - FRESH:
                self._wanted.setdefault(key, engine)
                if self._worker is None:
                    self._worker = threading.Thread(target=self._run, name="campaign-figures", daemon=True)
                    self._worker.start()
        return known if known is not None else (None, None)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._worker = None
                    return
                key, engine = next(iter(self._wanted.items()))
            try:
                found = read(engine, partial(_count, ids=[key[1]]))
                counted = found.get(key[1], dict.fromkeys(_FIELDS, 0))
                with self._lock:
                    self._known[key] = (counted, now())
            except Exception:  # a count that failed is asked for again by the next page that shows it
                log.exception("counting campaign %s failed", key[1])
            finally:
                with self._lock:
                    self._wanted.pop(key, None)


COUNTED = Counted()


def _figures(engine: Engine, found: list[Campaign], live: dict[str, dict[str, int]],
             jobs: dict[str, Generation]) -> list[CampaignFigures]:
    """Each campaign with its figures: counted live (in ``live``) or else from :data:`COUNTED`."""
    figures = []
    for c in found:
        counted_at = None
        numbers = live.get(c.id)
        if numbers is None:
            numbers, counted_at = COUNTED.get(engine, c.id)
        figures.append(CampaignFigures(campaign=c, generation=jobs.get(c.id), counted_at=counted_at,
                                       counting=numbers is None, **(numbers or dict.fromkeys(_FIELDS, 0))))
    return figures


def _live_ids(found: list[Campaign]) -> list[str]:
    """The campaigns a page counts itself: the small ones, up to :data:`LIVE_BUDGET` cards in all."""
    ids, budget = [], LIVE_BUDGET
    for c in found:
        if c.vouchers_count <= budget:
            ids.append(c.id)
            budget -= c.vouchers_count
    return ids


def _campaign(row: RowMapping) -> Campaign:
    return Campaign(**dict(row))


def _generations(conn: Connection, ids: list[str]) -> dict[str, Generation]:
    """Each campaign's latest generation job (a handful of rows per campaign, by ``ix_async_actions_campaign_id``)."""
    rows = conn.execute(select(async_actions).where(async_actions.c.campaign_id.in_(ids),
                                                    async_actions.c.type == GENERATION)
                        .order_by(async_actions.c.created_at, async_actions.c.id)).mappings()
    latest: dict[str, Generation] = {}
    for r in rows:
        latest[r["campaign_id"]] = Generation(id=r["id"], status=r["status"], requested=int(r["requested"]),
                                              made=int(r["made"]), message=(r["result"] or {}).get("message"))
    return latest


def campaign_page(engine: Engine, *, after: str | None = None, limit: int = PAGE
                  ) -> tuple[list[CampaignFigures], str | None]:
    """Campaigns newest first, ``limit`` after the campaign ``after`` (an id; unknown → from the start), and the
    cursor of the next page (None on the last)."""

    def work(conn: Connection) -> tuple[list[Campaign], bool, dict[str, dict[str, int]], dict[str, Generation]]:
        stmt = select(campaigns).order_by(campaigns.c.created_at.desc(), campaigns.c.id.desc()).limit(limit + 1)
        if after:
            last = conn.execute(select(campaigns.c.created_at, campaigns.c.id)
                                .where(campaigns.c.id == after[:64])).first()
            if last is not None:
                stmt = stmt.where(tuple_(campaigns.c.created_at, campaigns.c.id) < tuple_(last[0], last[1]))
        rows = list(conn.execute(stmt).mappings())
        found = [_campaign(r) for r in rows[:limit]]
        ids = _live_ids(found)
        live = {campaign_id: dict.fromkeys(_FIELDS, 0) for campaign_id in ids} | _count(conn, ids)
        jobs = _generations(conn, [c.id for c in found]) if found else {}
        return found, len(rows) > limit, live, jobs

    found, more, live, jobs = read(engine, work)
    return _figures(engine, found, live, jobs), (found[-1].id if more and found else None)


def find_campaign(conn: Connection, campaign_id: str) -> Campaign:
    row = conn.execute(select(campaigns).where(campaigns.c.id == campaign_id[:64])).mappings().first()
    if row is None:
        raise errors.NotFound(f"no campaign {campaign_id[:64]!r}")
    return _campaign(row)


def generation_of(conn: Connection, campaign_id: str) -> tuple[Campaign, Generation | None]:
    """A campaign and its latest generation, without its figures (a progress bar's poll)."""
    campaign = find_campaign(conn, campaign_id)
    return campaign, _generations(conn, [campaign.id]).get(campaign.id)


def campaign_figures(engine: Engine, campaign_id: str) -> CampaignFigures:
    """One campaign with its figures (``errors.NotFound`` for an unknown id)."""

    def work(conn: Connection) -> tuple[Campaign, dict[str, dict[str, int]], dict[str, Generation]]:
        campaign = find_campaign(conn, campaign_id)
        ids = _live_ids([campaign])
        live = {campaign_id: dict.fromkeys(_FIELDS, 0) for campaign_id in ids} | _count(conn, ids)
        return campaign, live, _generations(conn, [campaign.id])

    campaign, live, jobs = read(engine, work)
    return _figures(engine, [campaign], live, jobs)[0]


def sheet_faces(conn: Connection, campaign: Campaign, *, first: int, count: int, locale: str
                ) -> Iterator[CardFace]:
    """The faces of cards ``first`` … ``first + count - 1`` of ``campaign`` (1-based, in the order they were made:
    their ids are time-ordered), disabled cards included (a sheet reprints what was made); streamed."""
    if first < 1 or not 1 <= count <= MAX_SHEET_CARDS:
        raise errors.InvalidPayload(f"a sheet has 1 to {MAX_SHEET_CARDS} cards, from card 1 on")
    store = store_info(conn)
    zone = store_zone(store)
    stmt = (select(cards).where(cards.c.campaign_id == campaign.id).order_by(cards.c.id)
            .offset(first - 1).limit(count))
    for row in conn.execution_options(yield_per=100).execute(stmt).mappings():
        yield face_of(card_from_row(row), campaign, shop_name=store.name, locale=locale, zone=zone)
