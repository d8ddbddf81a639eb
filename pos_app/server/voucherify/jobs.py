"""The API's async actions (``/v1/async-actions/{id}``): imports and a campaign's code generation, recorded in
the database so that every server process answers alike.

An action is ``IN_PROGRESS`` while a server process works on it: ``owner`` names that process, ``heartbeat`` is
when it last made progress (each batch of a generation moves it, in the batch's own transaction). A batch commits
only while its process still owns the action, so two processes never make the same cards. A process that dies
leaves its committed batches (each one whole: cards, entries, counts) and an action whose heartbeat goes stale:
whoever reads it next (``get_async_action``, ``get_campaign``) takes it over and resumes it (:func:`resume`),
making the cards still missing. An action that fails is ``FAILED`` with the reason in ``result``.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from pos_app.domain import errors
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import async_actions
from pos_app.server.ledger import new_id, now

log = logging.getLogger("pos_app.server.voucherify")

GENERATION = "CAMPAIGN.VOUCHERS_GENERATION"
IMPORT = "VOUCHERS.IMPORT"
IMPORT_CSV = "VOUCHERS.IMPORT_CSV"
IN_PROGRESS, DONE, FAILED = "IN_PROGRESS", "DONE", "FAILED"
#: An action whose owner made no progress for this long is taken over (a batch takes a second or two);
#: ``$POS_SERVER_JOB_STALE`` (seconds) changes it.
STALE_ENV = "POS_SERVER_JOB_STALE"
STALE = timedelta(seconds=float(os.environ.get(STALE_ENV) or 60))
#: This server process, as the owner of the actions it runs.
PROCESS = f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


class TakenOver(Exception):
    """This process no longer owns the action (another took it over): its batch is rolled back."""


def start(conn: Connection, *, key_id: str, type: str, campaign_id: str | None = None, sold: bool = False,
          requested: int = 0) -> str:
    """A new action, owned by this process and in progress; returns its id."""
    at = now()
    action_id = new_id("aa")
    conn.execute(insert(async_actions).values(
        id=action_id, key_id=key_id, type=type, status=IN_PROGRESS, campaign_id=campaign_id, sold=sold,
        requested=requested, made=0, result=None, owner=PROCESS, heartbeat=at, created_at=at, updated_at=at))
    return action_id


def get(conn: Connection, action_id: str) -> RowMapping:
    row = conn.execute(select(async_actions).where(async_actions.c.id == action_id)).mappings().first()
    if row is None:
        raise errors.NotFound(f"no async action {action_id[:64]!r}")
    return row


def progress(action_id: str, made: list[str] | None = None) -> Callable[[Connection, list[str]], None]:
    """The hook a generation's batches run in their transaction: ``codes`` more made (added to ``made`` if
    given), the heartbeat moved; raises :class:`TakenOver` (rolling the batch back) when this process no longer
    owns the action."""

    def hook(conn: Connection, codes: list[str]) -> None:
        n = len(codes)
        if made is not None:
            made.extend(codes)
        at = now()
        moved = conn.execute(update(async_actions).where(
            async_actions.c.id == action_id, async_actions.c.owner == PROCESS,
            async_actions.c.status == IN_PROGRESS).values(
            made=async_actions.c.made + n, heartbeat=at, updated_at=at)).rowcount
        if moved != 1:
            raise TakenOver(action_id)

    return hook


def finish(engine: Engine, action_id: str, status: str, result: dict[str, Any]) -> None:
    """The action done or failed, if this process still owns it."""
    def work(conn: Connection) -> None:
        at = now()
        conn.execute(update(async_actions).where(
            async_actions.c.id == action_id, async_actions.c.owner == PROCESS,
            async_actions.c.status == IN_PROGRESS).values(status=status, result=result, updated_at=at,
                                                          heartbeat=at))
    write(engine, work)


def take_over_if_stale(engine: Engine, action_id: str) -> bool:
    """Make this process the owner of an action whose owner went quiet; True if it did."""
    def work(conn: Connection) -> bool:
        at = now()
        return conn.execute(update(async_actions).where(
            async_actions.c.id == action_id, async_actions.c.status == IN_PROGRESS,
            or_(async_actions.c.heartbeat.is_(None), async_actions.c.heartbeat < at - STALE),
        ).values(owner=PROCESS, heartbeat=at, updated_at=at)).rowcount == 1
    return write(engine, work)


def is_stale(row: RowMapping, at: datetime | None = None) -> bool:
    beat = row["heartbeat"]
    return row["status"] == IN_PROGRESS and (beat is None or beat < (at or now()) - STALE)


#: How a resumed action of each type is carried on (registered by the module that runs that type).
RESUMERS: dict[str, Callable[[Engine, str], None]] = {}


def resume(engine: Engine, row: RowMapping) -> None:
    """Carry on a stale action in a background thread of this process, if this process wins it. An action
    that cannot be carried on (an import: its file was not kept) is reported ``FAILED``."""
    if not is_stale(row) or not take_over_if_stale(engine, row["id"]):
        return
    resumer = RESUMERS.get(row["type"])
    if resumer is None:
        finish(engine, row["id"], FAILED, {"message": "the server stopped while working on it; nothing of it was "
                                                      "kept (all or nothing): send it again"})
        return
    log.warning("resuming async action %s (%s): its server process went quiet", row["id"], row["type"])
    in_background(f"resume-{row['id']}", lambda: resumer(engine, row["id"]))


def in_background(name: str, run: Callable[[], None]) -> None:
    threading.Thread(target=run, name=name, daemon=True).start()


def read_fresh(engine: Engine, action_id: str) -> RowMapping:
    """The action, resumed first when its owner went quiet."""
    row = read(engine, lambda conn: get(conn, action_id))
    if is_stale(row):
        resume(engine, row)
        row = read(engine, lambda conn: get(conn, action_id))
    return row
