"""Settings › Shop: the shop's name, locale and time zone; its currency, read-only, with the reason; whether
cashiers may sell cards (the shop's rule; head office's on an enrolled till).

A locale change takes effect for new formatting at once (the session's profile is read again); text already on
screen follows as each screen refreshes. The time zone is the one cards' dates, days and hours are read in
(``domain.shop_time``). On an enrolled till head office sets them all: read-only, saying so.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from pos_app.domain import errors
from pos_app.domain.shop_time import shop_zone
from pos_app.services.setup import StoreProfile
from pos_app.ui.context import UiContext
from pos_app.ui.manager import settings_store as store
from pos_app.ui.manager.settings_common import Section, hint, with_hint
from pos_app.ui.messages import tr, tr_noop

LOCALES = ("en_US", "en_GB", "en_IE", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_BE", "nl_NL", "it_IT", "es_ES")


class ShopSection(Section):
    title = tr_noop("Shop")
    icon_name = "till"

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("Shop"), tr("How the shop appears on the screen and on receipts."))
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.name.setPlaceholderText(tr("The shop's name, as on receipts"))
        self.currency = QLineEdit()
        self.currency.setReadOnly(True)
        self.locale_box = QComboBox()
        self.locale_box.setEditable(True)
        self.locale_box.addItems(LOCALES)
        self.locale_box.setToolTip(tr("How amounts and dates are written, e.g. en_US (12.50) or de_DE (12,50)."))
        self.form.addRow(tr("Shop name"), self.name)
        self.form.addRow(tr("Currency"), with_hint(self.currency, tr(
            "The currency cannot change: every card and every sale of this shop is in it.")))
        self.form.addRow(tr("Amounts and dates"), self.locale_box)
        self.zone_box = QComboBox()
        self.zone_box.setEditable(True)
        self.zone_box.addItems(sorted(available_timezones()))
        self.zone_box.setToolTip(tr("The shop's time zone, e.g. Europe/Berlin: a card is valid through its last "
                                    "day there, and its hours are the shop's."))
        self.form.addRow(tr("Time zone"), self.zone_box)
        self.cashiers_sell = QCheckBox(tr("Cashiers may sell cards"))
        self.cashiers_sell.setObjectName("CashiersSell")
        self.form.addRow(tr("Selling cards"), with_hint(self.cashiers_sell, tr(
            "When ticked, a cashier sells a card at the till (Sell card, F6) without calling a manager.")))
        self.managed = hint(tr("This till belongs to a central server: head office sets the shop's name and "
                               "language there, and they arrive with each sync."))
        self.body.insertWidget(2, self.managed)
        self.save_button = self.button(tr("Save"), "ok", self.save, role="primary", shortcut="Ctrl+S")
        self.end_buttons()
        self._show(ctx.session.profile)

    def _show(self, profile: StoreProfile) -> None:
        self.name.setText(profile.store_name)
        self.currency.setText(profile.currency)
        self.locale_box.setCurrentText(profile.locale)
        self.zone_box.setCurrentText(profile.time_zone)
        enrolled = profile.mode == "enrolled"
        self.managed.setVisible(enrolled)
        self.name.setReadOnly(enrolled)
        self.locale_box.setEnabled(not enrolled)
        self.zone_box.setEnabled(not enrolled)
        self.cashiers_sell.setEnabled(not enrolled)
        self.save_button.setVisible(not enrolled)
        session = self.ctx.session
        self.ctx.ops.read(session.cashiers_sell, owner=self, label="shop rules").success(
            self.cashiers_sell.setChecked).failure(lambda _exc: None).run()

    def on_shown(self) -> None:
        self._show(self.ctx.session.profile)

    def save(self) -> None:
        try:
            name = store.check_store_name(self.name.text())
        except errors.GiftCardError:
            self.refuse(tr("Give the shop a name (up to 120 characters)."), self.name)
            return
        locale = self.locale_box.currentText().strip()
        time_zone = self.zone_box.currentText().strip()
        try:
            shop_zone(time_zone)
        except errors.GiftCardError:
            self.refuse(tr("That time zone is not known. Use one such as Europe/Berlin."), self.zone_box)
            return
        session = self.ctx.session
        selling = self.cashiers_sell.isChecked()

        def work() -> StoreProfile:
            store.save_shop(session.till, name=name, locale=locale, time_zone=time_zone)
            if selling != session.cashiers_sell():
                session.set_cashiers_sell(selling)
            return session.reload_profile()  # new formatting uses the new locale from now on

        self.busy(True)
        (self.ctx.ops.write(work, owner=self, label="save shop").success(self._saved).failure(self._refused)
         .finally_(lambda: self.busy(False)).run())

    def _saved(self, profile: StoreProfile) -> None:
        self._show(profile)
        self.saved()
        self.ctx.events.profile_changed.emit(profile)  # the window's header and title name the shop

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, errors.InvalidPayload):
            self.refuse(tr("That locale is not known. Use one such as en_US or de_DE."), self.locale_box)
        else:
            self.refused_by(exc)
