"""The head-office dashboard's figures: what the chain owes on its cards, what its shops sold and took in cards
today, in 7 and in 30 days, the open conflicts, and the tills not seen for longer than they may be offline.

Plain dataclasses out, SQL aggregates in, on SQLite and PostgreSQL. The sales and redemptions come from the
rollup (``db.dashboard_models``, kept by ``server.dashboard_rollup``: per till, local day and currency, up to a
watermark in the change log) plus the entries after its watermark summed live (:func:`tail`: those of the last
seconds), both with :func:`figure_sums`, the one definition of what counts; ``direct=True`` sums every entry of
the days instead (the reference the tests hold the rollup to). At a million cards and three million entries the
direct sums read ~1.6 million index entries (seconds); the rollup's ~6,000 rows, summed per shop in the database,
take milliseconds (``tests/server/console_benchmark.py``).

* **liability**: the balances of the active cards, by currency (``ix_cards_active_currency_balance``, an
  index-only scan on PostgreSQL); past :data:`SNAPSHOT_FROM` active cards the fold's last sum, with its time;
* **sales and redemptions**: the entries that moved money, by till, currency and local day of the shop
  (``ix_entries_dashboard``, whose predicate is :data:`MOVES_MONEY`, covering every column the sums read).
  *Sold* is the value put on cards by sales and top-ups (a correction up is no sale: ``addition_kind``);
  *redeemed* is the value taken by redemptions less what their refunds gave back (an import's stand-in for
  balance used elsewhere is no redemption). A day is the local day of the entry's ``created_at`` (when it
  happened at the till) in its shop's time zone; "today" is the shop's today, "7 days" today and the six before;
* **conflicts**: the open ones (the partial unique index of open conflicts), with their overdraft by currency.

Entries of no till (head office's own, the API's) are grouped as :data:`HEAD_OFFICE`, in the store's zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from sqlalchemy import Connection, Integer, Select, bindparam, case, func, select, text, union_all
from sqlalchemy.sql.elements import ColumnElement

from pos_app.domain.cards import CardStatus
from pos_app.domain.shop_time import shop_zone, start_of_day
from pos_app.server.db.dashboard_models import liability_snapshot, rollup, watermark
from pos_app.server.db.models import MOVES_MONEY, cards, changes, conflicts, devices, entries
from pos_app.server.db.shop_models import shops, till_limits
from pos_app.server.ledger import limits, store_info, with_zone

ACTIVE = CardStatus.ACTIVE.value
#: The days the dashboard looks back over (today included), and its shorter periods.
DAYS = 30
WEEK = 7
#: The group of the entries made by no till: head office's command line and console, the API.
HEAD_OFFICE = ""
#: The key of the rollup's one watermark row.
WATERMARK_ID = 1


@dataclass(frozen=True, slots=True)
class Liability:
    """What the chain owes in one currency: the balances of its active cards."""

    currency: str
    cards: int
    outstanding: int


@dataclass(frozen=True, slots=True)
class Figures:
    """Sales (``sales`` of them, ``sold`` their value) and redemptions (``redemptions``, ``redeemed`` net of
    refunds), minor units."""

    sales: int = 0
    sold: int = 0
    redemptions: int = 0
    redeemed: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.sales + other.sales, self.sold + other.sold, self.redemptions + other.redemptions,
                       self.redeemed + other.redeemed)


@dataclass(frozen=True, slots=True)
class ShopFigures:
    """One shop's (or till's, or head office's: ``group_id`` :data:`HEAD_OFFICE`) figures in one currency."""

    group_id: str
    name: str
    currency: str
    today: Figures
    week: Figures
    month: Figures


@dataclass(frozen=True, slots=True)
class DayFigures:
    """The whole chain's figures of one local day (each shop's day in its own zone) in one currency."""

    day: date
    currency: str
    figures: Figures


@dataclass(frozen=True, slots=True)
class OpenConflicts:
    count: int
    overdraft: Mapping[str, int]  # by currency, minor units


@dataclass(frozen=True, slots=True)
class OfflineTill:
    """A till not seen (no authenticated sync request) for longer than its offline limit."""

    device_id: str
    name: str
    shop: str | None
    last_seen_at: datetime | None  # None: never since it was enrolled
    limit_seconds: int


