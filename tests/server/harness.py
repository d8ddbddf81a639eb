"""Run the REAL central server in a subprocess, and drive it like a till (reusable by the end-to-end tests).

    with running_server(db_url) as server:                 # `pos-server init`, then `pos-server serve`
        code = enrol_code(db_url)                          # `pos-server device enrol-code --json`
        add_user(db_url, "Ann", "manager", "9876")         # `pos-server user add … --json`
        with HttpTill.enrol(server.url, code, "till 1") as till:
            till.pull()

``db_url`` is any URL ``pos-server --db`` takes (``sqlite:///…`` or ``postgresql+psycopg://…``); the database is
initialised by :func:`running_server` unless ``init=False``. The server listens on 127.0.0.1, on a free port or
the ``port`` given (to bring the same server back after a test took it away), with ``workers`` processes; it is
ready when ``GET /sync/v1/health`` answers, and stopped (SIGTERM, then SIGKILL) when the block ends. What it
printed is ``server.output()``. :func:`enrol_codes` makes several codes with one run of the CLI.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0
#: A PostgreSQL server and a role that may create databases (``.ci/postgres.sh`` prints it).
PG_ENV = "POS_TEST_PG_URL"


@contextmanager
def pg_database(prefix: str) -> Iterator[str]:
    """A PostgreSQL database of its own, ``<prefix>_<random>``, dropped when the block ends. Without
    ``$POS_TEST_PG_URL`` the test is skipped locally and FAILS on CI (``$CI`` set): CI must run it."""
    import pytest
    from sqlalchemy import create_engine, make_url

    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"${PG_ENV} is not set on CI: run .ci/postgres.sh and export what it prints")
        pytest.skip(f"${PG_ENV} is not set: the PostgreSQL half of these tests is skipped")
    url, name = make_url(base), f"{prefix}_{secrets.token_hex(4)}"
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with maintenance.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.dispose()


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "POS_SERVER_DB"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.update(extra or {})
    return env


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def pos_server(db_url: str, *args: str, check: bool = True, timeout: float = 120) -> CliResult:
    """Run ``python -m pos_app.server.cli ARGS --db DB_URL`` and return its exit status and output."""
    proc = subprocess.run([sys.executable, "-m", "pos_app.server.cli", *args, "--db", db_url], cwd=ROOT,
                          env=_env(), capture_output=True, text=True, timeout=timeout, check=False)
    result = CliResult(proc.returncode, proc.stdout, proc.stderr)
    if check and result.code != 0:
        raise AssertionError(f"pos-server {' '.join(args)} failed ({result.code}): {result.err}")
    return result


def enrol_code(db_url: str) -> str:
    """A fresh one-time enrolment code, made with the CLI."""
    return str(pos_server(db_url, "device", "enrol-code", "--json").json()["code"])


def enrol_codes(db_url: str, count: int) -> list[str]:
    """``count`` fresh one-time enrolment codes, made with one run of the CLI (one JSON object per line)."""
    out = pos_server(db_url, "device", "enrol-code", "--count", str(count), "--json").out
    return [json.loads(line)["code"] for line in out.splitlines()]


def add_user(db_url: str, name: str, role: str, pin: str) -> dict[str, Any]:
    """Add a person with the CLI; returns its ``--json`` output (``id``, ``name``, ``role``)."""
    result: dict[str, Any] = pos_server(db_url, "user", "add", name, "--role", role, "--pin", pin, "--json").json()
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[str]
    db_url: str
    log: IO[str]

    def output(self) -> str:
        """What the server printed so far (its log)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@contextmanager
