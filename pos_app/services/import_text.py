"""An import file's bytes as text, and its JSON as values, each refused cleanly with the line it fails on.

Decisions (the till's ``pos-app import`` and the server's ``pos-server import`` read files through this alone):

- **Encodings**: UTF-8, with or without a byte-order mark (what spreadsheets write as "CSV UTF-8"), and UTF-16
  *with* a byte-order mark (what Excel writes as "Unicode text"). Nothing is guessed: a byte that is not UTF-8
  (a latin-1 "é", say) is refused, naming its line and its byte; so are UTF-32, and NUL characters (the sign of
  UTF-16 without a byte-order mark).
- **JSON** is nested at most :data:`MAX_DEPTH` levels (a Voucherify export needs four, its metadata a few more);
  a number has at most :data:`MAX_DIGITS` digits (no amount needs more than 18); ``NaN`` and ``Infinity`` are not
  JSON. Each is refused with its line, before anything is looked at.
"""

from __future__ import annotations

import codecs
import json
import math
import re
from typing import Any

from pos_app.domain import errors

MAX_DEPTH = 20
MAX_DIGITS = 30
_SAVE_AS = "save the file as UTF-8 (or UTF-16 with a byte-order mark) and import it again"
_BOMS = ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))


class Unreadable(Exception):
    """The file cannot be read at ``where`` (``line N``) for the reason ``error``."""

    def __init__(self, where: str, error: errors.GiftCardError) -> None:
        super().__init__(f"{where}: {error.details}")
        self.where, self.error = where, error


def decode(data: bytes) -> str:
    """The text of an import file's bytes (see the module's decisions), without its byte-order mark."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise Unreadable("line 1", errors.InvalidPayload(f"the file is UTF-32; {_SAVE_AS}"))
    start, encoding, name = 0, "utf-8", "UTF-8"
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            start, encoding, name = len(bom), codec, label
            break
    body = data[start:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        bad = body[exc.start : exc.end][:4].hex(" ").upper()
        raise Unreadable(f"line {line}", errors.InvalidPayload(
            f"byte {start + exc.start + 1} of the file ({bad}) is not {name}: {_SAVE_AS}")) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise Unreadable(f"line {text.count(chr(10), 0, nul) + 1}", errors.InvalidPayload(
            f"the file holds NUL characters (UTF-16 without a byte-order mark?): {_SAVE_AS}"))
    return text


class _Trouble(Exception):
    """Raised by the JSON hooks; :func:`_locate` then finds where."""


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Trouble
    return int(digits)


def _float(digits: str) -> float:
    value = float(digits)
    if len(digits) > MAX_DIGITS * 2 or not math.isfinite(value):
        raise _Trouble
    return value


def _constant(name: str) -> Any:
    raise _Trouble


def load_json(text: str) -> Any:
    """The values of JSON ``text``, bounded (see the module's decisions)."""
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise Unreadable(f"line {exc.lineno}", errors.InvalidPayload(
            f"not valid JSON ({exc.msg}, column {exc.colno})")) from None
    except (RecursionError, _Trouble):
        data = None
    else:
        if _depth_within(data, MAX_DEPTH):
            return data
    where, why = _locate(text)
    raise Unreadable(where, errors.InvalidPayload(why))


def _depth_within(data: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values() if isinstance(v, dict | list))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value if isinstance(v, dict | list))
    return True


_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[\[{]|[\]}]|-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity|\n')


def _locate(text: str) -> tuple[str, str]:
    """Where the JSON ``text`` is nested too deeply or has a number beyond the bounds (only on that path)."""
    line, depth = 1, 0
    for token in _TOKEN.finditer(text):
        found = token.group()
        if found == "\n":
            line += 1
        elif found in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return f"line {line}", f"the JSON is nested more than {MAX_DEPTH} levels deep"
        elif found in "]}":
            depth -= 1
        elif found in ("NaN", "Infinity", "-Infinity"):
            return f"line {line}", f"{found} is not a JSON number"
        elif found[0] != '"':
            whole = found.lstrip("-").split(".")[0].split("e")[0].split("E")[0]
            if len(whole) > MAX_DIGITS or len(found) > MAX_DIGITS * 2 or not math.isfinite(float(found)):
                return f"line {line}", (f"a number of {len(whole):,} digits; numbers have at most "
                                        f"{MAX_DIGITS} digits")
    return "file", f"the JSON is nested more than {MAX_DEPTH} levels deep"
