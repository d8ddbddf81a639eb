"""Secrets of the till kept out of the store: each in a file of its own beside it, readable by its owner only.

Why: the store file is what gets copied — for support, into a backup, onto a USB stick — and the device's token
spends money on the server in this till's name. A file of its own is not copied with it, is created ``0600``
(owner read/write) and written atomically (a temporary file in the same directory, fsynced, then renamed over the
old one), so that a crash leaves the old token or the new one, never half of one.

The store's settings repository reads and writes the keys of :data:`SECRET_FILES` here instead of in the
``settings`` table (``services`` still asks for ``sync.token`` like any other setting); migration 0004 moved a
token an older store kept in the table.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from pos_app.services.enrolment import TOKEN

#: Setting key → the file (in the store's directory) that holds its value.
SECRET_FILES = {TOKEN: "device.token"}
MODE = 0o600


def secret_path(store_file: str | os.PathLike[str], key: str) -> Path:
    """Where the secret ``key`` of the store ``store_file`` lives."""
    return Path(store_file).resolve().with_name(SECRET_FILES[key])


def read_secret(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return text or None


def write_secret(path: Path, value: str) -> None:
    """Write ``value`` to ``path`` atomically, mode 0600 from the first byte on (never readable by others)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, MODE)
    try:
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, MODE)  # whatever the umask
            os.write(fd, value.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    _sync_directory(path.parent)


def remove_secret(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open a directory, nor needs to)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
