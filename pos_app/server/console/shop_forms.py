"""What the shops, tills, people and limits pages share: a change run with its audit line, and the QR code.

:func:`act` runs a page's change and its audit line in one transaction (``audit.record``); a refusal of the
domain writes the audit line ``refused`` and comes back as the sentence to show with the form. The pages hold
no rule: they convert the form's fields and call ``server.shops``, ``server.tills``, ``server.auth``,
``server.admin`` and ``server.authority``, as ``pos-server`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import qrcode
import qrcode.image.svg
from markupsafe import Markup
from sqlalchemy import Connection, Engine

from pos_app.domain import errors
from pos_app.server.console import audit
from pos_app.server.console.pages import error_text
from pos_app.server.console.viewer import Viewer
from pos_app.server.db.engine import write

T = TypeVar("T")
#: A scanner wants dark on white, at a size a phone or a till's camera reads from a screen (the one stylesheet is
#: the core's: the QR code carries its own few rules).
QR_STYLE = "width:15rem;height:15rem;background:#fff;display:block;max-width:100%"


def act(engine: Engine, viewer: Viewer, action: str, target: str, work: Callable[[Connection], T],
        detail: Callable[[T], dict[str, Any] | None] = lambda done: None) -> T | str:
    """``work`` and its audit line in one transaction; on a refusal, the audit line ``refused`` and the sentence
    to show (a ``str``)."""
    def tx(conn: Connection) -> T:
        done = work(conn)
        audit.record(conn, viewer, action, target[:200], detail(done))
        return done

    try:
        return write(engine, tx)
    except errors.GiftCardError as exc:
        return refused(engine, viewer, action, target, exc)


def refused(engine: Engine, viewer: Viewer, action: str, target: str, exc: errors.GiftCardError) -> str:
    """The audit line of a refusal (nothing was done), and the sentence to show."""
    write(engine, lambda conn: audit.record(conn, viewer, action, target[:200], {"refused": exc.key}, audit.REFUSED))
    return error_text(exc)


def qr_svg(text: str) -> Markup:
    """``text`` as a QR code, an inline SVG (black modules on white, a quiet zone of 4), labelled by its text."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=4)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(r'\swidth="[^"]*"\s+height="[^"]*"', "", svg, count=1)
    label = Markup.escape(text)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" style="{QR_STYLE}" ', 1)
    return Markup(svg)  # made here from the QR library's output and an escaped label