@dataclass(frozen=True, slots=True)
class Group:
    """What the sales of a till are counted under: its shop (or the till itself), in that shop's zone."""

    group_id: str
    name: str
    zone: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the page shows; ``currency`` and ``zone`` are the store's (its charts' currency, the time zone
    of its days)."""

    at: datetime
    currency: str
    zone: tzinfo
    liability: tuple[Liability, ...]
    shops: tuple[ShopFigures, ...]
    days: tuple[DayFigures, ...]
    conflicts: OpenConflicts
    offline: tuple[OfflineTill, ...] = ()
    groups: Mapping[str, Group] = field(default_factory=dict)
    liability_at: datetime | None = None  # when the liability was summed (None: now, for this page)


#: The liability: served by ``ix_cards_active_currency_balance`` alone (an index-only scan on PostgreSQL).
LIABILITY = (select(cards.c.currency, func.count().label("n"), func.sum(cards.c.balance).label("outstanding"))
             .where(cards.c.status == ACTIVE).group_by(cards.c.currency).order_by(cards.c.currency))


def liability(conn: Connection) -> tuple[Liability, ...]:
    return tuple(Liability(r.currency, int(r.n), int(r.outstanding)) for r in conn.execute(LIABILITY))


#: From this many active cards on, the page shows the liability the fold last summed (``dashboard_rollup``) rather
#: than sum it itself: the sum reads every active card's index entry (0.1–0.24 s at 900,000 of them).
SNAPSHOT_FROM = 100_000


def liability_shown(conn: Connection) -> tuple[tuple[Liability, ...], datetime | None]:
    """The liability the page shows and when it was summed (None: now): the fold's last sum once the store has
    :data:`SNAPSHOT_FROM` active cards, the sum itself below that (milliseconds) or before any fold summed it."""
    snapshot = conn.execute(select(liability_snapshot).order_by(liability_snapshot.c.currency)).all()
    if snapshot and sum(int(r.cards) for r in snapshot) >= SNAPSHOT_FROM:
        return (tuple(Liability(r.currency, int(r.cards), int(r.outstanding)) for r in snapshot),
                min(r.at for r in snapshot))
    return liability(conn), None


def open_conflicts(conn: Connection) -> OpenConflicts:
    stmt = (select(cards.c.currency, func.count().label("n"), func.sum(conflicts.c.overdraft).label("overdraft"))
            .select_from(conflicts.join(cards, cards.c.id == conflicts.c.card_id))
            .where(conflicts.c.status == "open").group_by(cards.c.currency).order_by(cards.c.currency))
    rows = conn.execute(stmt).all()
    return OpenConflicts(sum(int(r.n) for r in rows), {r.currency: int(r.overdraft) for r in rows})


def till_groups(conn: Connection) -> dict[str, Group]:
    """Every till's group: its shop, in the shop's zone; a till of no shop (enrolled before shops) is a group of
    its own, in the store's zone."""
    zone = with_zone(store_info(conn)).time_zone or "UTC"
    stmt = (select(devices.c.id, devices.c.name, devices.c.shop_id, shops.c.name.label("shop"), shops.c.time_zone)
            .select_from(devices.outerjoin(shops, shops.c.id == devices.c.shop_id)))
    return {r.id: Group(r.shop_id, r.shop, r.time_zone) if r.shop_id else Group(r.id, r.name, zone)
            for r in conn.execute(stmt)}


def shop_groups(conn: Connection) -> list[Group]:
    """Every shop, tills or not (a shop that sold nothing is shown with zeros)."""
    return [Group(r.id, r.name, r.time_zone) for r in conn.execute(select(shops.c.id, shops.c.name,
                                                                            shops.c.time_zone))]


def offline_tills(conn: Connection, *, at: datetime) -> tuple[OfflineTill, ...]:
    """The tills in service (not revoked) not seen for longer than their offline limit (their own, else the
    chain's), the longest unseen first; a till never seen counts from its enrolment. A scan of ``devices`` (a
    chain has thousands of tills, not millions): the ones unseen for longer than the shortest limit any till has
    are read, and each is held to its own."""
    chain = limits(conn).max_offline_seconds
    shortest = min(chain, conn.execute(select(func.min(till_limits.c.max_offline_seconds))).scalar() or chain)
    seen = func.coalesce(devices.c.last_seen_at, devices.c.created_at)
    stmt = (select(devices.c.id, devices.c.name, shops.c.name.label("shop"), devices.c.last_seen_at,
                   devices.c.created_at, till_limits.c.max_offline_seconds.label("own"))
            .select_from(devices.outerjoin(shops, shops.c.id == devices.c.shop_id)
                         .outerjoin(till_limits, till_limits.c.device_id == devices.c.id))
            .where(devices.c.revoked_at.is_(None), seen < at - timedelta(seconds=shortest)))
    found = []
    for r in conn.execute(stmt):
        limit = chain if r.own is None else int(r.own)
        if (r.last_seen_at or r.created_at) < at - timedelta(seconds=limit):
            found.append(OfflineTill(r.id, r.name, r.shop, r.last_seen_at, limit))
    return tuple(sorted(found, key=lambda t: (t.last_seen_at is not None, t.last_seen_at or at, t.name)))


