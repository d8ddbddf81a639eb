"""Print jobs in the store: the bytes come back exactly, the first job of an entry is *the* receipt, every send
is counted. The same tests run on the SQLite repository and on the fake the unit tests use, so the two agree."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.services.ports import PrintJob, PrintJobStatus, UnitOfWork
from pos_app.store import open_store
from tests.integration.conftest import T0, ctx, new_card
from tests.unit.fakes import FakeUnitOfWork

EVERY_BYTE = bytes(range(256)) * 4  # NUL, ESC, invalid UTF-8: a BLOB, never text


def _with_entry(uow: UnitOfWork) -> uuid.UUID:
    with uow:
        card = new_card(balance=5000)
        uow.cards.add_many([card])
        entry = uow.entries.add(card.redeem(Money(1250, "EUR"), ctx()))
        uow.cards.save(card)
        uow.commit()
    return entry.id


@pytest.fixture(params=["sqlite", "fake"])
def unit(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[UnitOfWork, uuid.UUID]]:
    if request.param == "fake":
        fake = FakeUnitOfWork()
        yield fake, _with_entry(fake)
        return
    store = open_store(tmp_path)
    uow = store.unit_of_work()
    yield uow, _with_entry(uow)
    store.close()


def job(entry_id: uuid.UUID, n: int, *, fmt: str = "escpos", data: bytes = EVERY_BYTE) -> PrintJob:
    return PrintJob(id=f"job-{n}", entry_id=entry_id, format=fmt, data=data, created_at=T0 + timedelta(seconds=n))


def test_a_job_keeps_its_bytes_exactly(unit: tuple[UnitOfWork, uuid.UUID]) -> None:
    uow, entry_id = unit
    with uow:
        uow.print_jobs.add(job(entry_id, 1))
        uow.commit()
    with uow:
        stored = uow.print_jobs.get("job-1")
    assert stored is not None
    assert stored.data == EVERY_BYTE and isinstance(stored.data, bytes)
    assert (stored.entry_id, stored.format, stored.status, stored.attempts) == (
        entry_id, "escpos", PrintJobStatus.PENDING, 0)
    assert stored.created_at == T0 + timedelta(seconds=1) and stored.printed_at is None


def test_the_first_job_of_an_entry_and_format_is_the_receipt(unit: tuple[UnitOfWork, uuid.UUID]) -> None:
    uow, entry_id = unit
    with uow:
        uow.print_jobs.add(job(entry_id, 1, data=b"first"))
        uow.print_jobs.add(job(entry_id, 2, data=b"second"))
        uow.print_jobs.add(job(entry_id, 3, fmt="text", data=b"text"))
        uow.commit()
    with uow:
        assert uow.print_jobs.for_entry(entry_id, "escpos").data == b"first"  # type: ignore[union-attr]
        assert uow.print_jobs.for_entry(entry_id, "text").data == b"text"  # type: ignore[union-attr]
        assert uow.print_jobs.for_entry(entry_id, "pdf") is None
        assert uow.print_jobs.for_entry(uuid.uuid4(), "escpos") is None
        assert [j.id for j in uow.print_jobs.recent(2)] == ["job-3", "job-2"]


def test_every_send_is_counted_and_the_last_error_kept(unit: tuple[UnitOfWork, uuid.UUID]) -> None:
    uow, entry_id = unit
    with uow:
        uow.print_jobs.add(job(entry_id, 1))
        uow.print_jobs.mark_failed("job-1", destination="tcp://10.0.0.9", error="The printer does not answer.")
        uow.commit()
    with uow:
        failed = uow.print_jobs.get("job-1")
        assert failed is not None
        assert (failed.status, failed.attempts, failed.destination) == (PrintJobStatus.FAILED, 1, "tcp://10.0.0.9")
        assert failed.last_error == "The printer does not answer."
        uow.print_jobs.mark_printed("job-1", destination="tcp://10.0.0.10", at=T0 + timedelta(minutes=5))
        uow.commit()
    with uow:
        printed = uow.print_jobs.get("job-1")
    assert printed is not None
    assert (printed.status, printed.attempts, printed.destination) == (PrintJobStatus.PRINTED, 2, "tcp://10.0.0.10")
    assert printed.printed_at == T0 + timedelta(minutes=5)
    assert printed.data == EVERY_BYTE, "sending never changes what is sent"


def test_a_job_of_an_unknown_entry_or_a_second_id_is_refused(unit: tuple[UnitOfWork, uuid.UUID]) -> None:
    uow, entry_id = unit
    with uow:
        with pytest.raises(errors.NotFound):
            uow.print_jobs.add(job(uuid.uuid4(), 1))
        uow.print_jobs.add(job(entry_id, 2))
        with pytest.raises(errors.DuplicateFound):
            uow.print_jobs.add(job(entry_id, 2))


def test_a_job_not_committed_leaves_no_trace(unit: tuple[UnitOfWork, uuid.UUID]) -> None:
    uow, entry_id = unit
    with uow:
        uow.print_jobs.add(job(entry_id, 1))
    with uow:
        assert uow.print_jobs.get("job-1") is None and uow.print_jobs.recent() == []
