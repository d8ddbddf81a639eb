"""What head office reads of the sync conflicts, for the console's conflict pages. Reads only: resolving is
``conflicts.resolve``, the same for a till, the command line and the console.

* :func:`page` — open or resolved conflicts, newest first (open ones by when they opened, resolved ones by when
  they were resolved), :data:`PAGE_SIZE` a page, by cursor: ``after`` is the last conflict id of the page before.
* :func:`detail` — one conflict: its card, the overdraft, and the card's entries around it, each with its till and
  operator by name and where it was decided (online, offline, head office).

Which entries caused a conflict: its own (the server recorded them into it: the offline redemption that overdrew
the card, and whatever reached the server while the card was frozen), and the offline spending that reached the
server just before the first of them, back to the last entry the server decided itself (online, or head
office's), :data:`BEFORE` entries at most: what the other tills spent offline that the overdrawing till could
not know of. Tills and operators "involved" are the ones of those entries.

Every query is served by an index at a million cards: the page by ``ix_conflicts_status_opened_at`` /
``ix_conflicts_status_resolved_at``, a conflict's entries by ``ix_entries_conflict_id``, the card's entries by
``ix_entries_card_id_server_seq``, names by the primary keys of ``devices``, ``shops``, ``users`` and
``console_users``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Connection,
    Select,
    String,
    bindparam,
    column,
    func,
    literal,
    select,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY

from pos_app.domain import errors
from pos_app.domain.codes import fixed_tail, mask
from pos_app.domain.money import Money
from pos_app.server.conflicts import SERVER_DEVICE, console_user_of, overdraft
from pos_app.server.db.console_models import console_users
from pos_app.server.db.engine import is_postgres
from pos_app.server.db.models import campaigns, cards, conflicts, devices, entries, users
from pos_app.server.db.shop_models import shops
from pos_app.server.ledger import among

PAGE_SIZE = 50
#: How many of the card's entries before a conflict's first one are read (and shown) at most.
BEFORE = 20
#: How many of the card's entries from a conflict's first one on a conflict's page shows at most.
LINES = 200
HEAD_OFFICE = "head office"
Status = Literal["open", "resolved"]
Origin = Literal["online", "offline", "head office"]
_ORIGINS: dict[str, Origin] = {"online": "online", "push": "offline", "server": "head office"}
#: What an entry is to its conflict: recorded into it, offline spending that caused it, its resolution, or only
#: the card's history around it.
Part = Literal["conflict", "cause", "resolution", ""]


@dataclass(frozen=True, slots=True)
class Summary:
    id: str
    status: Status
    card_id: str
    masked_code: str
    overdraft: Money  # how far below zero the card is (open) or was when resolved
    opened_at: datetime
    resolved_at: datetime | None
    resolution: str | None
    reason: str | None
    resolved_by: str | None  # a person's name, a console user's e-mail, or "head office"
    tills: tuple[str, ...]  # of the entries that caused it, by name
    operators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[Summary]
    after: str | None  # the cursor of the next page (None: this is the last)


@dataclass(frozen=True, slots=True)
class Line:
    id: str
    created_at: datetime  # the till's clock, when it happened
    received_at: datetime  # the server's clock, when it reached the server
    till: str
    shop: str | None  # the till's
    operator: str | None
    kind: str
    result: str
    error_key: str | None
    amount: Money
    balance_after: Money  # the server's balance after it
    till_balance_after: Money | None  # what the till showed
    origin: Origin
    reason: str | None
    part: Part


@dataclass(frozen=True, slots=True)
class Detail:
    summary: Summary
    code: str
    card_status: str
    balance: Money
    prior_status: str  # the card's status before it was frozen
    notes: tuple[str, ...]
    lines: list[Line]


_COLUMNS = (conflicts, cards.c.code, cards.c.currency, cards.c.balance, cards.c.status.label("card_status"),
            campaigns.c.code_config)
_BASE = (select(*_COLUMNS).join(cards, cards.c.id == conflicts.c.card_id)
         .outerjoin(campaigns, campaigns.c.id == cards.c.campaign_id))


def _when(status: Status) -> Any:
    return conflicts.c.opened_at if status == "open" else conflicts.c.resolved_at


def page_query(status: Status, size: int = PAGE_SIZE) -> Select[Any]:
    """The first page's query: the conflicts of ``status``, newest first."""
    order = (_when(status).desc(), conflicts.c.id.desc())
    return _BASE.where(conflicts.c.status == status).order_by(*order).limit(size + 1)


def page(conn: Connection, status: Status, *, after: str | None = None, size: int = PAGE_SIZE) -> Page:
    """A page of open or resolved conflicts, newest first (see the module)."""
    at, stmt = _when(status), page_query(status, size)
    if after is not None:
        key = conn.execute(select(at).where(conflicts.c.id == after)).scalar_one_or_none()
        if key is None:
            raise errors.InvalidQueryParams(f"no {status} conflict {after[:64]!r} to page after")
        stmt = stmt.where(tuple_(at, conflicts.c.id) < tuple_(literal(key, at.type), literal(after)))
    rows = conn.execute(stmt).mappings().all()
    more, rows = len(rows) > size, rows[:size]
    summaries = _summaries(conn, rows)
    return Page(summaries, summaries[-1].id if more else None)