def day_starts(today: date, zone: str) -> list[datetime]:
    """The first instants (UTC) of the :data:`DAYS` local days up to ``today``, and of the day after it."""
    first = today - timedelta(days=DAYS - 1)
    return [start_of_day(first + timedelta(days=i), shop_zone(zone)) for i in range(DAYS + 1)]


def _day_index(starts: list[datetime]) -> ColumnElement[int]:
    """Which of the days an entry's ``created_at`` falls in (0: the first), -1 outside them."""
    whens = [(entries.c.created_at >= starts[-1], -1)]
    whens += [(entries.c.created_at >= start, i) for i, start in reversed(list(enumerate(starts[:-1])))]
    return case(*whens, else_=-1)


def figure_sums() -> list[ColumnElement[int]]:
    """What the entries that moved money (:data:`MOVES_MONEY`) add up to, in the order of :class:`Figures`: the
    sales (an addition: a sale or top-up) and their value, the redemptions and their value net of refunds. The one
    definition of what counts: the direct sums, the rollup's fold and its live tail all sum these."""
    addition = entries.c.kind == "CREDITS_ADDITION"
    return [func.sum(case((addition, 1), else_=0), type_=Integer).label("sales"),
            func.sum(case((addition, entries.c.amount), else_=0), type_=Integer).label("sold"),
            func.sum(case((entries.c.kind == "CREDITS_REDEMPTION", 1), else_=0), type_=Integer).label("n"),
            func.sum(case((addition, 0), else_=-entries.c.amount), type_=Integer).label("redeemed")]


def sums_query(starts: Mapping[str, list[datetime]], zones: Mapping[str, Collection[str]], store_zone: str,
               only: ColumnElement[bool] | None = None) -> Select[Any]:
    """Sales and redemptions by till, currency and day of its zone (``starts``: each zone's days), in one range
    of ``ix_entries_dashboard`` (which holds every column read: an index-only scan on PostgreSQL). ``zones``: the
    tills of each zone but the store's, whose days every other entry (a till of no shop, head office) counts in.
    ``only``: the entries to sum (the rollup's tail), else every one of the days."""
    others = [(entries.c.device_id.in_(sorted(zones[zone])), _day_index(starts[zone]))
              for zone in sorted(zones) if zone != store_zone and zones[zone]]
    store_days = _day_index(starts[store_zone])
    day = (case(*others, else_=store_days) if others else store_days).label("d")
    return (
        select(entries.c.device_id, entries.c.currency, day, *figure_sums())
        .where(text(MOVES_MONEY), entries.c.created_at >= min(days[0] for days in starts.values()),
               entries.c.created_at < max(days[-1] for days in starts.values()),
               *([] if only is None else [only]))
        .group_by(entries.c.device_id, entries.c.currency, day)
    )


class _Tally:
    """The figures of each group's periods and of the chain's days, added up row by row (each row: a till's, in a
    currency, on day ``d`` of its zone's :data:`DAYS`, 0 the first), in plain lists (thousands of rollup rows)."""

    def __init__(self, groups: Mapping[str, Group], today: Mapping[str, date], store_zone: str) -> None:
        self.groups, self.today, self.store_zone = groups, today, store_zone
        self.per_group: dict[tuple[str, str], list[list[int]]] = {}
        self.per_day: dict[tuple[date, str], list[int]] = {}

    def zone(self, device_id: str) -> str:
        owner = self.groups.get(device_id)
        return owner.zone if owner else self.store_zone

    def add(self, device_id: str, currency: str, d: int, row: Any) -> None:
        if not 0 <= d < DAYS:
            return  # outside its zone's days
        owner = self.groups.get(device_id)
        values = (int(row.sales), int(row.sold), int(row.n), int(row.redeemed))
        sums = self.per_group.setdefault((owner.group_id if owner else HEAD_OFFICE, currency),
                                         [[0] * 4, [0] * 4, [0] * 4])
        for period, inside in zip(sums, (d == DAYS - 1, d >= DAYS - WEEK, True), strict=True):
            if inside:
                for i in range(4):
                    period[i] += values[i]
        day = self.per_day.setdefault((self.today[self.zone(device_id)] - timedelta(days=DAYS - 1 - d), currency),
                                      [0] * 4)
        for i in range(4):
            day[i] += values[i]

    def found(self) -> tuple[tuple[ShopFigures, ...], tuple[DayFigures, ...]]:
        names = {g.group_id: g.name for g in self.groups.values()}
        shops = tuple(sorted((ShopFigures(gid, names.get(gid, ""), currency, *(Figures(*p) for p in sums))
                              for (gid, currency), sums in self.per_group.items()), key=_order))
        days = tuple(DayFigures(day, currency, Figures(*sums))
                     for (day, currency), sums in sorted(self.per_day.items()))
        return shops, days


