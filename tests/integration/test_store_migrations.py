"""Alembic migrations: a new store matches the models, an old store upgrades on open and keeps its data, and
every migration can be undone."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus
from pos_app.domain.money import Money
from pos_app.services.ports import Customer, PrintJob, PrintJobStatus
from pos_app.store import open_store
from pos_app.store.engine import open_engine, store_path
from pos_app.store.migrate import (
    HEAD_REVISION,
    INITIAL_REVISION,
    MIGRATIONS_DIR,
    StoreVersionError,
    alembic_config,
    current_revision,
    downgrade,
    include_name,
    upgrade,
)
from pos_app.store.models import Base
from tests.integration.conftest import T0, ctx, later

ROOT = Path(__file__).resolve().parents[2]

# Rows as a till running schema 0001 wrote them (plain SQL, no model involved).
OLD_ROWS = [
    "INSERT INTO settings (key, value) VALUES ('currency', '\"EUR\"'), ('store_name', '\"Old shop\"')",
    "INSERT INTO campaigns (id, name, currency, amount, code_config, vouchers_count, active, created_at) VALUES "
    "('camp_old', 'Old campaign', 'EUR', 5000, '{\"length\": 12}', 2, 1, '2024-12-01T09:00:00.000000+00:00')",
    "INSERT INTO cards (id, code, campaign_id, currency, status, loaded, balance, redeemed, refunded, "
    "redemption_count, initial_amount, expiration_date, validity_days, validity_start, validity_end, metadata, "
    "activated_at, created_at, version) VALUES "
    "('v_old1', 'OLD-CODE-1', 'camp_old', 'EUR', 'active', 5000, 3500, 1500, 0, 1, 5000, "
    "'2026-01-01T00:00:00.000000+00:00', '01234', '09:00', '18:00', '{\"from\": \"v1\"}', "
    "'2024-12-02T09:00:00.000000+00:00', '2024-12-01T09:00:00.000000+00:00', 2), "
    "('v_old2', 'OLD-CODE-2', 'camp_old', 'EUR', 'inactive', 0, 0, 0, 0, 0, 5000, NULL, NULL, NULL, NULL, '{}', "
    "NULL, '2024-12-01T09:00:00.000000+00:00', 0)",
    "INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
    "device_seq, operator_id, created_at, status) VALUES "
    "('00000000-0000-4000-8000-000000000001', 'v_old1', 'OLD-CODE-1', 'CREDITS_ADDITION', 5000, 'EUR', 5000, "
    "'SUCCESS', 'till-1', 1, 'u_old', '2024-12-02T09:00:00.000000+00:00', 'local'), "
    "('00000000-0000-4000-8000-000000000002', 'v_old1', 'OLD-CODE-1', 'CREDITS_REDEMPTION', -1500, 'EUR', 3500, "
    "'SUCCESS', 'till-1', 2, 'u_old', '2024-12-03T09:00:00.000000+00:00', 'local')",
    "INSERT INTO outbox (entry_id, enqueued_at) VALUES "
    "('00000000-0000-4000-8000-000000000002', '2024-12-03T09:00:00.000000+00:00')",
    "INSERT INTO device_sequences (device_id, last_seq) VALUES ('till-1', 2)",
    "INSERT INTO users (id, name, role, pin_hash, active, failed_attempts, lockouts, created_at) VALUES "
    "('u_old', 'Olga', 'manager', 'scrypt$16$8$1$00$00', 1, 0, 0, '2024-12-01T09:00:00.000000+00:00')",
]


def schema_diff(engine: Engine) -> list[object]:
    """What the store has that the models do not, or the converse (the full-text tables are not modelled)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        return list(compare_metadata(context, Base.metadata))


def make_old_store(data_dir: Path) -> None:
    engine = open_engine(store_path(data_dir))
    upgrade(engine, INITIAL_REVISION)
    with engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.exec_driver_sql(sql)
    assert current_revision(engine) == INITIAL_REVISION
    engine.dispose()


