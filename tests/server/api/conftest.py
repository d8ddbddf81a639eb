"""The Voucherify-compatible API driven by the official SDK (``voucherify==6.1.1``, unchanged) against the real
server process, on SQLite and on PostgreSQL.

One server per test module and database (starting one costs a second or two): tests make their own cards with
codes of their own (:func:`new_code`), so they do not see each other's.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import voucherify

from tests.server.harness import ServerProcess, pg_database, pos_server, running_server


@dataclass
class ApiServer:
    """The running server, its database and an API key."""

    process: ServerProcess
    db_url: str
    app_id: str
    app_token: str

    @property
    def url(self) -> str:
        return self.process.url

    def client(self, app_id: str | None = None, app_token: str | None = None, *,
               retry: bool = True) -> voucherify.ApiClient:
        """An SDK client configured as VOUCHERIFY-API.md says (another key's, or a wrong one, if given).
        ``retry=False``: a 429 is seen as it is (the SDK's urllib3 otherwise waits its Retry-After and asks
        again)."""
        cfg = voucherify.Configuration(host=self.url, api_key={
            "X-App-Id": self.app_id if app_id is None else app_id,
            "X-App-Token": self.app_token if app_token is None else app_token}, retries=None if retry else False)
        return voucherify.ApiClient(cfg)

    def new_key(self, name: str = "another client") -> dict[str, Any]:
        key: dict[str, Any] = pos_server(self.db_url, "api-key", "create", "--name", name, "--json").json()
        return key

    @property
    def vouchers(self) -> voucherify.VouchersApi:
        return voucherify.VouchersApi(self.client())


def new_code(prefix: str = "GC") -> str:
    """A code no other test uses (mixed case: the API keeps codes exactly as given)."""
    return f"{prefix}-{secrets.token_hex(4)}-Ab"


@contextmanager
def _database(kind: str, tmp: Any) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'server.sqlite3'}"
    else:
        with pg_database("pos_api") as url:
            yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    """The real server with an API key, on a database of its own for this module."""
    with _database(request.param, tmp_path_factory.mktemp("api")) as db_url, running_server(db_url) as server:
        key = pos_server(db_url, "api-key", "create", "--name", "tests", "--json").json()
        yield ApiServer(process=server, db_url=db_url, app_id=key["app_id"], app_token=key["app_token"])
