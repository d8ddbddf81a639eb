"""The server's log never shows a card's whole code: codes are bearer money, and logs travel further than the
database (support tickets, log shippers).

What the server writes itself names a card by its masked code (``pos_app.domain.codes.mask``). What it does not
write itself is scrubbed by :class:`NoCodes` on the way out — the message and any traceback of a record of
``pos_app`` or of uvicorn (which logs an exception that reached it): a code in the readable default format is
masked, and PostgreSQL's ``DETAIL`` line, which quotes the values of a failed statement (``Key (code)=(…)``), is
dropped. The statements' parameters are never in an error at all (``db.engine.open_engine`` hides them).
"""

from __future__ import annotations

import logging
import re

from pos_app.domain.codes import READABLE_ALPHABET, mask

_CH = f"[{READABLE_ALPHABET}]"
_READABLE = re.compile(rf"GC-(?:{_CH}{{4}}-){{3}}{_CH}{{4}}", re.IGNORECASE)
_DETAIL = re.compile(r"^DETAIL:.*$", re.MULTILINE)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def scrub(text: str) -> str:
    text = _DETAIL.sub("DETAIL: (not shown: it may quote a card's code)", text)
    return _READABLE.sub(lambda found: mask(found.group()), text)


class NoCodes(logging.Filter):
    """Mask card codes in a record's message and traceback (it is formatted here, once); let it through when it
    is at least ``level`` (a handler's own level would keep the others from being scrubbed before they go on to
    the root logger's handlers)."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        record.msg, record.args = scrub(record.getMessage()), None
        return record.levelno >= self.level


def install() -> None:
    """``pos_app``'s records (warnings and worse) to stderr through :class:`NoCodes`, and uvicorn's error log
    through it too. Idempotent: each application made in one process installs it once."""
    ours = logging.getLogger("pos_app")
    if not any(isinstance(f, NoCodes) for handler in ours.handlers for f in handler.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(NoCodes(logging.WARNING))
        ours.addHandler(handler)
    uvicorn = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, NoCodes) for f in uvicorn.filters):
        uvicorn.addFilter(NoCodes())
