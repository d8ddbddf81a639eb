"""A sync conflict made as a chain of shops makes one: two REAL tills (the ``pos-app`` command line, each on its own
store) enrolled to the real server through their own network (``LossyProxy``); both go offline and spend the same
card beyond its balance; the network comes back and both sync. For any test that needs a real conflict (the
console's pages among them)::

    with offline_conflict(db_url, server.url, tmp_path) as made:  # €50: 10.00 online, 30.00 + 30.00 offline
        made.code, made.till_a, made.till_b  # the card is at −20.00, frozen, one open conflict on the server
        made.sync()                          # the tills' networks stay up until the block ends
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.e2e.conftest import CASHIER_PIN, Shop
from tests.e2e.ledgers import set_up
from tests.e2e.lossy_proxy import LossyProxy


@dataclass
class OfflineConflict:
    code: str  # the card's
    till_a: Shop  # enrolled as "till-a"
    till_b: Shop  # enrolled as "till-b"
    offline: list[dict[str, Any]]  # the two offline redemptions, as the tills answered them (A's, then B's)

    def sync(self) -> None:
        for till in (self.till_a, self.till_b):
            till.ok("sync", "--once")


@contextmanager
def offline_conflict(db_url: str, server_url: str, tmp_path: Path) -> Iterator[OfflineConflict]:
    """People (the manager Maria, the cashier Chris), a campaign of one €50 card, two tills enrolled through their
    own network; the card sold and 10.00 paid online at till A; both tills offline pay 30.00 each; both sync."""
    till_a, till_b = Shop(tmp_path / "till-a"), Shop(tmp_path / "till-b")
    with ExitStack() as stack:
        net_a, net_b = stack.enter_context(LossyProxy(server_url)), stack.enter_context(LossyProxy(server_url))
        (code,) = set_up(db_url, (till_a, net_a.url), (till_b, net_b.url), amount="50.00", count=1)
        till_a.ok("sell", code)
        assert till_a.ok("redeem", code, "10.00", "--json", pin=CASHIER_PIN).json()["status"] == "confirmed"
        made = OfflineConflict(code, till_a, till_b, [])
        made.sync()  # both tills hold the card at 40.00
        net_a.down()
        net_b.down()
        made.offline = [till.ok("redeem", code, "30.00", "--json", pin=CASHIER_PIN).json() for till in (till_a, till_b)]
        assert [o["status"] for o in made.offline] == ["provisional", "provisional"]
        net_a.up()
        net_b.up()
        made.sync()
        yield made
