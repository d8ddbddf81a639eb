"""Translate SQLite's integrity errors into the domain's refusals."""

from __future__ import annotations

from pos_app.domain import errors


def translate(exc: Exception, what: str) -> errors.GiftCardError | None:
    """The domain error for a constraint SQLite refused while writing ``what``, or None if it is not ours.

    ``exc`` is SQLAlchemy's ``IntegrityError`` (the driver's own is in its ``orig``).
    """
    message = str(getattr(exc, "orig", None) or exc)
    if "refunds exceed their redemption: entries.refund_of" in message:
        return errors.RefundExceeded("the refunds of that redemption would give back more than it took")
    if "UNIQUE constraint failed" in message:
        column = message.rsplit(":", 1)[-1].strip()
        return errors.DuplicateFound(f"{what}: {column} already exists")
    if "FOREIGN KEY constraint failed" in message:
        return errors.NotFound(f"{what} refers to something that does not exist")
    return None
