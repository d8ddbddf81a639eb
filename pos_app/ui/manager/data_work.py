"""What the Import and export page asks of the till, in plain Python, on worker threads: the command line's
``pos-app import FILE`` and ``pos-app export vouchers|transactions|redemptions`` (the same services, with the same
arguments), and the per-line problems of a refused import as rows a table can show.

No rule lives here: the import's checks are ``services.imports`` (all or nothing, each problem named by its line),
the exports' columns and permissions are ``services.exports``. What is here is the edge: opening the chosen file,
and writing each export as ``--out`` does (``cli_options.export_file``: whole or not at all, owner-readable only,
never over a link or a device).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from pos_app.cli_options import export_file
from pos_app.domain import errors
from pos_app.services import exports, imports
from pos_app.services.imports import ImportResult
from pos_app.ui.session import TillSession

Progress = Callable[[int, int], None]
EXPORTS: tuple[tuple[str, Callable[..., int]], ...] = (
    ("vouchers", exports.export_vouchers),
    ("transactions", exports.export_transactions),
    ("redemptions", exports.export_redemptions),
)


class FileUnreadable(errors.GiftCardError):
    """The chosen import file cannot be read as text (another encoding, a folder, no permission)."""

    key, code, message = "import_file_unreadable", 400, "the import file cannot be read"


class ExportNotWritten(errors.GiftCardError):
    """An export could not be written where the manager chose."""

    key, code, message = "export_not_written", 507, "the export could not be written there"


@dataclass(frozen=True, slots=True)
class Problem:
    """One line of a refused import: where ("line 4", "item 2"), the error key, and what exactly."""

    where: str
    key: str
    details: str


def problems_of(error: BaseException) -> list[Problem]:
    """The problems a refused import names, one per line of the file (``ImportFailed`` keeps up to 1,000)."""
    found = []
    for text in getattr(error, "context", {}).get("problems", ()):
        where, _, rest = str(text).partition(": ")
        key, _, details = rest.partition(": ")
        found.append(Problem(where=where, key=key, details=details))
    return found


def import_file(session: TillSession, path: Path, progress: Progress) -> ImportResult:
    """``pos-app import FILE``: CSV or JSON by the file's extension, read as the command line reads it (its bytes,
    decoded by ``services.import_text``: a file in another encoding is refused with its line), all or nothing;
    long-write lane only."""
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    try:
        with path.open("rb") as fh:
            return imports.import_cards(session.till.new_uow(), session.who, fh, fmt=fmt, progress=progress)
    except OSError as exc:
        raise FileUnreadable(f"{path.name}: {exc.strerror or exc}") from exc


@dataclass(frozen=True, slots=True)
class ExportDone:
    folder: Path
    files: tuple[tuple[str, Path, int], ...]  # (what, file, rows)


def export_store(session: TillSession, folder: Path, *, now: datetime | None = None) -> ExportDone:
    """The whole store as the command line's three exports, into ``folder``: ``<shop>-vouchers-<date>.csv`` …"""
    if not folder.is_dir():
        raise ExportNotWritten(f"there is no folder {str(folder)!r}")
    stamp = (now or datetime.now()).strftime("%Y-%m-%d-%H%M")
    written = []
    for what, export in EXPORTS:
        target = folder / f"gift-cards-{what}-{stamp}.csv"
        rows = write_file(target, functools.partial(_export_to, export, session))
        written.append((what, target, rows))
    return ExportDone(folder=folder, files=tuple(written))


def _export_to(export: Callable[..., int], session: TillSession, fh: TextIO) -> int:
    return export(session.till.new_reader(), session.who, fh)


def write_file(target: Path, write: Callable[[TextIO], int]) -> int:
    """Write ``target`` through ``write`` (it returns the rows written) as ``--out`` writes an export
    (``cli_options.export_file``: whole or not at all, owner-readable only, never over a link or a device)."""
    try:
        with export_file(target) as fh:
            return write(fh)
    except errors.InvalidPayload as exc:  # a link, a device, a folder that is not there
        raise ExportNotWritten(str(exc)) from exc
    except OSError as exc:
        raise ExportNotWritten(f"{target.name}: {exc.strerror or exc}") from exc