def detail(conn: Connection, conflict_id: str) -> Detail:
    """One conflict with the card's entries around it (see the module); ``not_found`` when there is none."""
    row = conn.execute(_BASE.where(conflicts.c.id == conflict_id)).mappings().one_or_none()
    if row is None:
        raise errors.NotFound(f"no conflict {conflict_id[:64]!r}")
    own = _own(conn, [conflict_id]).get(conflict_id, [])
    before = _before(conn, row["card_id"], own[0]["server_seq"]) if own else []
    causes = {e["id"] for e in _causes(before)}
    start = own[0]["server_seq"] if own else 0
    later = conn.execute(select(entries).where(entries.c.card_id == row["card_id"], entries.c.server_seq >= start)
                         .order_by(entries.c.server_seq).limit(LINES)).mappings().all()
    extra = [] if row["resolution_entry_id"] is None else conn.execute(
        select(entries).where(entries.c.id == row["resolution_entry_id"])).mappings().all()
    found = {e["id"]: e for e in [*before, *later, *own, *extra]}
    ordered = sorted(found.values(), key=lambda e: e["server_seq"])
    names = _Names(conn, ordered, [row["resolved_by"]])
    lines = [_line(e, names, _part(e, conflict_id, causes, row["resolution_entry_id"])) for e in ordered]
    summary = _summary(row, [e for e in ordered if e["id"] in causes or e["conflict_id"] == conflict_id], names)
    return Detail(summary=summary, code=row["code"], card_status=row["card_status"],
                  balance=Money(row["balance"], row["currency"]), prior_status=row["prior_status"],
                  notes=tuple((row["notes"] or "").splitlines()), lines=lines)


# ---- the parts ------------------------------------------------------------------------------------------------


def _summaries(conn: Connection, rows: Sequence[Any]) -> list[Summary]:
    own = _own(conn, [r["id"] for r in rows])
    firsts = [(r["id"], r["card_id"], own[r["id"]][0]["server_seq"]) for r in rows if own.get(r["id"])]
    before = _before_each(conn, firsts)
    caused = {r["id"]: [*_causes(before.get(r["id"], [])), *own.get(r["id"], [])] for r in rows}
    names = _Names(conn, [e for found in caused.values() for e in found], [r["resolved_by"] for r in rows])
    return [_summary(r, caused[r["id"]], names) for r in rows]


def _own(conn: Connection, conflict_ids: list[str]) -> dict[str, list[Any]]:
    """The entries recorded into each conflict, in the server's order."""
    found: dict[str, list[Any]] = {}
    if conflict_ids:
        stmt = select(entries).where(among(conn, entries.c.conflict_id, conflict_ids)).order_by(entries.c.server_seq)
        for e in conn.execute(stmt).mappings():
            found.setdefault(e["conflict_id"], []).append(e)
    return found


def _before(conn: Connection, card_id: str, first_seq: int) -> list[Any]:
    """The card's last :data:`BEFORE` entries before ``first_seq``, oldest first."""
    stmt = (select(entries).where(entries.c.card_id == card_id, entries.c.server_seq < first_seq)
            .order_by(entries.c.server_seq.desc()).limit(BEFORE))
    return list(reversed(conn.execute(stmt).mappings().all()))


def _before_each(conn: Connection, wanted: list[tuple[str, str, int]]) -> dict[str, list[Any]]:
    """:func:`_before` of each (conflict id, card id, first seq), by conflict id, in one statement: one index range
    of each card (see :func:`_before_each_pg`, :func:`_before_each_sqlite`)."""
    if not wanted:
        return {}
    if is_postgres(conn):
        ids, card_ids, firsts = (list(x) for x in zip(*wanted, strict=True))
        rows = conn.execute(_before_each_pg(), {"ids": ids, "card_ids": card_ids, "firsts": firsts})
    else:
        params = {f"{name}{k}": value for k, one in enumerate(wanted) for name, value in zip("ics", one, strict=True)}
        rows = conn.execute(_before_each_sqlite(len(wanted)), params)
    found: dict[str, list[Any]] = {}
    for e in rows.mappings():
        found.setdefault(e["for_conflict"], []).append(e)
    return {conflict_id: sorted(lines, key=lambda e: e["server_seq"]) for conflict_id, lines in found.items()}


@cache
def _before_each_pg() -> Select[Any]:
    """PostgreSQL: a LATERAL join on the rows of three arrays, planned once (a UNION of 50 selects took 50 ms to
    plan) and built once."""
    w = func.unnest(bindparam("ids", type_=ARRAY(String)), bindparam("card_ids", type_=ARRAY(String)),
                    bindparam("firsts", type_=ARRAY(BigInteger))).table_valued(
        column("for_conflict", String), column("card_id", String), column("first_seq", BigInteger),
    ).render_derived(name="w")
    each = (select(entries).where(entries.c.card_id == w.c.card_id, entries.c.server_seq < w.c.first_seq)
            .order_by(entries.c.server_seq.desc()).limit(BEFORE).lateral())
    return select(each, w.c.for_conflict).select_from(w).join(each, true())


