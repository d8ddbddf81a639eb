"""The till's client of the server's conflict endpoints, against the real server process on 127.0.0.1.

Two tills overdraw a card offline (tests/integration/conflicts_harness.py); the client lists the open conflict,
a cashier's id is refused, a manager writes it off, a second resolution is ``conflict_resolved``, and the
resolved conflict is listed as such. A server that is gone is ``server_unavailable``, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pos_app.domain import errors
from pos_app.services.online import ServerUnavailable
from pos_app.sync.client import SyncClient
from pos_app.sync.schemas import ResolveConflict
from tests.integration.conflicts_harness import ConflictServer, server_with_conflict
from tests.server.harness import free_port

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConflictServer]:
    with server_with_conflict(tmp_path_factory.mktemp("hq")) as running:
        yield running


def test_lists_and_resolves_the_overdraft_conflict(hq: ConflictServer) -> None:
    with SyncClient(hq.url, hq.token) as client:
        (conflict,) = client.conflicts()
        assert conflict.code == hq.code and conflict.status == "open"
        assert conflict.overdraft == 2 * 3000 - 5000 and conflict.currency == "EUR"
        assert len(conflict.entry_ids) == 1  # the redemption that overdrew it
        assert client.conflicts("resolved") == []

        with pytest.raises(errors.Forbidden):
            client.resolve_conflict(conflict.id, ResolveConflict(action="write_off", reason="shop pays",
                                                                 operator_id=hq.cashier_id))
        done = client.resolve_conflict(conflict.id, ResolveConflict(action="write_off", reason="shop pays",
                                                                    operator_id=hq.manager_id))
        assert done.status == "resolved" and done.resolution == "write_off" and done.reason == "shop pays"
        assert done.overdraft == 1000 and done.resolved_at is not None

        with pytest.raises(errors.GiftCardError) as again:
            client.resolve_conflict(conflict.id, ResolveConflict(action="recover", reason="twice",
                                                                 operator_id=hq.manager_id))
        assert again.value.key == "conflict_resolved"
        with pytest.raises(errors.NotFound):
            client.resolve_conflict("no-such-conflict", ResolveConflict(action="recover", reason="x"))

        assert client.conflicts("open") == []
        assert [c.id for c in client.conflicts("resolved")] == [conflict.id]
        assert [c.id for c in client.conflicts("all")] == [conflict.id]


def test_a_bad_status_is_refused_and_no_server_is_unavailable(hq: ConflictServer, tmp_path: Path) -> None:
    with SyncClient(hq.url, hq.token) as client, pytest.raises(errors.InvalidPayload):
        client.conflicts("everything")
    with SyncClient(f"http://127.0.0.1:{free_port()}", hq.token) as gone, pytest.raises(ServerUnavailable):
        gone.conflicts()
