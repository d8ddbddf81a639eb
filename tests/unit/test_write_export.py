"""The one writer of an export file (``cli_options.write_export``, both command lines): what it does with the
target ``--out`` names (issue 13). A regular file is replaced whole, mode 0600; a named pipe is written into; a
symbolic link, a device, a directory are refused, and nothing is left behind: not the target changed, not a
temporary file. Real files in ``tmp_path``; nothing under /dev is touched."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path
from typing import TextIO

import pytest

from pos_app.cli_options import write_export
from pos_app.domain import errors


def rows(fh: TextIO) -> int:
    fh.write("code,value\nGC-1,100\n")
    return 1


def refusing(fh: TextIO) -> int:
    fh.write("code,value\n")
    raise errors.Forbidden("Carl (cashier) may not export")


def leftovers(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def test_a_regular_file_is_replaced_whole_and_readable_by_its_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    target.chmod(0o644)
    write_export(str(target), rows, what="vouchers", as_json=False)
    assert target.read_text() == "code,value\nGC-1,100\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    new = tmp_path / "new.csv"
    write_export(str(new), rows, what="vouchers", as_json=False)
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert leftovers(tmp_path, "out.csv", "new.csv") == []


def test_a_refused_export_leaves_the_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(errors.Forbidden):
        write_export(str(target), refusing, what="vouchers", as_json=False)
    assert target.read_text() == "old\n"
    assert leftovers(tmp_path, "out.csv") == []


def test_a_symbolic_link_is_refused_and_neither_it_nor_its_target_changes(tmp_path: Path) -> None:
    real = tmp_path / "passwd"
    real.write_text("root:x:0:0\n")
    link = tmp_path / "out.csv"
    link.symlink_to(real)
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "nowhere")
    for target in (link, dangling):
        with pytest.raises(errors.InvalidPayload, match="symbolic link"):
            write_export(str(target), rows, what="vouchers", as_json=False)
        assert target.is_symlink()
    assert real.read_text() == "root:x:0:0\n"
    assert not (tmp_path / "nowhere").exists()
    assert leftovers(tmp_path, "passwd", "out.csv", "dangling.csv") == []


def test_a_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(errors.InvalidPayload, match="not a regular file"):
        write_export(str(folder), rows, what="vouchers", as_json=False)
    assert folder.is_dir() and leftovers(tmp_path, "exports") == [] and list(folder.iterdir()) == []


def test_a_device_is_refused_not_replaced(tmp_path: Path) -> None:
    """A device node of our own (the numbers of /dev/null), so that a failure replaces nothing that matters."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    with pytest.raises(errors.InvalidPayload, match="not a regular file"):
        write_export(str(device), rows, what="vouchers", as_json=False)
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert leftovers(tmp_path, "null") == []


def test_a_named_pipe_is_written_into_and_stays_a_pipe(tmp_path: Path) -> None:
    """``mkfifo p; gzip < p & pos-app export … --out p``: the reader gets the rows; the pipe is not replaced."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_text()))
    reader.start()
    write_export(str(pipe), rows, what="vouchers", as_json=False)
    reader.join(timeout=10)
    assert got == ["code,value\nGC-1,100\n"]
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    assert leftovers(tmp_path, "pipe") == []