def running_server(db_url: str, *, port: int | None = None, workers: int = 1,
                   init: bool = True) -> Iterator[ServerProcess]:
    """The real server on ``db_url`` (initialised first unless ``init=False``), until the block ends. ``port``:
    a given port (e.g. to bring the same server back after a test took it away), else a free one."""
    if init:
        pos_server(db_url, "init")
    port = free_port() if port is None else port
    cmd = [sys.executable, "-m", "pos_app.server.cli", "serve", "--db", db_url, "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers)]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a file, not a pipe nobody reads while it runs
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT, text=True)
        server = ServerProcess(url=f"http://127.0.0.1:{port}", process=proc, db_url=db_url, log=log)
        try:
            _wait_ready(server)
            yield server
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _wait_ready(server: ServerProcess) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"pos-server serve exited with {server.process.returncode}:\n{server.output()}")
        try:
            if httpx.get(f"{server.url}/sync/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.process.kill()
    raise AssertionError(f"pos-server did not answer on {server.url} within {STARTUP_TIMEOUT} s")


def utcnow() -> datetime:
    return datetime.now(UTC)


class HttpTill:
    """A till's side of the sync API, as plain HTTP (no till code): for tests that drive a server.

    ``http`` is any httpx-compatible client (``httpx.Client`` on a real server, FastAPI's ``TestClient``).
    """

    def __init__(self, http: Any, token: str, device_id: str, *, currency: str = "EUR",
                 operator_id: str | None = None) -> None:
        self.http = http
        self.token = token
        self.device_id = device_id
        self.currency = currency
        self.operator_id = operator_id  # who does what this till sends (a person on the server)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.seq = 0
        self.numbers: dict[str, int] = {}  # entry id → the device_seq it was first asked with

    @classmethod
    def enrol(cls, base_url: str, code: str, name: str = "till", *, operator_id: str | None = None) -> HttpTill:
        """Enrol a till on the server at ``base_url``; ``operator_id``: the person its requests name."""
        http = httpx.Client(base_url=base_url, timeout=30)
        response = http.post("/sync/v1/enrol", json={"code": code, "device_name": name})
        assert response.status_code == 200, response.text
        body = response.json()
        return cls(http, body["token"], body["device_id"], currency=body["store"]["currency"], operator_id=operator_id)

    def __enter__(self) -> HttpTill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def authorise(self, op: str, code: str, amount: int | None = None, **fields: Any) -> httpx.Response:
        """Ask the server; an ``entry_id`` asked before is asked again with its number, as a till retries."""
        entry_id = str(fields.get("entry_id") or uuid.uuid4())
        if entry_id not in self.numbers:
            self.seq += 1
            self.numbers[entry_id] = self.seq
        body: dict[str, Any] = {"op": op, "entry_id": entry_id, "code": code, "amount": amount,
                                "currency": self.currency, "created_at": utcnow().isoformat(),
                                "device_seq": self.numbers[entry_id], "operator_id": self.operator_id}
        body.update(fields)
        return self.http.post("/sync/v1/authorise", json=body, headers=self.headers)

    def push(self, entries: list[dict[str, Any]]) -> httpx.Response:
        return self.http.post("/sync/v1/push", json={"entries": entries}, headers=self.headers)

    def pull(self, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
        response = self.http.get("/sync/v1/pull", params={"cursor": cursor, "limit": limit}, headers=self.headers)
        assert response.status_code == 200, response.text
        page: dict[str, Any] = response.json()
        return page

    def pull_all(self, cursor: int = 0, limit: int = 1000) -> dict[str, Any]:
        """Every page from ``cursor``: the campaigns, cards and users (latest state by id), the entries, the last
        cursor."""
        campaigns: dict[str, Any] = {}
        cards: dict[str, Any] = {}
        users: dict[str, Any] = {}
        entries: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursor, limit)
            campaigns.update({c["id"]: c for c in page["campaigns"]})
            cards.update({c["id"]: c for c in page["cards"]})
            users.update({u["id"]: u for u in page["users"]})
            entries.extend(page["entries"])
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return {"campaigns": campaigns, "cards": cards, "users": users, "entries": entries,
                        "cursor": cursor}

    def offline_entry(self, card: dict[str, Any], kind: str, amount: int, **fields: Any) -> dict[str, Any]:
        """A WireEntry as a till makes it offline (the next device_seq, the till's clock)."""
        self.seq += 1
        entry: dict[str, Any] = {
            "id": str(uuid.uuid4()), "card_id": card["id"], "code": card["code"], "kind": kind, "amount": amount,
            "currency": card["currency"], "balance_after": card["balance"] + amount,
            "created_at": utcnow().isoformat(), "device_id": self.device_id, "device_seq": self.seq,
            "operator_id": self.operator_id, "status": "provisional",
        }
        entry.update(fields)
        return entry
