"""The Cards page's Change form: extend a card's expiry, change its category or metadata, always with a reason.

The fields show the card's terms as placeholders; an empty field keeps that term. Metadata is typed as
``key=value; key2=value2`` (``key=`` removes a key), the category ``-`` removes it. The domain decides what may
change (``domain.terms``); the form only turns what was typed into the request and names the field to correct.
The card's last changes (its audit trail) are shown under the fields. On an enrolled till the use case refuses:
head office changes cards there.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QFormLayout

from pos_app.domain import errors
from pos_app.domain.cards import GiftCard
from pos_app.domain.codes import mask
from pos_app.domain.terms import CardChange, NewTerms, TermsRefused
from pos_app.formatting import format_datetime
from pos_app.services.card_changes import Changed
from pos_app.ui.manager.card_forms import BadInput, OperationForm, Request
from pos_app.ui.messages import tr

SHOWN_CHANGES = 3
REMOVE = "-"


class ChangeForm(OperationForm):
    title, icon_name = "Change", "card"

    def build(self) -> None:
        self.title, self.action = tr("Change"), tr("Change (Enter)")
        self.button.setText(self.action)
        self.changes: list[CardChange] = []
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)  # four fields: labels beside them
        self.expires_edit = self.field(tr("Last day"), name="ChangeExpires")
        self.category_edit = self.field(tr("Category"), name="ChangeCategory")
        self.metadata_edit = self.field(tr("Metadata"), tr("key=value; key2=value2 (key= removes it)"),
                                        name="ChangeMetadata")
        self.reason_edit = self.field(tr("Reason"), tr("required, e.g. the shop was closed for works"),
                                      name="ChangeReason")

    def refresh(self) -> None:
        card = self.card
        last = None if card is None or card.expiration_date is None else self._last_day(card)
        self.expires_edit.setPlaceholderText(
            tr("never expires") if card is not None and last is None else last.isoformat() if last else "YYYY-MM-DD")
        self.category_edit.setPlaceholderText(
            (card.category or tr("none")) + tr(" (- removes it)") if card is not None else "")
        super().refresh()

    @staticmethod
    def _last_day(card: GiftCard) -> date | None:
        """The last day the card may be used: the day before the midnight it expires at (local time)."""
        if card.expiration_date is None:
            return None
        return (card.expiration_date.astimezone() - timedelta(microseconds=1)).date()

    def hint(self) -> str:
        text = tr("Leave a field empty to keep it; always say why. The change is kept with the card.")
        for change in self.changes[:SHOWN_CHANGES]:
            text += "\n" + tr("{when}: {fields} — {reason}").format(
                when=format_datetime(change.created_at, locale=self.ctx.locale), fields=_names(change),
                reason=change.reason)
        return text

    def terms(self) -> NewTerms:
        """What was typed, as the change it asks for; :class:`BadInput` names the field that cannot be used."""
        expires = self.expires_edit.text().strip()
        try:
            last_day = date.fromisoformat(expires) if expires else None
        except ValueError as exc:
            raise BadInput(errors.InvalidPayload("not a date"), self.expires_edit,
                           tr("Type the last day as YYYY-MM-DD, such as 2027-06-30.")) from exc
        category = self.category_edit.text().strip()
        metadata: dict[str, str | None] = {}
        for pair in self.metadata_edit.text().split(";"):
            if not pair.strip():
                continue
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise BadInput(errors.InvalidPayload("not key=value"), self.metadata_edit,
                               tr("Type metadata as key=value, separated by ; such as owner=Ann; batch=7."))
            metadata[key.strip()] = value.strip() or None
        terms = NewTerms(expires_on=last_day, category=("" if category == REMOVE else category or None),
                         metadata=metadata)
        if terms.expires_on is None and terms.category is None and not terms.metadata:
            raise BadInput(errors.InvalidPayload("nothing to change"), self.expires_edit,
                           tr("Type a new last day, category or metadata to change."))
        return terms

    def refusal(self, error: BaseException) -> str | None:
        if not isinstance(error, TermsRefused):
            return None
        return {
            "reason": tr("Say why the card is changed: the reason is kept with it."),
            "never_expires": tr("This card never expires: there is no expiry to extend."),
            "not_later": tr("An extension is a later last day than the card has now."),
            "past": tr("That day is past: the new last day must be to come."),
            "too_late": tr("No gift card lasts that long; choose an earlier last day."),
            "category": tr("A category has at most 200 characters."),
            "key": tr("A metadata key is 1 to 64 characters."),
            "metadata": tr("That is more metadata than a card may carry."),
            "nothing": tr("That changes nothing on this card."),
        }.get(error.why)

    def request(self) -> Request:
        code = self.card.code if self.card else ""
        terms = self.terms()
        reason = self.reason_edit.text().strip()
        if not reason:
            raise BadInput(errors.InvalidPayload("a change needs a reason"), self.reason_edit,
                           tr("Say why the card is changed: the reason is kept with it."))

        def done(changed: Changed) -> str:
            return tr("Card {code} changed: {fields}.").format(code=mask(code), fields=_names(changed.change))

        return Request("change card", lambda s: s.change_card(code, terms, reason=reason), done)


def _names(change: CardChange) -> str:
    """The terms a change changed, in words."""
    words = {"expiration_date": tr("last day"), "category": tr("category")}
    return ", ".join(words.get(c.name) or c.name.removeprefix("metadata.") for c in change.changes)
