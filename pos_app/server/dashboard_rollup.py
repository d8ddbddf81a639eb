"""The dashboard's rollup kept up: the entries recorded after its watermark folded into it, a bounded batch at a
time, and the liability summed now and then (``db.dashboard_models``; the dashboard reads them in
``server.dashboard``).

**The fold** reads the change log as a pull does: by ``pos``, a line's place in the order of commits (see
``ledger``), never by ``seq``, so that a line that commits late is never skipped: it gets a place after every
line placed before it, after the watermark. One batch (:func:`fold_batch`) is one write transaction: it takes
the watermark (its row ``FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` holds the one write lock), reads
the next ``limit`` placed lines, sums the entries they recorded (an entry's ``server_seq`` is its line's
``seq``: each entry once, whatever lines name it later) with ``dashboard.figure_sums`` — the one definition of
what counts — grouped by till, currency and instant, puts each instant in its local day (the zone of the till's
shop, else the store's), adds them into the rollup and moves the watermark past those lines. Several server
processes may fold at once: the second waits for the first's commit and goes on from its watermark.

**When**: every :data:`EVERY` seconds in each server process (:func:`keep_folding`, started by ``create_app``);
before a dashboard whose tail (the lines after the watermark) is :data:`CATCH_UP_FROM` or longer
(:func:`catch_up`); and by ``pos-server init`` and ``serve`` once they have migrated the database
(:func:`catch_up_all`: after migration 0021, every entry there was).

A till moved to a shop of another zone (or a shop's zone changed) keeps its folded days in the zone they were cut
in (``dashboard_rollup.zone``) until they are folded again: :func:`refold_moved` does that for every till whose
rows are in another zone than its own.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo

import anyio
from sqlalchemy import Connection, Engine, Select, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from pos_app.domain.shop_time import shop_zone
from pos_app.server.dashboard import (
    LIABILITY,
    WATERMARK_ID,
    figure_sums,
    till_groups,
)
from pos_app.server.db.dashboard_models import liability_snapshot, rollup, watermark
from pos_app.server.db.engine import is_postgres, write
from pos_app.server.db.models import MOVES_MONEY, changes, entries
from pos_app.server.ledger import now, place_changes, store_info, with_zone

log = logging.getLogger(__name__)

#: Lines of the change log one batch folds (one write transaction: a few milliseconds of the write lock).
BATCH = 2000
#: Lines one batch of :func:`catch_up_all` folds (the backfill of a database that had entries before the rollup).
BACKFILL_BATCH = 200_000
#: Seconds between two folds of a server process.
EVERY = 30.0
#: A dashboard asked with this many lines after the watermark folds first (at most :data:`CATCH_UP_BATCHES`).
CATCH_UP_FROM = 10_000
CATCH_UP_BATCHES = 50
#: Seconds a liability sum is shown for before the fold sums it again.
LIABILITY_EVERY = 60.0

_SUMS = ("sales", "sold", "redemptions", "redeemed")
Key = tuple[str, str, date, str]  # device_id, zone, day, currency


def lock_watermark(conn: Connection) -> int:
    """The watermark, held by this transaction until it commits (PostgreSQL: its row locked; SQLite: the
    transaction's ``BEGIN IMMEDIATE``)."""
    stmt = select(watermark.c.pos).where(watermark.c.id == WATERMARK_ID)
    return int(conn.execute(stmt.with_for_update() if is_postgres(conn) else stmt).scalar_one())


def _zones(conn: Connection) -> tuple[dict[str, str], str]:
    """Each till's zone (its shop's, else the store's) and the store's (every other entry's)."""
    store_zone = with_zone(store_info(conn)).time_zone or "UTC"
    return {device_id: group.zone for device_id, group in till_groups(conn).items()}, store_zone


def _sums_by_instant(conn: Connection, which: Select[tuple[int]]) -> dict[Key, list[int]]:
    """The entries that moved money among those recorded by the lines ``which`` selects (a select of ``seq``),
    summed by till, zone, local day and currency."""
    zones, store_zone = _zones(conn)
    stmt = (select(entries.c.device_id, entries.c.currency, entries.c.created_at, *figure_sums())
            .where(text(MOVES_MONEY), entries.c.server_seq.in_(which))
            .group_by(entries.c.device_id, entries.c.currency, entries.c.created_at))
    found: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    tz_cache: dict[str, tzinfo] = {}
    for r in conn.execute(stmt):
        zone = zones.get(r.device_id, store_zone)
        tz = tz_cache.get(zone) or tz_cache.setdefault(zone, shop_zone(zone))
        sums = found[(r.device_id, zone, r.created_at.astimezone(tz).date(), r.currency)]
        for i, value in enumerate((r.sales, r.sold, r.n, r.redeemed)):
            sums[i] += int(value)
    return found


def _add(conn: Connection, found: Mapping[Key, list[int]]) -> None:
    """Add ``found`` into the rollup (a row made or its sums increased)."""
    if not found:
        return
    rows = [{"device_id": d, "zone": z, "day": day, "currency": c, **dict(zip(_SUMS, sums, strict=True))}
            for (d, z, day, c), sums in found.items()]
    stmt = (pg_insert(rollup) if is_postgres(conn) else sqlite_insert(rollup))
    conn.execute(stmt.on_conflict_do_update(
        index_elements=[rollup.c.device_id, rollup.c.zone, rollup.c.day, rollup.c.currency],
        set_={name: rollup.c[name] + stmt.excluded[name] for name in _SUMS}), rows)


def fold_batch(conn: Connection, *, limit: int = BATCH, at: datetime | None = None) -> int:
    """Fold the entries of the next ``limit`` placed lines after the watermark; returns how many lines (0: none
    after it). Run it in a write transaction of its own (:func:`fold`)."""
    mark = lock_watermark(conn)
    nxt = select(changes.c.pos).where(changes.c.pos > mark).order_by(changes.c.pos).limit(limit).subquery()
    upto, lines = conn.execute(select(func.max(nxt.c.pos), func.count())).one()
    if not lines:
        return 0
    _add(conn, _sums_by_instant(conn, select(changes.c.seq).where(changes.c.pos > mark, changes.c.pos <= upto)))
    conn.execute(update(watermark).where(watermark.c.id == WATERMARK_ID).values(pos=upto, folded_at=at or now()))
    return int(lines)


def fold(engine: Engine, *, batches: int | None = None, limit: int = BATCH) -> int:
    """Place the committed lines (PostgreSQL), then fold batch after batch until the rollup holds every placed
    line or ``batches`` were folded; returns how many lines were folded."""
    while write(engine, lambda conn: place_changes(conn, limit)) == limit:
        pass
    folded, done = 0, 0
    while batches is None or done < batches:
        lines = write(engine, lambda conn: fold_batch(conn, limit=limit))
        folded, done = folded + lines, done + 1
        if lines < limit:
            break
    return folded


def tail_length(conn: Connection, *, up_to: int = CATCH_UP_FROM) -> int:
    """How many lines (up to ``up_to``) the rollup does not hold yet, placed or not."""
    mark = select(watermark.c.pos).where(watermark.c.id == WATERMARK_ID).scalar_subquery()
    after = select(changes.c.seq).where(changes.c.pos > mark).limit(up_to).subquery()
    unplaced = select(changes.c.seq).where(changes.c.pos.is_(None)).limit(up_to).subquery()
    return int(conn.execute(select(select(func.count()).select_from(after).scalar_subquery()
                                   + select(func.count()).select_from(unplaced).scalar_subquery())).scalar_one())


def catch_up(engine: Engine) -> int:
    """Before a dashboard: fold (at most :data:`CATCH_UP_BATCHES` batches) if the tail is long enough to make the
    page's live sums slow; returns the lines folded."""
    with engine.connect() as conn:
        if tail_length(conn) < CATCH_UP_FROM:
            return 0
    return fold(engine, batches=CATCH_UP_BATCHES)


def catch_up_all(engine: Engine) -> int:
    """Fold everything after the watermark in large batches and sum the liability if due (``init`` and ``serve``,
    after migrating: cheap when the rollup is up to date); returns the lines folded."""
    lines = fold(engine, limit=BACKFILL_BATCH)
    write(engine, lambda conn: sum_liability(conn, at=now()))
    return lines


def sum_liability(conn: Connection, *, at: datetime, every: float = LIABILITY_EVERY) -> bool:
    """Sum the liability into ``dashboard_liability`` unless a sum younger than ``every`` seconds is there (under
    the watermark, so that two processes do not both sum); returns whether it summed."""
    lock_watermark(conn)
    last = conn.execute(select(func.min(liability_snapshot.c.at))).scalar()
    if last is not None and last > at - timedelta(seconds=every):
        return False
    conn.execute(delete(liability_snapshot))
    rows = [{"currency": r.currency, "cards": int(r.n), "outstanding": int(r.outstanding), "at": at}
            for r in conn.execute(LIABILITY)]
    if rows:
        conn.execute(liability_snapshot.insert(), rows)
    return True


def refold_moved(conn: Connection) -> int:
    """Fold again, from their entries, the days of every till whose rows were cut in another zone than its own
    now (moved to a shop of another zone, or its shop's zone changed); returns how many tills. Under the
    watermark: the entries up to it."""
    mark = lock_watermark(conn)
    zones, store_zone = _zones(conn)
    folded = conn.execute(select(rollup.c.device_id, rollup.c.zone).distinct()).all()
    moved = sorted({r.device_id for r in folded if zones.get(r.device_id, store_zone) != r.zone})
    for device_id in moved:
        conn.execute(delete(rollup).where(rollup.c.device_id == device_id))
        placed = select(changes.c.seq).where(changes.c.pos <= mark)
        found = _sums_by_instant(conn, placed.where(changes.c.seq.in_(
            select(entries.c.server_seq).where(entries.c.device_id == device_id))))
        _add(conn, found)
    return len(moved)


def step(engine: Engine) -> None:
    """One round of the background task: fold what is new, the moved tills' days, the liability when due."""
    fold(engine)
    write(engine, refold_moved)
    write(engine, lambda conn: sum_liability(conn, at=now()))


async def keep_folding(engine: Engine, *, every: float = EVERY) -> None:
    """Run :func:`step` every ``every`` seconds (on a worker thread) until cancelled; a failed round is logged
    and the next one tries again."""
    while True:
        try:
            await anyio.to_thread.run_sync(step, engine)
        except Exception:  # a round that failed (a database restarting …) must not end the task
            log.exception("the dashboard's fold failed; trying again in %s s", every)
        await anyio.sleep(every)
