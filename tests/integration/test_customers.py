"""Customers on a real store: publish a card to a customer (standalone), find the customer by part of their name,
e-mail or phone whatever its case, and see their cards and balances; customers from the server by pull."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos_app.domain import errors, people
from pos_app.domain.cards import CardStatus
from pos_app.domain.money import Money
from pos_app.domain.people import Actor, Role
from pos_app.services import auth, cards, customers, setup
from pos_app.services.context import Caller
from pos_app.services.ports import Customer
from pos_app.store import Store, open_store
from pos_app.store.engine import open_engine, store_path
from pos_app.store.migrate import downgrade, upgrade
from pos_app.store.uow import SqlUnitOfWork
from tests.integration.conftest import new_card


@pytest.fixture(autouse=True)
def cheap_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people, "SCRYPT_N", 2**4)


@pytest.fixture
def manager(uow: SqlUnitOfWork) -> Caller:
    profile = setup.init_store(uow, store_name="Shop", currency="EUR", manager_pin="9876")
    return Caller(auth.login(uow, "9876"), profile.device_id)


def _sold(uow: SqlUnitOfWork, manager: Caller, value: int = 5000) -> str:
    card = new_card(status=CardStatus.INACTIVE, initial_amount=value)
    with uow:
        uow.cards.add_many([card])
        uow.commit()
    cards.sell(uow, manager, card.code)
    return card.code


def test_publish_makes_the_customer_and_finds_them_by_part_of_name_email_or_phone(
        uow: SqlUnitOfWork, manager: Caller) -> None:
    first, second = _sold(uow, manager, 5000), _sold(uow, manager, 2000)
    card, anna = customers.publish_to(uow, manager, first, "K-100", name="Anna Müller", email="Anna@Example.org",
                                      phone="+49 (0171) 234-5678")
    assert card.customer_id == anna.id and anna.phone == "+49 (0171) 234-5678"
    again, same = customers.publish_to(uow, manager, second, "K-100")  # known: the details stay
    assert same == anna and again.customer_id == anna.id
    customers.publish_to(uow, manager, _sold(uow, manager), "K-200", name="Bernd Schulz", phone="030 555 1234")

    for typed in ("müller", "MÜLL", "anna mül", "Muller", "mull", "example.ORG", "0171 2345", "2345678",
                  "(0171)234", "An", "Mü", "mu"):
        found = customers.find(uow, manager, typed)
        assert [f.customer.source_id for f in found] == ["K-100"], typed
    view = customers.find(uow, manager, "müller")[0]
    assert sorted(c.code for c in view.cards) == sorted([first, second])
    assert view.balances() == {"EUR": 7000}
    assert customers.find(uow, manager, "nobody") == []
    assert [f.customer.name for f in customers.find(uow, manager, "555")] == ["Bernd Schulz"]


def test_details_given_again_replace_the_ones_kept_and_are_found(uow: SqlUnitOfWork, manager: Caller) -> None:
    customers.publish_to(uow, manager, _sold(uow, manager), "K-1", name="Ann")
    customers.publish_to(uow, manager, _sold(uow, manager), "K-1", phone="0176 11 22 33")
    assert customers.find(uow, manager, "0176112233")[0].customer.name == "Ann"
    customers.publish_to(uow, manager, _sold(uow, manager), "K-1", name="Annabel")
    assert [f.customer.name for f in customers.find(uow, manager, "annab")] == ["Annabel"]
    shown = customers.show(uow, manager, "K-1")
    assert shown.customer.phone == "0176 11 22 33" and len(shown.cards) == 3
    assert customers.show(uow, manager, shown.customer.id) == shown


def test_refusals_write_nothing(uow: SqlUnitOfWork, manager: Caller) -> None:
    code = _sold(uow, manager)
    customers.publish_to(uow, manager, code, "K-1", name="Ann")
    with pytest.raises(errors.AlreadyPublished):
        customers.publish_to(uow, manager, code, "K-2", name="Bea")
    with pytest.raises(errors.NotFound):
        customers.publish_to(uow, manager, "GC-NOPE-NOPE", "K-3", name="Cem")
    with pytest.raises(errors.InvalidPayload):
        customers.publish_to(uow, manager, code, "K-1", phone="call me")
    assert customers.find(uow, manager, "bea") == customers.find(uow, manager, "cem") == []
    with pytest.raises(errors.InvalidPayload):
        customers.find(uow, manager, " a ")
    with pytest.raises(errors.NotFound):
        customers.show(uow, manager, "K-9")


def test_a_cashier_finds_but_does_not_publish(uow: SqlUnitOfWork, manager: Caller) -> None:
    code = _sold(uow, manager)
    customers.publish_to(uow, manager, code, "K-1", name="Ann Example")
    cashier = Caller(Actor(user_id="u_c", name="Chris", role=Role.CASHIER), manager.device_id)
    assert customers.find(uow, cashier, "example")[0].cards[0].code == code
    with pytest.raises(errors.Forbidden):
        customers.publish_to(uow, cashier, _sold(uow, manager), "K-1")


def test_customers_from_the_server_replace_and_are_indexed(store: Store, uow: SqlUnitOfWork,
                                                           manager: Caller) -> None:
    customers.publish_to(uow, manager, _sold(uow, manager), "K-1", name="Local Ann")
    card = new_card(balance=1500, customer_id="cust_server_1")
    with uow:  # a card that came before its customer: the customer is known by id alone
        uow.cards.upsert([card], synced_at=card.created_at or manager.clock())
        uow.customers.upsert([Customer(id="cust_server_1", source_id="K-1", name="Server Ann",
                                       phone="0171 999 888")])
        uow.commit()
    assert [f.customer.id for f in customers.find(uow, manager, "999888")] == ["cust_server_1"]
    found = customers.find(uow, manager, "ann")
    assert {f.customer.name: f.customer.source_id for f in found} == {"Local Ann": None, "Server Ann": "K-1"}
    assert customers.show(uow, manager, "K-1").cards[0].balance == 1500
    with uow:  # the same again changes nothing
        uow.customers.upsert([Customer(id="cust_server_1", source_id="K-1", name="Server Ann",
                                       phone="0171 999 888")])
        uow.commit()
    assert len(customers.find(uow, manager, "server ann")) == 1
    assert Money(customers.show(uow, manager, "cust_server_1").balances()["EUR"], "EUR") == Money(1500, "EUR")


def test_customers_of_an_old_store_are_found_after_the_upgrade(tmp_path: Path) -> None:
    engine = open_engine(store_path(tmp_path))
    upgrade(engine, "0005_print_jobs")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO customers (id, source_id, name, email, created_at) VALUES "
                             "('cust_old', 'K-OLD', 'Olga Österreicher', 'olga@example.at', "
                             "'2025-01-01T00:00:00.000000+00:00')")
    engine.dispose()
    store = open_store(tmp_path)
    uow = store.unit_of_work()
    manager = Caller(Actor(user_id="u_m", name="Maria", role=Role.MANAGER), "till-1")
    assert [f.customer.id for f in customers.find(uow, manager, "ÖSTERR")] == ["cust_old"]
    assert [f.customer.id for f in customers.find(uow, manager, "osterreicher")] == ["cust_old"]
    downgrade(store.engine, "0005_print_jobs")  # and back: the full-text table goes, the customer stays
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM customers").scalar_one() == "Olga Österreicher"
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'customers_search%'").scalar_one() == 0
    store.close()


def test_a_search_goes_through_the_full_text_index(store: Store, uow: SqlUnitOfWork) -> None:
    from pos_app.store.repositories.customers import _MATCH, match_expression

    match = match_expression("müller anna", "01712")
    assert match == '({name email} : "muller" AND {name email} : "anna") OR (phone : "01712")'
    with store.engine.connect() as conn:
        compiled = _MATCH.compile(dialect=conn.dialect)
        params = compiled.construct_params({"b_match": match, "b_limit": 20})
        assert compiled.positiontup is not None
        plan = " / ".join(row[3] for row in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}", tuple(params[name] for name in compiled.positiontup)))
    assert "customers_search VIRTUAL TABLE INDEX 0:M" in plan and "SEARCH customers USING INDEX" in plan, plan
    assert match_expression("ab", None) is None  # too short for trigrams: the table is scanned instead
    assert match_expression('say "hi"', None) == '({name email} : "say" AND {name email} : """hi""")'
