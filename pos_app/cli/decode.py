"""``pos-app decode IMAGE... [--json] [--symbology S]``: what the till's decoder chain reads in image files.

A diagnostic for support and for tuning (DESIGN.md §12): it runs the same chain as the camera, in still mode
(every fallback on an image the first decoder finds nothing in), and says of each text whether it would be
accepted as a card code, and if not why. It needs no store: it works before ``pos-app init``, without
``--data-dir``.

One line per image, in the order given (a folder stands for its images, in name order). ``ms`` is the time spent
decoding that image only: loading and converting the file are not counted, so it compares with the camera's
per-frame decode time. An image that cannot be read gets its own line with the error, the others are still
decoded, and the exit status is 1 at the end. Whole codes are printed: whoever runs this has the images anyway.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pos_app.cli.common import refusals
from pos_app.cli_options import EXIT_REFUSED, emit_json
from pos_app.domain.errors import GiftCardError
from pos_app.scanning.results import Read, Symbology

if TYPE_CHECKING:
    import numpy as np


class _Unreadable(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _images(args: tuple[Path, ...]) -> list[tuple[Path, _Unreadable | None]]:
    """Each argument, a folder replaced by its images (or by an error when it holds none)."""
    from pos_app.scanning.sources import image_files

    out: list[tuple[Path, _Unreadable | None]] = []
    for path in args:
        if not path.is_dir():
            out.append((path, None))
            continue
        found = image_files(path)
        out.extend([(f, None) for f in found] or [(path, _Unreadable("no_images", f"folder {path} holds no images"))])
    return out


def _load(path: Path) -> np.ndarray:
    from pos_app.scanning.frames import FrameError, load_gray

    if not path.exists():
        raise _Unreadable("file_not_found", f"{path} does not exist")
    try:
        return load_gray(path)
    except FrameError as exc:
        raise _Unreadable("unreadable_image", str(exc)) from exc


def _quiet_opencv() -> None:
    """OpenCV prints its own lines about a broken file on stderr; here each file's error has its own line."""
    import cv2

    with contextlib.suppress(AttributeError):  # a build without the logging utilities: noisier, nothing worse
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)


def _result(read: Read) -> dict[str, Any]:
    from pos_app.scanning.payload import parse_payload

    result: dict[str, Any] = {"text": read.text, "format": read.symbology.value, "decoder": read.decoder}
    try:
        result["code"] = parse_payload(read.text).code
    except GiftCardError as exc:
        result |= {"code": None, "reason": exc.details or exc.message}
    return result


def _human(file: str, results: list[dict[str, Any]], ms: float) -> str:
    if not results:
        return f"{file}: no code found ({ms:.1f} ms)"
    parts = []
    for r in results:
        verdict = f"card {r['code']}" if r["code"] else f"not a card code: {r['reason']}"
        parts.append(f"{r['format']} {json.dumps(r['text'], ensure_ascii=False)} → {verdict}")
    return f"{file}: {'; '.join(parts)} ({ms:.1f} ms)"


@click.command("decode")
@click.argument("images", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="IMAGE...")
@click.option("--symbology", "symbologies", multiple=True,
              type=click.Choice([s.value for s in Symbology], case_sensitive=False),
              help="Look only for this symbology (repeatable; default: all the till reads).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per image and line.")
@refusals
def decode(images: tuple[Path, ...], symbologies: tuple[str, ...], as_json: bool) -> None:
    """Decode the codes in IMAGE files or folders; say whether each is a card code.

    With --json: one JSON object per image and line, {"file", "results": [{"text", "format", "decoder", "code",
    "reason"}], "ms"}; an unreadable image gives {"file", "error": {"key", "message"}}.
    """
    from pos_app.scanning.chain import default_chain

    _quiet_opencv()
    chain = default_chain([Symbology(s.upper()) for s in symbologies] or list(Symbology))
    items = _images(images)
    failed = 0
    for path, problem in items:
        try:
            if problem is not None:
                raise problem
            gray = _load(path)  # not timed: ms is the decoding alone
            started = time.perf_counter()
            try:
                reads = chain.decode(gray, still=True)
            except Exception as exc:  # a decoder bug on one image: say so on its line, go on with the others
                raise _Unreadable("decoder_failed", f"{type(exc).__name__}: {exc}") from exc
            ms = (time.perf_counter() - started) * 1000
        except _Unreadable as bad:
            failed += 1
            if as_json:
                emit_json({"file": str(path), "error": {"key": bad.key, "message": bad.message}})
            else:
                click.echo(f"{path}: error: {bad.key}: {bad.message}")
            continue
        results = [_result(read) for read in reads]
        if as_json:
            emit_json({"file": str(path), "results": results, "ms": round(ms, 3)})
        else:
            click.echo(_human(str(path), results, ms))
    if failed:
        click.echo(f"error: unreadable_image: {failed} of {len(items)} images could not be decoded", err=True)
        sys.exit(EXIT_REFUSED)


COMMANDS = [decode]
