"""Session set-up shared by every test directory.

Debian packages: the scanning, printing and screenshot tests need libzbar0, poppler-utils and xvfb;
``.ci/system-packages.sh`` installs whichever is missing (as root; CI runs it too).

PostgreSQL: tests of the central server run on SQLite and on a real PostgreSQL. When ``POS_TEST_PG_URL`` is not
set and this machine can start its own PostgreSQL (root, Debian's postgresql installed or installable), the
session starts it with ``.ci/postgres.sh`` — the same script CI uses — so the README's one test command runs
everything on a fresh machine. Elsewhere the PostgreSQL tests skip, except under CI, where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "POS_TEST_PG_URL"


def _start_postgres() -> str | None:
    script = ROOT / ".ci" / "postgres.sh"
    if os.geteuid() != 0 or not (shutil.which("pg_ctlcluster") or shutil.which("apt-get")):
        return None
    try:
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=600, check=True)
    except (subprocess.SubprocessError, OSError):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[-1] if lines else None


def _install_system_packages() -> None:
    """Debian's libzbar0, poppler-utils and xvfb, when missing and this machine can install them (root)."""
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["bash", str(ROOT / ".ci" / "system-packages.sh")], capture_output=True, timeout=900,
                       check=False)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the controller did both, before it started the workers
        return
    _install_system_packages()
    if not os.environ.get(PG_ENV):
        url = _start_postgres()
        if url:
            os.environ[PG_ENV] = url