@lru_cache(maxsize=8)
def _before_each_sqlite(n: int) -> CompoundSelect[Any]:
    """SQLite (no LATERAL): a UNION ALL of one select a card, built once for each number of cards (building 50
    selects took most of a page's time)."""
    return union_all(*(select(select(entries, bindparam(f"i{k}", type_=String).label("for_conflict"))
                              .where(entries.c.card_id == bindparam(f"c{k}", type_=String),
                                     entries.c.server_seq < bindparam(f"s{k}", type_=BigInteger))
                              .order_by(entries.c.server_seq.desc()).limit(BEFORE).subquery())
                       for k in range(n)))


def _causes(before: Sequence[Any]) -> list[Any]:
    """The offline spending among ``before`` that reached the server after its last own decision."""
    found = []
    for e in reversed(before):
        if e["origin"] != "push":
            break
        if e["result"] == "SUCCESS" and e["amount"] < 0:
            found.append(e)
    return list(reversed(found))


def _part(e: Any, conflict_id: str, causes: set[str], resolution_id: str | None) -> Part:
    if e["id"] == resolution_id:
        return "resolution"
    if e["conflict_id"] == conflict_id:
        return "conflict"
    return "cause" if e["id"] in causes else ""


class _Names:
    """The names of the tills and people that ``found`` entries and ``resolved_by`` values name (three reads)."""

    def __init__(self, conn: Connection, found: Iterable[Any], resolved_by: Iterable[str | None]) -> None:
        found = list(found)
        by = [b for b in resolved_by if b]
        device_ids = sorted({e["device_id"] for e in found} - {SERVER_DEVICE})
        people = sorted({e["operator_id"] for e in found if e["operator_id"]} | set(by))
        self.tills: dict[str, str] = {}
        self.shops: dict[str, str] = {}
        if device_ids:
            for r in conn.execute(select(devices.c.id, devices.c.name, shops.c.name.label("shop"))
                                  .outerjoin(shops, shops.c.id == devices.c.shop_id)
                                  .where(among(conn, devices.c.id, device_ids))):
                self.tills[r.id] = r.name
                if r.shop is not None:
                    self.shops[r.id] = r.shop
        self.people = {r.id: r.name for r in conn.execute(
            select(users.c.id, users.c.name).where(among(conn, users.c.id, people)))} if people else {}
        self.console = console_names(conn, [u for u in map(console_user_of, by) if u])

    def till(self, device_id: str) -> str:
        return HEAD_OFFICE if device_id == SERVER_DEVICE else self.tills.get(device_id, device_id)

    def person(self, operator_id: str | None) -> str | None:
        return None if operator_id is None else self.people.get(operator_id, operator_id)

    def resolver(self, resolved_by: str | None) -> str | None:
        console_user = console_user_of(resolved_by)
        if console_user is not None:
            return self.console.get(console_user, console_user)
        return HEAD_OFFICE if resolved_by == SERVER_DEVICE else self.person(resolved_by)


def console_names(conn: Connection, user_ids: list[str]) -> dict[str, str]:
    """The e-mail addresses of these console users, by id."""
    if not user_ids:
        return {}
    stmt = select(console_users.c.id, console_users.c.email).where(among(conn, console_users.c.id, user_ids))
    return {r.id: r.email for r in conn.execute(stmt)}


def _summary(r: Any, caused: Sequence[Any], names: _Names) -> Summary:
    tills = dict.fromkeys(names.till(e["device_id"]) for e in caused)
    operators = dict.fromkeys(p for p in (names.person(e["operator_id"]) for e in caused) if p)
    return Summary(
        id=r["id"], status=r["status"], card_id=r["card_id"],
        masked_code=mask(r["code"], tail=fixed_tail(r["code_config"] or {})),
        overdraft=Money(overdraft(r["status"], r["balance"], r["overdraft"]), r["currency"]),
        opened_at=r["opened_at"], resolved_at=r["resolved_at"], resolution=r["resolution"], reason=r["reason"],
        resolved_by=names.resolver(r["resolved_by"]), tills=tuple(tills), operators=tuple(operators))


def _line(e: Any, names: _Names, part: Part) -> Line:
    currency = e["currency"]
    till_after = e["till_balance_after"]
    return Line(
        id=e["id"], created_at=e["created_at"], received_at=e["received_at"], till=names.till(e["device_id"]),
        shop=names.shops.get(e["device_id"]), operator=names.person(e["operator_id"]), kind=e["kind"],
        result=e["result"], error_key=e["error_key"],
        amount=Money(e["amount"], currency), balance_after=Money(e["balance_after"], currency),
        till_balance_after=None if till_after is None else Money(till_after, currency),
        origin=_ORIGINS.get(e["origin"], "online"), reason=e["reason"], part=part)

