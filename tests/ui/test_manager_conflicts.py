"""The manager's Sync conflicts page: calm on a standalone till; on a till enrolled to the real central server, it
lists the overdraft conflict two tills made offline, refuses a resolution without a reason, resolves it through
the form in the manager's name, and says so when the server does not answer (with a Retry that works)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from pos_app.bootstrap import Till, open_till
from pos_app.services.enrolment import SERVER_URL
from pos_app.ui.context import UiContext
from pos_app.ui.manager.conflict_table import conflicts_model
from pos_app.ui.manager.conflicts_page import ConflictsPage
from tests.integration.conflicts_harness import MANAGER_PIN, ConflictServer, server_with_conflict
from tests.server.harness import free_port
from tests.ui.conftest import log_in

pytestmark = pytest.mark.slow  # a real server process, and two tills' offline sales, take a few seconds


def test_a_standalone_till_says_conflicts_need_a_server(qtbot, ctx: UiContext, settle) -> None:
    log_in(ctx, settle, MANAGER_PIN)
    page = ConflictsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.on_shown()
    settle()
    assert page.stack.currentWidget() is page.standalone
    assert page.standalone.text() == ("This till works on its own; conflicts arise only between tills synced with "
                                      "a central server.")
    assert ctx.ops.busy == 0  # nothing was asked of any server


@pytest.fixture(scope="module")
def hq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConflictServer]:
    with server_with_conflict(tmp_path_factory.mktemp("hq")) as running:
        yield running


@pytest.fixture
def enrolled(qapp, hq: ConflictServer, tmp_path: Path) -> Iterator[UiContext]:
    """A real till enrolled to the server with the spare code and synced once, its manager logged in."""
    from pos_app.qt_printing.qt_app import guard_none_refcount
    from pos_app.ui.app import build_context
    from pos_app.ui.manager.settings_store import enrol_and_sync

    guard_none_refcount()
    till = open_till(tmp_path / "till")
    enrol_and_sync(till, None, server_url=hq.url, code=hq.spare_code, device_name="Till C")
    context = build_context(till, printing=False, language="en")
    context.session.login(MANAGER_PIN)
    yield context
    context.ops.shutdown(wait=True)


def _point_at(till: Till, url: str) -> None:
    assert till.new_uow is not None
    with till.new_uow() as uow:
        uow.settings.set(SERVER_URL, url)
        uow.commit()


def test_lists_and_resolves_the_conflict_through_the_form(qtbot, qtmodeltester, monkeypatch, hq: ConflictServer,
                                                          enrolled: UiContext) -> None:
    ctx = enrolled
    settle = lambda: qtbot.waitUntil(lambda: ctx.ops.busy == 0, timeout=10_000)  # noqa: E731
    page = ConflictsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    page.on_shown()
    settle()
    assert page.stack.currentIndex() == 1 and not page.offline.isVisible()
    (conflict,) = page.model.rows
    assert conflict.code == hq.code and conflict.overdraft == 1000
    assert page.model.index(0, 0).data() == "•••• " + hq.code[-4:]  # masked
    assert page.model.index(0, 1).data() == "€10.00"
    qtmodeltester.check(page.model)
    assert page.form.conflict == conflict and page.form.submit.isEnabled()  # the first one is selected

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: asked.append(args[2]) or
                        QMessageBox.StandardButton.Yes)
    page.form.how.setCurrentIndex(page.form.how.findData("write_off"))
    qtbot.mouseClick(page.form.submit, Qt.MouseButton.LeftButton)
    assert page.form.feedback.text() == "Write the reason: it stays on the card's record."
    assert asked == []  # nothing was sent

    qtbot.keyClicks(page.form.reason, "two tills offline, the shop pays")
    page.form.disable.setChecked(True)
    with qtbot.waitSignal(page.form.resolved, timeout=10_000) as done:
        qtbot.mouseClick(page.form.submit, Qt.MouseButton.LeftButton)
    settle()
    resolved = done.args[0]
    assert resolved.status == "resolved" and resolved.resolution == "write_off"
    assert asked and "Write off €10.00" in asked[0] and "disabled" in asked[0]
    assert page.model.rows == []  # the open list was fetched again
    assert "Conflict resolved" in page.feedback.text()

    page.filter.setCurrentIndex(page.filter.findData("resolved"))
    settle()
    assert [c.id for c in page.model.rows] == [conflict.id]
    assert "two tills offline, the shop pays" in page.details.text()
    assert not page.form.submit.isEnabled()  # a resolved conflict cannot be resolved again

    _point_at(ctx.session.till, f"http://127.0.0.1:{free_port()}")  # the server is gone
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.offline.isVisible()
    assert page.offline_text.text() == "The central server does not answer. Try again in a moment."
    _point_at(ctx.session.till, hq.url)  # … and back
    qtbot.mouseClick(page.retry, Qt.MouseButton.LeftButton)
    settle()
    assert not page.offline.isVisible() and len(page.model.rows) == 1


def test_the_conflicts_model_with_rows(qtmodeltester) -> None:
    import uuid
    from datetime import UTC, datetime

    from pos_app.sync.schemas import ConflictOut

    now = datetime.now(UTC)
    model = conflicts_model("de_DE")
    model.set_rows([
        ConflictOut(id="cf_1", card_id="v_1", code="GC-AAAA-BBBB-CCCC-DDDD", status="open", overdraft=1250,
                    currency="EUR", entry_ids=[uuid.uuid4()], opened_at=now, notes=["two tills offline"]),
        ConflictOut(id="cf_2", card_id="v_2", code="GC-EEEE-FFFF-GGGG-HHHH", status="resolved", overdraft=0,
                    currency="EUR", entry_ids=[], opened_at=now, resolution="recover", reason="paid",
                    resolved_at=now),
    ])
    qtmodeltester.check(model)
    assert model.index(0, 1).data() == "12,50\xa0€"
    assert model.index(1, 5).data() == "Customer paid"
