"""Settings › Offline limits: how much the till may take on gift cards while the central server does not answer.

Like a card terminal's floor limit (DESIGN.md §7): per redemption, in all until the till syncs, for how many hours
without contact, and how old a card's last known balance may be. A standalone shop sets them here; on an enrolled
till head office sets them and every pull brings them, so they are shown read-only with that reason.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from PySide6.QtWidgets import QLineEdit, QSpinBox

from pos_app.domain.errors import GiftCardError
from pos_app.domain.money import Money, exponent
from pos_app.domain.offline import OfflineLimits
from pos_app.formatting import decimal_separator, format_money
from pos_app.services.shop import MAX_LIMIT_HOURS
from pos_app.ui.context import UiContext
from pos_app.ui.manager import settings_store as store
from pos_app.ui.manager.settings_common import Section, hint
from pos_app.ui.messages import tr, tr_noop


def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


class LimitsSection(Section):
    title = tr_noop("Offline limits")
    icon_name = "lock"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Offline limits"), tr("While the central server does not answer, the till "
                                                       "accepts gift cards only within these limits."))
        self.per_redemption = QLineEdit()
        self.per_device = QLineEdit()
        self.max_offline = _hours_box()
        self.max_card_age = _hours_box()
        currency = ctx.currency
        self.form.addRow(tr("Most per redemption ({currency})").format(currency=currency), self.per_redemption)
        self.form.addRow(tr("Most in all until the till syncs ({currency})").format(currency=currency),
                         self.per_device)
        self.form.addRow(tr("Most hours without the server"), self.max_offline)
        self.form.addRow(tr("Oldest card balance trusted (hours)"), self.max_card_age)
        self.managed = hint(tr("Head office sets these limits on the central server; they arrive with each sync."))
        self.body.insertWidget(2, self.managed)
        self.managed.setVisible(False)
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.end_buttons()

    def on_shown(self) -> None:
        till = self.ctx.session.till
        self.ctx.ops.read(lambda: store.read_limits(till), owner=self, label="offline limits") \
            .success(self._show).failure(self.refused_by).run()

    def _show(self, found: tuple[OfflineLimits, bool]) -> None:
        limits, managed = found
        locale, currency = self.ctx.locale, self.ctx.currency
        for field, minor in ((self.per_redemption, limits.per_redemption),
                             (self.per_device, limits.per_device_unsynced)):
            text = format_money(Money(minor, currency), locale=locale)
            field.setText(text if managed else self._plain(minor))
            field.setReadOnly(managed)
        self.max_offline.setValue(_hours(limits.max_offline))
        self.max_card_age.setValue(_hours(limits.max_card_age))
        for box in (self.max_offline, self.max_card_age):
            box.setReadOnly(managed)
        self.managed.setVisible(managed)
        self.save_button.setVisible(not managed)

    def _plain(self, minor: int) -> str:
        """An amount as the manager would type it (``100.00`` / ``100,00``): the form reads it back as typed."""
        text = f"{Decimal(minor).scaleb(-exponent(self.ctx.currency)):f}"
        return text.replace(".", decimal_separator(self.ctx.locale))

    def save(self) -> None:
        amounts: list[int] = []
        for field in (self.per_redemption, self.per_device):
            try:
                amounts.append(self.ctx.session.money(field.text()).minor)
            except GiftCardError:
                self.refuse(tr("Enter an amount greater than zero, such as 100.00."), field)
                return
        limits = OfflineLimits(per_redemption=amounts[0], per_device_unsynced=amounts[1],
                               max_offline=timedelta(hours=self.max_offline.value()),
                               max_card_age=timedelta(hours=self.max_card_age.value()))
        if limits.per_redemption > limits.per_device_unsynced:
            self.refuse(tr("One redemption cannot be more than the till may take in all."), self.per_redemption)
            return
        till = self.ctx.session.till
        self.busy(True)
        (self.ctx.ops.write(lambda: store.save_offline_limits(till, limits), owner=self, label="save limits")
         .success(self._saved).failure(self.refused_by)
         .finally_(lambda: self.busy(False)).run())

    def _saved(self, limits: OfflineLimits) -> None:
        self._show((limits, False))
        self.saved()


def _hours_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, MAX_LIMIT_HOURS)
    box.setSuffix(tr(" h"))
    return box
