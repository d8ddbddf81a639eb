"""Head office's card search (``server.card_search``), on SQLite and PostgreSQL: a card by its whole code, by part
of it, by customer; a card's history from every till with the tills' names; a search that finds nothing recorded as
a failed look-up; every list paged by cursor. The console's pages read through these."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, insert, text, update

from pos_app.domain import errors
from pos_app.domain.codes import CodeConfig
from pos_app.domain.money import Money
from pos_app.server import card_search, cards_admin, lookups
from pos_app.server.campaigns import CreateCampaign, create_campaign
from pos_app.server.db.engine import read, write
from pos_app.server.db.models import deleted_vouchers, devices
from pos_app.server.db.shop_models import shops
from pos_app.server.ledger import now
from tests.server.conftest import make_cards
from tests.server.harness import HttpTill

CONSOLE_USER = "console:1"


def _search(engine: Engine, query: str, **cursors: Any) -> card_search.Found:
    return write(engine, lambda conn: card_search.search(conn, query, caller=CONSOLE_USER, at=now(), **cursors))


def test_a_whole_code_finds_its_card_as_typed_and_a_readable_one_forgiven_its_case(
        engine: Engine, card: dict[str, Any]) -> None:
    assert _search(engine, card["code"]).card_id == card["id"]
    sloppy = " " + card["code"].lower().replace("-", " ") + " "
    assert _search(engine, sloppy).card_id == card["id"]


def test_part_of_a_code_finds_the_cards_that_contain_it(engine: Engine, till: HttpTill,
                                                        card: dict[str, Any]) -> None:
    others = make_cards(engine, till, 3)
    middle = card["code"].replace("-", "")[5:11].lower()  # six characters from inside, lower case
    found = _search(engine, middle)
    assert found.card_id is None
    assert [line.id for line in found.cards.rows] == [card["id"]]
    (line,) = found.cards.rows
    assert line.masked == "•••• " + card["code"][-4:] and card["code"] not in repr(line)
    assert (line.balance, line.currency, line.status) == (5000, "EUR", "active")
    hyphenated = card["code"][3:10].lower()  # "7xzp-ab": hyphens and spaces are ignored on both sides
    assert [c.id for c in read(engine, lambda conn: card_search.by_part(conn, hyphenated)).rows] == [card["id"]]
    assert _search(engine, "GC-").cards.rows == []  # too short a part: no code search
    with pytest.raises(errors.InvalidQueryParams):
        read(engine, lambda conn: card_search.by_part(conn, "GC-X-"))
    assert others  # (cards that do not contain the part are not listed)


def test_a_part_search_pages_by_cursor(engine: Engine) -> None:
    config = CodeConfig.from_options(prefix="PAGED-", pattern="############")
    create_campaign(engine, CreateCampaign(name="Paged", amount=Money(1000, "EUR"), count=5, code_config=config))
    pages: list[list[str]] = []
    after: str | None = None
    while True:
        page = read(engine, lambda conn, after=after: card_search.by_part(conn, "paged", after=after, limit=2))
        pages.append([line.id for line in page.rows])
        if page.next is None:
            break
        after = page.next
    assert [len(p) for p in pages] == [2, 2, 1]
    ids = [i for p in pages for i in p]
    assert ids == sorted(ids) and len(set(ids)) == 5


def test_a_customer_is_found_by_name_e_mail_or_source_id_with_their_cards(
        engine: Engine, till: HttpTill, card: dict[str, Any]) -> None:
    write(engine, lambda conn: cards_admin.publish(conn, card["code"], "crm-4711", name="Erika Mustermann",
                                                   email="Erika@Example.org", at=now()))
    other = make_cards(engine, till, 1)[0]
    write(engine, lambda conn: cards_admin.publish(conn, other["code"], "crm-0815", name="Max Muster",
                                                   email="max@example.org", at=now()))
    for query in ("mustermann", "ERIKA@example", "crm-4711", "Erika  Muster"):
        found = _search(engine, query)
        assert [c.source_id for c in found.customers.rows] == ["crm-4711"], query
        assert [c.id for c in found.customers.rows[0].cards] == [card["id"]]
    both = _search(engine, "muster")
    assert sorted(c.source_id for c in both.customers.rows) == ["crm-0815", "crm-4711"]
    first = read(engine, lambda conn: card_search.by_customer(conn, "muster", limit=1))
    second = read(engine, lambda conn: card_search.by_customer(conn, "muster", after=first.next, limit=1))
    assert first.next is not None and second.next is None
    assert {first.rows[0].source_id, second.rows[0].source_id} == {"crm-0815", "crm-4711"}


def test_a_search_that_finds_nothing_is_a_failed_look_up_of_its_console_user(engine: Engine,
                                                                               card: dict[str, Any]) -> None:
    assert _search(engine, "GC-NOPE-NOPE-NOPE").nothing
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT caller, masked_code, channel FROM failed_lookups")).all()
    assert [tuple(r) for r in rows] == [(CONSOLE_USER, "•••• NOPE", "console")]
    assert _search(engine, card["code"]).card_id == card["id"]  # a find is no failure
    write(engine, lambda conn: lookups.set_lookup_limit(conn, failures=2))
    _search(engine, "nothing-like-it")
    with pytest.raises(errors.TooManyRequests):
        _search(engine, card["code"])


def test_a_cards_history_names_the_till_and_shop_of_every_entry_newest_first(
        engine: Engine, till: HttpTill, till2: HttpTill, card: dict[str, Any]) -> None:
    with engine.begin() as conn:  # till 2 works in a shop (till 1 was enrolled before there were shops)
        conn.execute(insert(shops).values(id="shop_1", name="Grafton Street", time_zone="Europe/Dublin",
                                          created_at=now()))
        conn.execute(update(devices).where(devices.c.id == till2.device_id).values(shop_id="shop_1"))
    assert till2.authorise("redeem", card["code"], 1000).json()["result"] == "SUCCESS"
    assert till.authorise("redeem", card["code"], 99_999).json()["result"] == "FAILURE"
    cards_admin.top_up(engine, card["code"], Money(500, "EUR"), reason="goodwill")
    lines = read(engine, lambda conn: card_search.history(conn, card["id"])).rows
    assert [(line.entry.kind.value, line.entry.amount, line.made_by) for line in lines] == [
        ("CREDITS_ADDITION", 500, "head office"),
        ("CREDITS_REDEMPTION", -99_999, "till 1"),
        ("CREDITS_REDEMPTION", -1000, "till 2"),
        ("CREDITS_ADDITION", 5000, "till 1"),
    ]
    assert lines[2].till == "till 2" and lines[2].shop == "Grafton Street" and lines[2].operator == "Mia"
    assert lines[2].shop_zone == "Europe/Dublin"  # the page shows its time as the shop read it
    assert lines[3].shop is None and lines[0].till is None and lines[0].by_head_office
    assert lines[1].entry.error_key == "gift_amount_exceeded"
    older = read(engine, lambda conn: card_search.history(conn, card["id"], limit=3))
    rest = read(engine, lambda conn: card_search.history(conn, card["id"], before=int(older.next or 0), limit=3))
    assert [line.entry.id for line in older.rows + rest.rows] == [line.entry.id for line in lines]
    assert rest.next is None


def test_the_card_page_has_the_card_its_campaign_and_customer(engine: Engine, card: dict[str, Any]) -> None:
    write(engine, lambda conn: cards_admin.publish(conn, card["code"], "crm-1", name="Ann", email=None, at=now()))
    page = read(engine, lambda conn: card_search.card_page(conn, card["id"]))
    assert page.card.code == card["code"] and page.card.balance == 5000
    assert page.campaign is not None and page.campaign.startswith("Campaign ")
    assert page.customer is not None and page.customer.name == "Ann" and page.deleted_at is None
    with engine.begin() as conn:  # deleted through the API: still head office's to see
        conn.execute(insert(deleted_vouchers).values(card_id=card["id"], key_id="key_1", deleted_at=now()))
    assert read(engine, lambda conn: card_search.card_page(conn, card["id"])).deleted_at is not None
    with pytest.raises(errors.NotFound):
        read(engine, lambda conn: card_search.card_page(conn, "v_nope"))


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_on_postgresql_the_part_searches_can_use_their_trigram_indexes(engine: Engine) -> None:
    """The queries are written as the indexes' expressions are: with scans of
    the table or of its primary key discouraged (an empty table is cheapest to scan), the planner can serve each
    from its trigram indexes, as it does at a million rows."""
    def plan(stmt: Any) -> str:
        with engine.connect() as conn:
            conn.execute(text("SET enable_seqscan = off"))
            conn.execute(text("SET enable_indexscan = off"))
            compiled = stmt.compile(conn, compile_kwargs={"render_postcompile": True})
            return "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))

    assert "ix_cards_code_trgm" in plan(card_search.part_query("7xzp-ab"))
    customers = plan(card_search.customer_query("muster"))
    for index in ("ix_customers_name_trgm", "ix_customers_email_trgm", "ix_customers_source_id_trgm"):
        assert index in customers


def test_what_is_typed_is_text_not_a_pattern(engine: Engine, card: dict[str, Any]) -> None:
    """LIKE's wildcards and quotes typed in the box are looked for as they are (the pattern is written into the
    statement: ``card_search._contains``)."""
    write(engine, lambda conn: cards_admin.publish(conn, card["code"], "crm_100%", name="Seán O'Brien\\",
                                                   email=None, at=now()))
    for typed in ("o'brien\\", "CRM_100%", "o'b"):
        assert [c.source_id for c in _search(engine, typed).customers.rows] == ["crm_100%"], typed
    for wildcard in ("%%%%", "____", "crm%100", "o'brien%"):
        found = _search(engine, wildcard)
        assert found.cards.rows == [] and found.customers.rows == [], wildcard
