"""``pos-server console-user add/list/disable/enable/passwd``: the command line of the console's people."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.harness import ROOT, CliResult, _env, pos_server


def _run(db_url: str, *args: str, stdin: str = "") -> CliResult:
    proc = subprocess.run([sys.executable, "-m", "pos_app.server.cli", "console-user", *args, "--db", db_url],
                          input=stdin, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120, check=False)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="module")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('cli')) / 'server.sqlite3'}"
    pos_server(url, "init")
    return url


def test_add_list_disable_enable_and_passwd(db_url: str) -> None:
    added = _run(db_url, "add", "Boss@Example.com", "--role", "admin", "--password-stdin", "--json",
                 stdin="a long password\n")
    assert added.code == 0, added.err
    boss = added.json()
    assert (boss["object"], boss["email"], boss["role"], boss["active"]) == ("console_user", "boss@example.com",
                                                                             "admin", True)
    assert boss["id"].startswith("cu_") and "password" not in json.dumps(boss)
    prompted = _run(db_url, "add", "help@example.com", "--role", "support", stdin="another password\n" * 2)
    assert prompted.code == 0 and "support  help@example.com  active" in prompted.out

    listed = _run(db_url, "list", "--json").json()
    assert [(u["email"], u["role"]) for u in listed] == [("boss@example.com", "admin"), ("help@example.com", "support")]
    disabled = _run(db_url, "disable", "help@example.com", "--json").json()
    assert disabled["active"] is False
    assert "disabled" in _run(db_url, "list").out
    assert _run(db_url, "enable", disabled["id"], "--json").json()["active"] is True
    changed = _run(db_url, "passwd", "help@example.com", "--password-stdin", stdin="a third password\n")
    assert changed.code == 0 and changed.out.startswith("New password for: ")


@pytest.mark.parametrize(("args", "stdin", "code", "said"), [
    (("add", "boss2@example.com", "--role", "admin", "--password-stdin"), "short\n", 1, "invalid_payload"),
    (("add", "not an address", "--role", "admin", "--password-stdin"), "a long password\n", 1, "invalid_payload"),
    (("add", "x@example.com", "--role", "owner", "--password-stdin"), "a long password\n", 2, "owner"),
    (("disable", "nobody@example.com"), "", 1, "not_found"),
])
def test_refusals_say_why_and_exit_non_zero(db_url: str, args: tuple[str, ...], stdin: str, code: int,
                                            said: str) -> None:
    result = _run(db_url, *args, stdin=stdin)
    assert result.code == code and said in result.err and "Traceback" not in result.err


def test_the_same_address_twice_is_refused(db_url: str) -> None:
    assert _run(db_url, "add", "twice@example.com", "--role", "finance", "--password-stdin",
                stdin="a long password\n").code == 0
    again = _run(db_url, "add", "TWICE@example.com", "--role", "admin", "--password-stdin", stdin="a long password\n")
    assert again.code == 1 and "duplicate_found" in again.err