#: The rollup's days from ``first`` on, summed by group (a till's shop, else the till itself), day and currency,
#: each with the watermark they hold the entries up to (one statement: one snapshot, so that a fold committing
#: meanwhile can neither hide nor double an entry).
_OWNER = func.coalesce(devices.c.shop_id, rollup.c.device_id)
_FOLDED = (select(watermark.c.pos.label("mark"), _OWNER.label("owner"), rollup.c.day, rollup.c.currency,
                  func.sum(rollup.c.sales).label("sales"), func.sum(rollup.c.sold).label("sold"),
                  func.sum(rollup.c.redemptions).label("n"), func.sum(rollup.c.redeemed).label("redeemed"))
           .select_from(watermark.outerjoin(rollup, rollup.c.day >= bindparam("first"))
                        .outerjoin(devices, devices.c.id == rollup.c.device_id))
           .where(watermark.c.id == WATERMARK_ID)
           .group_by(watermark.c.pos, _OWNER, rollup.c.day, rollup.c.currency))


def tail(mark: int) -> ColumnElement[bool]:
    """The entries the rollup does not hold yet: recorded by a line of the change log after ``mark`` or not yet
    placed (PostgreSQL places a line once it has committed: ``ledger.place_changes``)."""
    after = select(changes.c.seq).where(changes.c.pos > mark)
    unplaced = select(changes.c.seq).where(changes.c.pos.is_(None))
    return entries.c.server_seq.in_(union_all(after, unplaced))


def sales(conn: Connection, *, at: datetime, groups: Mapping[str, Group], store_zone: str, direct: bool = False
          ) -> tuple[tuple[ShopFigures, ...], tuple[DayFigures, ...]]:
    """Each group's figures (today, 7 days, 30 days) and the chain's of each of the 30 days, by currency, each
    entry in a day of its till's zone: the rollup's days (``dashboard_rollup``) and the entries after its
    watermark, summed live; ``direct``: every entry of the days summed (the reference the rollup is checked
    against; seconds at a million cards)."""
    zones: dict[str, set[str]] = defaultdict(set)
    for device_id, group in groups.items():
        zones[group.zone].add(device_id)
    zones.setdefault(store_zone, set())
    today = {zone: at.astimezone(shop_zone(zone)).date() for zone in zones}
    starts = {zone: day_starts(today[zone], zone) for zone in zones}
    tally = _Tally(groups, today, store_zone)
    only = None
    if not direct:
        folded = conn.execute(_FOLDED, {"first": min(today.values()) - timedelta(days=DAYS - 1)}).all()
        if not folded:
            raise RuntimeError("the dashboard's rollup has no watermark: is the database migrated?")
        owners = {g.group_id: device_id for device_id, g in groups.items()}  # a till of each group
        for r in folded:
            if r.owner is not None:  # a shop's id, or a till's, or the device id of head office's entries
                owner = owners.get(r.owner, r.owner)
                zone = tally.zone(owner)
                tally.add(owner, r.currency, DAYS - 1 - (today[zone] - r.day).days, r)
        only = tail(int(folded[0].mark))
    for r in conn.execute(sums_query(starts, zones, store_zone, only)):
        tally.add(r.device_id, r.currency, int(r.d), r)
    return tally.found()


def _order(shop: ShopFigures) -> tuple[bool, str, str, str]:
    """By name, head office last."""
    return shop.group_id == HEAD_OFFICE, shop.name.casefold(), shop.group_id, shop.currency


def dashboard(conn: Connection, *, at: datetime, direct: bool = False) -> Dashboard:
    """``direct``: the sums from every entry (see :func:`sales`) and the liability summed now."""
    groups = till_groups(conn)
    store = with_zone(store_info(conn))
    store_zone = store.time_zone or "UTC"
    per_shop, days = sales(conn, at=at, groups=groups, store_zone=store_zone, direct=direct)
    shown = {(s.group_id, s.currency) for s in per_shop}
    idle = [ShopFigures(g.group_id, g.name, store.currency, Figures(), Figures(), Figures())
            for g in shop_groups(conn) if (g.group_id, store.currency) not in shown]
    owed, owed_at = (liability(conn), None) if direct else liability_shown(conn)
    return Dashboard(at=at, currency=store.currency, zone=shop_zone(store_zone), liability=owed,
                     shops=tuple(sorted((*per_shop, *idle), key=_order)), days=days,
                     conflicts=open_conflicts(conn), offline=offline_tills(conn, at=at),
                     groups={g.group_id: g for g in groups.values()}, liability_at=owed_at)
