"""The Campaigns form's more options: an own code format, a redemption limit and a category, as the command line's
``campaign create --pattern … --prefix … --redemption-limit … --category …`` makes them (the same CodeConfig, the
same service), and the domain's refusal of a format that cannot make codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pos_app.domain.codes import CodeConfig
from pos_app.ui.context import UiContext
from pos_app.ui.manager.campaigns_page import CampaignsPage
from tests.ui.conftest import MANAGER_PIN, log_in


@pytest.fixture
def page(qtbot: object, ctx: UiContext, settle: Callable[..., None]) -> Iterator[CampaignsPage]:
    log_in(ctx, settle, MANAGER_PIN)
    shown = CampaignsPage(ctx)
    qtbot.addWidget(shown)  # type: ignore[attr-defined]
    shown.resize(1000, 700)
    shown.show()
    shown.on_shown()
    settle()
    yield shown


def _fill(qtbot, page: CampaignsPage, **texts: str) -> None:  # type: ignore[no-untyped-def]
    page.new_campaign()
    form, options = page.form, page.form.options
    fields = {"name": form.name, "amount": form.amount, "count": form.count, "pattern": options.pattern,
              "prefix": options.prefix, "postfix": options.postfix, "charset": options.charset,
              "category": options.category}
    for key, text in texts.items():
        qtbot.keyClicks(fields[key], text)


def test_an_own_code_format_a_limit_and_a_category_reach_the_store_as_the_command_line_makes_them(
        qtbot, page: CampaignsPage, ctx: UiContext, settle) -> None:  # type: ignore[no-untyped-def]
    options = page.form.options
    page.new_campaign()
    assert not options.code_fields.isVisibleTo(page)  # the readable default, unless asked for
    assert "&O" in options.own.text()  # Alt+O
    options.own.click()
    assert options.own.isChecked() and options.code_fields.isVisibleTo(page)
    _fill(qtbot, page, name="Partner cards", amount="10.00", count="20", pattern="########", prefix="PX-",
          postfix="-26", category="partner")
    options.limit.setValue(3)
    assert "PX-" in options.example.text()
    with qtbot.waitSignal(ctx.events.message, timeout=10_000):
        page.form.create_button.click()
    settle()
    with ctx.session.till.new_reader() as uow:  # type: ignore[misc]
        campaign = next(c for c in uow.campaigns.list() if c.name == "Partner cards")
        cards = list(uow.cards.iter_all(campaign.id))
    expected = CodeConfig.from_options(pattern="########", prefix="PX-", postfix="-26")
    assert campaign.code_config["pattern"] == expected.pattern
    assert (campaign.code_config["prefix"], campaign.code_config["postfix"]) == ("PX-", "-26")
    assert campaign.category == "partner"
    assert campaign.redemption_limit == 3
    assert len(cards) == 20
    assert all(c.code.startswith("PX-") and c.code.endswith("-26") and c.redemption_limit == 3
               and c.category == "partner" for c in cards)


def test_a_format_that_cannot_make_codes_says_why_and_writes_nothing(
        qtbot, page: CampaignsPage, ctx: UiContext, settle) -> None:  # type: ignore[no-untyped-def]
    page.form.options.own.setChecked(True)
    _fill(qtbot, page, name="Guessable", amount="10.00", count="5", pattern="AB-##")
    assert "cannot make codes" in page.form.options.example.text()
    page.form.create_button.click()
    settle()
    qtbot.waitUntil(page.form.problem.isVisible)
    with ctx.session.till.new_reader() as uow:  # type: ignore[misc]
        assert "Guessable" not in {c.name for c in uow.campaigns.list()}
