"""The real ``pos-app`` command line in a subprocess, on a real store in a directory: one driver for every test
directory that runs it (tests/e2e, tests/printing)."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANAGER_PIN = "9876"
CASHIER_PIN = "1234"
#: What a test's environment must not leak into the command: its PIN and store, and a display (the command
#: picks Qt's offscreen platform itself when there is none).
_CLEARED = {"POS_APP_PIN", "POS_APP_DATA_DIR", "DISPLAY", "QT_QPA_PLATFORM"}


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Shop:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def run(self, *args: str | Path, pin: str | None = MANAGER_PIN, stdin: str | None = None,
            env: dict[str, str] | None = None) -> Result:
        """Run ``pos-app --data-dir … ARGS``; whatever it does, it never shows a traceback (DESIGN §12)."""
        full_env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
        full_env.update(env or {})
        if pin is not None:
            full_env["POS_APP_PIN"] = pin
        proc = subprocess.run(
            [sys.executable, "-m", "pos_app", "--data-dir", str(self.data_dir), *map(str, args)],
            check=False, capture_output=True, text=True, env=full_env, input=stdin or "", timeout=180,
        )
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def ok(self, *args: str | Path, **kw: Any) -> Result:
        result = self.run(*args, **kw)
        assert result.code == 0, f"{args} failed ({result.code}): {result.err}"
        return result

    def codes(self, campaign: str | None = None) -> list[str]:
        """The codes of the store's cards (of ``campaign``), from the voucher export."""
        rows = csv.DictReader(io.StringIO(self.ok("export", "vouchers", "--out", "-").out))
        return [row["code"] for row in rows if campaign is None or row["campaign"] == campaign]

    def ledger_size(self) -> int:
        """Entries in the store, read from the SQLite file itself (works while the till is locked)."""
        with sqlite3.connect(self.data_dir / "till.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