def test_the_head_constant_names_the_newest_script() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD_REVISION
    assert [s.revision for s in reversed(list(scripts.walk_revisions()))] == [
        INITIAL_REVISION, "0002_customers", "0003_sync", "0004_token_file_server_version", "0005_print_jobs",
        "0006_sale_payment", "0007_part_refunds", "0008_customer_phone", HEAD_REVISION]
    names = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert names == ["2026_11_21_0001_initial_schema.py", "2026_11_21_0002_customers.py", "2026_11_22_0003_sync.py",
                     "2026_11_24_0004_token_file_server_version.py", "2026_11_25_0005_print_jobs.py",
                     "2026_12_07_0006_sale_payment.py", "2026_12_07_0007_part_refunds.py",
                     "2026_12_07_0008_customer_phone.py", "2026_12_10_0009_validation_rules.py"]


def test_a_new_store_has_exactly_the_models_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    assert current_revision(store.engine) == HEAD_REVISION
    assert schema_diff(store.engine) == []
    store.close()


def test_an_old_store_upgrades_on_open_and_keeps_its_data(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    store = open_store(tmp_path)
    assert current_revision(store.engine) == HEAD_REVISION
    assert schema_diff(store.engine) == []
    with store.unit_of_work() as uow:
        card = uow.cards.get_by_code("OLD-CODE-1")
        assert card is not None
        assert (card.status, card.balance, card.loaded, card.redeemed, card.customer_id) == (
            CardStatus.ACTIVE, 3500, 5000, 1500, None)
        assert card.validity.days == frozenset(range(5)) and card.metadata == {"from": "v1"}
        assert card.expiration_date is not None and card.expiration_date.tzinfo is not None
        assert [e.amount for e in uow.entries.for_card("v_old1")] == [-1500, 5000]
        assert uow.entries.outbox_count() == 1
        assert uow.settings.get("store_name") == "Old shop"
        assert uow.users.get_by_name("Olga") is not None
        campaign = uow.campaigns.get("camp_old")
        assert campaign is not None and campaign.code_config == {"length": 12}
        # What 0002 added works: customers, a card published to one, and the reference is enforced.
        uow.customers.add(Customer(id="cust_1", source_id="crm-1"))
        card.publish("cust_1")
        uow.cards.save(card)
        with pytest.raises(errors.NotFound):
            card.customer_id = "cust_missing"
            uow.cards.save(card)
        card.customer_id = "cust_1"
        # The sequence carries on where the old till left it.
        next_entry = uow.entries.add(card.redeem(Money(100, "EUR"), ctx(T0)))
        assert next_entry.device_seq == 3
        uow.cards.save(card)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.cards.get("v_old1").customer_id == "cust_1"  # type: ignore[union-attr]
        assert uow.cards.get("v_old2") is not None
    store.close()


def test_downgrade_to_0001_and_upgrade_again(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        uow.customers.add(Customer(id="cust_1"))
        card = uow.cards.get("v_old2")
        assert card is not None
        card.publish("cust_1")
        uow.cards.save(card)
        uow.commit()
    downgrade(store.engine, INITIAL_REVISION)
    assert current_revision(store.engine) == INITIAL_REVISION
    with store.engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        card_columns = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(cards)")}
        indexes = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert conn.exec_driver_sql("SELECT count(*) FROM cards").scalar() == 2
        assert conn.exec_driver_sql("SELECT count(*) FROM entries").scalar() == 2
    assert "customers" not in tables and "customer_id" not in card_columns
    assert {"uq_entries_refund_of_success", "ix_cards_campaign_id"} <= indexes
    assert "ix_entries_created_at" not in indexes
    upgrade(store.engine)
    assert current_revision(store.engine) == HEAD_REVISION
    assert schema_diff(store.engine) == []
    with store.unit_of_work() as uow:
        again = uow.cards.get("v_old2")
        assert again is not None and again.customer_id is None  # the link went with the column
        assert uow.cards.get_by_code("OLD-CODE-1") is not None
    store.close()


def test_opening_a_current_store_does_no_alembic_work(tmp_path: Path) -> None:
    open_store(tmp_path).close()
    probe = (
        "import sys; from pos_app.store import open_store; "
        f"open_store({str(tmp_path)!r}).close(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_a_store_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    store.close()
    with pytest.raises(StoreVersionError, match="0099_from_the_future"):
        open_store(tmp_path)



def test_processes_opening_an_old_store_at_once_upgrade_it_once(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    probe = f"from pos_app.store import open_store; open_store({str(tmp_path)!r}).close(); print('ok')"
    procs = [subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT) for _ in range(3)]
    outcomes = [proc.communicate(timeout=120) for proc in procs]
    assert [out for out, _ in outcomes] == ["ok\n"] * 3, [err for _, err in outcomes]
    engine = open_engine(store_path(tmp_path))
    assert current_revision(engine) == HEAD_REVISION
    assert schema_diff(engine) == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM cards").scalar() == 2
    engine.dispose()


OLD_ENTRY = "00000000-0000-4000-8000-000000000002"


def test_an_old_store_gains_print_jobs_for_its_old_entries(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        assert uow.print_jobs.recent() == []
        job = PrintJob(id="job-1", entry_id=uuid.UUID(OLD_ENTRY), format="escpos", data=b"\x1b@\x00receipt",
                       created_at=later(1))
        uow.print_jobs.add(job)
        uow.print_jobs.mark_failed("job-1", destination="tcp://printer", error="off")
        with pytest.raises(errors.NotFound):  # a job belongs to an entry the store has
            uow.print_jobs.add(PrintJob(id="job-2", entry_id=uuid.uuid4(), format="escpos", data=b"x",
                                        created_at=later(2)))
        uow.commit()
    with store.unit_of_work(read_only=True) as uow:
        found = uow.print_jobs.for_entry(uuid.UUID(OLD_ENTRY), "escpos")
        assert found is not None and found.data == b"\x1b@\x00receipt"
        assert (found.status, found.attempts, found.last_error) == (PrintJobStatus.FAILED, 1, "off")
    store.close()


def test_downgrade_from_print_jobs_drops_only_that_table(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    store = open_store(tmp_path)
    with store.unit_of_work() as uow:
        uow.print_jobs.add(PrintJob(id="job-1", entry_id=uuid.UUID(OLD_ENTRY), format="text", data=b"x",
                                    created_at=T0))
        uow.commit()
    downgrade(store.engine, "0004_token_file_server_version")
    with store.engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        indexes = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert conn.exec_driver_sql("SELECT count(*) FROM entries").scalar() == 2
    assert "print_jobs" not in tables and "ix_print_jobs_entry_id" not in indexes
    upgrade(store.engine)
    assert current_revision(store.engine) == HEAD_REVISION and schema_diff(store.engine) == []
    with store.unit_of_work() as uow:
        assert uow.print_jobs.recent() == []
    store.close()


def test_0007_lets_a_redemption_be_refunded_in_parts_and_can_be_undone(tmp_path: Path) -> None:
    make_old_store(tmp_path)
    engine = open_engine(store_path(tmp_path))
    upgrade(engine, "0005_print_jobs")
    refund = ("INSERT INTO entries (id, card_id, code, kind, amount, currency, balance_after, result, device_id, "
              "device_seq, created_at, refund_of, status) VALUES (?, 'v_old1', 'OLD-CODE-1', 'CREDITS_REFUND', ?, "
              "'EUR', 0, 'SUCCESS', 'till-1', ?, '2024-12-04T09:00:00.000000+00:00', "
              "'00000000-0000-4000-8000-000000000002', 'local')")
    with engine.begin() as conn:
        conn.exec_driver_sql(refund, (str(uuid.uuid4()), 500, 3))
    upgrade(engine)
    assert schema_diff(engine) == []
    with engine.begin() as conn:
        conn.exec_driver_sql(refund, (str(uuid.uuid4()), 1000, 4))  # a second part: 1500 of 1500
    with pytest.raises(Exception, match="refunds exceed their redemption"), engine.begin() as conn:
        conn.exec_driver_sql(refund, (str(uuid.uuid4()), 1, 5))
    with pytest.raises(Exception, match="UNIQUE"):  # two refunds of one redemption cannot go back to 0005
        downgrade(engine, "0005_print_jobs")
    assert current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM entries WHERE device_seq = 4")
    downgrade(engine, "0005_print_jobs")
    with engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert "uq_entries_refund_of_success" in names and "card_changes" not in names
    upgrade(engine)
    assert schema_diff(engine) == []
    engine.dispose()
