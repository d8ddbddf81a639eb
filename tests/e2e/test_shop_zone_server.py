"""The server and an enrolled till read a card's hours and dates in the shop's time zone (issue 13), the zone
head office sets (``pos-server init --time-zone``) and the till receives with what it pulls: never the zone of
the machine deciding. Here the machines (the server process and the till) are in Tokyo, the shop in New York."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from pos_app.bootstrap import open_till
from pos_app.domain.errors import GiftCardError
from pos_app.server.db.engine import open_engine
from pos_app.server.db.models import cards
from pos_app.services.context import utc_now
from pos_app.sync.apply import pull_all
from tests.server.harness import HttpTill, add_user, enrol_code, pos_server, running_server

SHOP = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def machines_in_tokyo() -> Iterator[None]:
    """This process, and the server it starts, in Tokyo."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        yield
    time.tzset()


def _hours(zone: ZoneInfo) -> tuple[str, str]:
    """Two hours from now, by the clock of ``zone`` ("HH:00"; the end may be past midnight)."""
    hour = datetime.now(zone).hour
    return f"{hour:02d}:00", f"{(hour + 2) % 24:02d}:00"


def _outcome(response: object) -> str:
    body = response.json()  # type: ignore[attr-defined]
    return "SUCCESS" if body["result"] == "SUCCESS" else body["error"]["key"]


@pytest.mark.usefixtures("machines_in_tokyo")
def test_the_server_and_an_enrolled_till_read_hours_and_dates_in_the_shops_zone(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    pos_server(db, "init", "--store-name", "Deli", "--currency", "USD", "--time-zone", "America/New_York")
    maria = add_user(db, "Maria", "manager", "9876")
    pos_server(db, "campaign", "create", "--name", "Hours", "--amount", "50.00", "--count", "2",
               "--expires", "2027-06-30")
    engine = open_engine(db)
    try:
        with engine.begin() as conn:
            (open_id, open_code), (shut_id, shut_code) = conn.execute(
                select(cards.c.id, cards.c.code).order_by(cards.c.id)).all()
            # open now by the shop's clock; the other open now by the machines' clock only
            for card_id, (start, end) in ((open_id, _hours(SHOP)), (shut_id, _hours(TOKYO))):
                conn.execute(update(cards).where(cards.c.id == card_id)
                             .values(validity_start=start, validity_end=end))
            stored = conn.execute(select(cards.c.expiration_date).where(cards.c.id == open_id)).scalar_one()
        assert stored.astimezone(UTC) == datetime(2027, 7, 1, 4, 0, tzinfo=UTC)  # New York's midnight, summer time
        shown = pos_server(db, "card", "show", open_code).out
        assert "Expires   end of Jun 30, 2027 (America/New_York)" in shown

        with running_server(db) as server, HttpTill.enrol(server.url, enrol_code(db), "front",
                                                           operator_id=maria["id"]) as front:
            for code in (open_code, shut_code):
                assert _outcome(front.authorise("sell", code)) == "SUCCESS"
            assert _outcome(front.authorise("redeem", open_code, 100)) == "SUCCESS"
            assert _outcome(front.authorise("redeem", shut_code, 100)) == "voucher_not_active_now"

            till = open_till(tmp_path / "till")
            till.enrol(None, server_url=server.url, code=enrol_code(db), device_name="back")
            pull_all(till.sync_client(), till.units(), clock=utc_now)
            profile = till.profile()
            assert profile.time_zone == "America/New_York"
            with till.reader as uow:
                opened, shut = uow.cards.get_by_code(open_code), uow.cards.get_by_code(shut_code)
            assert opened is not None and shut is not None
            now = utc_now()
            opened.check_usable(now, profile.zone)  # the till decides as the server did
            with pytest.raises(GiftCardError) as refused:
                shut.check_usable(now, profile.zone)
            assert refused.value.key == "voucher_not_active_now"
            assert opened.expiration_date == datetime(2027, 7, 1, 4, 0, tzinfo=UTC)
            with pytest.raises(GiftCardError) as expired:  # the first moment of July 1st in New York
                opened.check_usable(datetime(2027, 7, 1, 4, 0, tzinfo=UTC), profile.zone)
            assert expired.value.key == "voucher_expired" and "2027-06-30" in str(expired.value)
    finally:
        engine.dispose()
