"""Three tills, online and offline at once, each through its own misbehaving network (``LossyProxy``, seeded:
requests and answers dropped, cut, delayed, duplicated and racing), against the real server process; the tills
run their real code (the use cases with the server's authoriser, the sync worker). Afterwards, once the network
is healthy and every till has synced, every till agrees with the server on every entry and every card, and the
server's ledger holds its invariant card by card.

A failing seed reproduces with one command (the failure message prints it)::

    POS_FAULT_SEEDS=1234 .venv/bin/pytest tests/e2e/test_sync_chaos.py

``POS_FAULT_SEEDS`` (comma-separated) replaces the few seeds of the normal test run; ``POS_FAULT_STEPS`` the
number of operations per seed.
"""

from __future__ import annotations

import os
import random
import shutil
import uuid
from contextlib import ExitStack
from pathlib import Path

import pytest

from pos_app.bootstrap import Till, open_till
from pos_app.domain import errors
from pos_app.domain.ledger import EntryKind
from pos_app.domain.money import Money
from pos_app.services import cards
from pos_app.services.context import Caller
from pos_app.services.online import Authoriser
from pos_app.sync.authoriser import ServerAuthoriser
from pos_app.sync.worker import SyncWorker
from tests.e2e.conftest import CASHIER_PIN, MANAGER_PIN
from tests.e2e.ledgers import assert_agree
from tests.e2e.lossy_proxy import LossyProxy
from tests.server.harness import add_user, enrol_codes, pos_server, running_server

SEEDS = [int(s) for s in os.environ.get("POS_FAULT_SEEDS", "11,23,37").split(",") if s.strip()]
STEPS = int(os.environ.get("POS_FAULT_STEPS", "36"))
RATES = {"drop": 0.1, "cut": 0.12, "delay": 0.04, "duplicate": 0.05, "race": 0.05}
CARDS = 4


class _Till:
    """One till: its store, its network, its authoriser and sync worker, its people."""

    def __init__(self, till: Till, net: LossyProxy) -> None:
        self.till, self.net = till, net
        self.client = till.sync_client()
        # The till's own authoriser, asking again as a till does; the pauses shorter (the test's time is short).
        self.authoriser: Authoriser = ServerAuthoriser(self.client, till.units(), retry_delays=(0.01, 0.03))
        self.worker = SyncWorker(self.client, till.units())
        self.online = True
        self._people: tuple[Caller, Caller] | None = None

    def people(self) -> tuple[Caller, Caller]:
        if self._people is None:  # (a PIN's hash is slow on purpose: log in once)
            self._people = self.till.login(CASHIER_PIN), self.till.login(MANAGER_PIN)
        return self._people

    def redemptions(self) -> list[uuid.UUID]:
        """The successful redemptions this till knows of that it has not seen refunded."""
        with self.till.reader as uow:
            found = [e for card in uow.cards.iter_all() for e in uow.entries.for_card(card.id)]
            refunded = {e.refund_of for e in found if e.kind is EntryKind.CREDITS_REFUND and e.succeeded}
        return sorted(e.id for e in found
                      if e.kind is EntryKind.CREDITS_REDEMPTION and e.succeeded and e.id not in refunded)


def _step(rng: random.Random, tills: list[_Till], codes: list[str]) -> None:
    till = rng.choice(tills)
    cashier, manager = till.people()
    action = rng.choices(["redeem", "refund", "network", "sync"], weights=[5, 2, 2, 2])[0]
    try:
        if action == "redeem":
            amount = Money(rng.randrange(100, 3001, 100), "EUR")
            cards.redeem(till.till.uow, cashier, rng.choice(codes), amount, authoriser=till.authoriser)
        elif action == "refund":
            known = till.redemptions()
            if known:
                cards.refund(till.till.uow, manager, rng.choice(known), authoriser=till.authoriser)
        elif action == "network":
            till.online = not till.online
            (till.net.up if till.online else till.net.down)()
        else:
            till.worker.run_once()
    except errors.GiftCardError:
        pass  # a refusal at the till (over the balance, a frozen card, an offline limit …): the cashier is told


def _settle(tills: list[_Till]) -> None:
    """The network is healthy again: every till syncs until none has anything left to send (a few rounds, so that
    each pulls what the others pushed)."""
    for till in tills:
        till.net.calm()
        till.net.up()
    for _ in range(3):
        for till in tills:
            state = till.worker.run_once()
            assert (state.mode, state.last_error) == ("online", None), state
    for till in tills:
        assert till.worker.run_once().unsynced == 0


@pytest.fixture(scope="module")
def _server_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A server database set up once (people, a campaign, three enrolment codes); each seed gets a copy."""
    path = tmp_path_factory.mktemp("chaos") / "server.sqlite3"
    db_url = f"sqlite:///{path}"
    pos_server(db_url, "init")
    add_user(db_url, "Maria", "manager", MANAGER_PIN)
    add_user(db_url, "Chris", "cashier", CASHIER_PIN)
    pos_server(db_url, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", str(CARDS))
    return path, enrol_codes(db_url, 3)


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_three_tills_through_a_faulty_network_end_with_the_servers_ledger(
        seed: int, tmp_path: Path, _server_template: tuple[Path, list[str]]) -> None:
    template, enrol = _server_template
    shutil.copyfile(template, tmp_path / "server.sqlite3")
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    rng = random.Random(seed)
    with running_server(db_url, init=False) as server, ExitStack() as stack:
        tills: list[_Till] = []
        for i, code in enumerate(enrol):
            net = stack.enter_context(LossyProxy(server.url, seed=seed * 10 + i, rates=RATES, delay=0.1))
            till = open_till(tmp_path / f"till-{i}")
            till.enrol(None, server_url=net.url, code=code, device_name=f"till {i}")
            tills.append(_Till(till, net))
            stack.callback(tills[-1].worker.close)
        for till in tills:
            till.worker.run_once()
        first = tills[0]
        with first.till.reader as uow:
            codes = sorted(card.code for card in uow.cards.iter_all())
        _, manager = first.people()
        for code in codes:
            cards.sell(first.till.uow, manager, code, authoriser=first.authoriser)
        for till in tills:
            till.worker.run_once()
            till.net.wild()

        try:
            for _ in range(STEPS):
                _step(rng, tills, codes)
            _settle(tills)
            assert_agree(db_url, *(t.till.data_dir for t in tills))
        except AssertionError as exc:
            faults = [(e.n, e.path, e.fault) for t in tills for e in t.net.events if e.fault]
            raise AssertionError(f"seed {seed} (faults: {faults}); reproduce with: POS_FAULT_SEEDS={seed} "
                                 f".venv/bin/pytest tests/e2e/test_sync_chaos.py") from exc
