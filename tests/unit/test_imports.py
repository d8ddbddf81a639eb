"""Importing cards from CSV and JSON: codes kept exactly, ledgers that add up, all or nothing."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from pos_app.domain import errors
from pos_app.domain.cards import CardStatus, GiftCard
from pos_app.domain.ledger import EntryKind
from pos_app.domain.money import Money
from pos_app.domain.people import Role
from pos_app.services import auth, campaigns, cards, setup
from pos_app.services.context import Caller
from pos_app.services.imports import import_cards
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.fakes import FixedClock as Clock

NOW = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def store() -> tuple[FakeUnitOfWork, Caller]:
    uow = FakeUnitOfWork()
    profile = setup.init_store(uow, store_name="Shop", currency="EUR", manager_pin="9876")
    return uow, Caller(auth.login(uow, "9876"), profile.device_id, Clock(NOW))


def card(uow: FakeUnitOfWork, code: str) -> GiftCard:
    found = uow.cards.get_by_code(code)
    assert found is not None, code
    return found


VOUCHERIFY_CSV = """\
Code,Gift Amount,Gift Balance,Campaign,Category,Start Date,Expiration Date,Redemption Quantity,Active,Metadata
  abc-Def-01  ,5000,3500,Xmas 2025,gifts,2025-12-01T00:00:00.000Z,2027-12-31T23:59:59.000Z,,true,"{""src"": ""vf""}"
GC/01 ä,2500,,Xmas 2025,,,2027-12-31,3,TRUE,
lost-card,1000,1000,,,,,,false,
"""


def test_a_voucherify_csv_imports_with_codes_and_case_kept(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store

    result = import_cards(uow, manager, VOUCHERIFY_CSV, fmt="csv")

    assert (result.cards, result.entries, result.campaigns_created) == (3, 4, 1)
    first = card(uow, "abc-Def-01")
    assert uow.cards.get_by_code("ABC-DEF-01") is None
    assert (first.loaded, first.balance, first.redeemed, first.status) == (5000, 3500, 1500, CardStatus.ACTIVE)
    assert first.invariant_holds()
    assert first.category == "gifts" and first.metadata == {"src": "vf"}
    assert first.start_date == datetime(2025, 12, 1, tzinfo=UTC)
    assert first.expiration_date == datetime(2027, 12, 31, 23, 59, 59, tzinfo=UTC)
    ledger = sorted(uow.entries.for_card(first.id), key=lambda e: e.kind)
    assert [(e.kind, e.amount, e.reason) for e in ledger] == [
        (EntryKind.CREDITS_ADDITION, 5000, "import"),
        (EntryKind.CREDITS_REDEMPTION, -1500, "import: redeemed before import"),
    ]
    second = card(uow, "GC/01 ä")
    assert (second.balance, second.redemption_limit) == (2500, 3)
    assert second.expiration_date == datetime(2028, 1, 1, tzinfo=UTC)  # a bare date: usable all that day
    campaign = uow.campaigns.get_by_name("Xmas 2025")
    assert campaign is not None and first.campaign_id == second.campaign_id == campaign.id
    assert campaign.vouchers_count == 2
    assert card(uow, "lost-card").status is CardStatus.DISABLED


def test_imported_cards_can_be_redeemed_by_their_exact_code(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    import_cards(uow, manager, io.StringIO(VOUCHERIFY_CSV), fmt="csv")

    entry = cards.redeem(uow, manager, "GC/01 ä", Money(500, "EUR"))

    assert entry.balance_after == 2000
    with pytest.raises(errors.VoucherDisabled):
        cards.redeem(uow, manager, "lost-card", Money(100, "EUR"))


def test_a_bad_row_and_a_duplicate_name_their_lines_and_nothing_is_imported(
    store: tuple[FakeUnitOfWork, Caller],
) -> None:
    uow, manager = store
    lines = ["code,value,campaign"] + [f"C-{i},1000,New campaign" for i in range(2, 11)]
    lines[6] = "C-7,12.50,New campaign"  # line 7
    lines[8] = "C-3,1000,New campaign"  # line 9 repeats line 3's code

    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, "\n".join(lines) + "\n", fmt="csv")

    details = failed.value.details
    assert "line 7: invalid_amount: value '12.50' is not a whole number of minor units" in details
    assert "1250 means 12.50 EUR" in details
    assert "line 9: duplicate_found: the same code as line 3" in details
    assert failed.value.context["count"] == 2
    assert list(uow.cards.iter_all()) == [] and uow.entries.outbox_count() == 0
    assert uow.campaigns.get_by_name("New campaign") is None


def test_a_code_the_store_has_already_is_a_duplicate(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    campaigns.create_campaign(uow, manager, campaigns.CreateCampaign(
        name="Spring", amount=Money(5000, "EUR"), count=1))
    existing = next(uow.cards.iter_all()).code

    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, f"code,value\nNEW-1,100\n{existing},100\n", fmt="csv")

    assert "line 3: duplicate_found:" in failed.value.details
    assert uow.cards.get_by_code("NEW-1") is None


def test_every_problem_is_counted_and_the_first_twenty_are_shown(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    rows = "".join(f"X{i},{i}.5\n" for i in range(30))

    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, "code,value\n" + rows, fmt="csv")

    assert failed.value.context["count"] == 30
    assert "line 21:" in failed.value.details and "line 22:" not in failed.value.details
    assert "… and 10 more" in failed.value.details


@pytest.mark.parametrize(("row", "key"), [
    ("A,1000,USD", "currency_mismatch"),
    (",1000,EUR", "invalid_code"),
    ("A\x07B,1000,EUR", "invalid_code"),
    ("A,-5,EUR", "invalid_amount"),
    ("A,1e3,EUR", "invalid_amount"),
])
def test_refused_values_carry_their_key(store: tuple[FakeUnitOfWork, Caller], row: str, key: str) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, f"code,value,currency\n{row}\n", fmt="csv")
    assert f"line 2: {key}:" in failed.value.details


def test_a_balance_above_the_value_and_bad_dates_are_refused(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    text = ("code,value,gift_balance,start_date,expiration_date\n"
            "A,1000,2000,,\n"
            "B,1000,,2027-01-01,2026-01-01\n"
            "C,1000,,yesterday,\n")
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, text, fmt="csv")
    details = failed.value.details
    assert "line 2: invalid_amount: gift_balance 2000 is more than the value 1000" in details
    assert "line 3: invalid_payload: the expiration_date is not after the start_date" in details
    assert "line 4: invalid_payload: start_date 'yesterday' is not an ISO-8601 date" in details


def test_what_no_till_could_pull_is_refused_at_import(store: tuple[FakeUnitOfWork, Caller]) -> None:
    """Dates outside 2000–2100 (an expiry on its last day ends at the next midnight) and metadata over 4 KiB
    would make every till's pull fail: refused here."""
    uow, manager = store
    big = json.dumps({"note": "x" * 5000}).replace('"', '""')
    text = ("code,value,start_date,expiration_date,metadata\n"
            "A,1000,1999-12-31,,\n"
            "B,1000,,2102-01-01,\n"
            "C,1000,,9999-12-31T00:00:00Z,\n"
            f'D,1000,,,"{big}"\n'
            "E,1000,2026-01-01,2100-12-31,\n")
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, text, fmt="csv")
    details = failed.value.details
    for line in (2, 3, 4, 5):
        assert f"line {line}: invalid_payload" in details
    assert "line 6" not in details


def test_a_json_list_of_voucherify_vouchers_imports(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    vouchers = [
        {"code": "Json-1", "type": "GIFT_VOUCHER", "gift": {"amount": 4000, "balance": 0}, "active": True,
         "campaign": "Web", "redemption": {"quantity": None, "redeemed_quantity": 2},
         "expiration_date": "2025-01-31T23:59:59.000Z", "metadata": {"k": 1}},
        {"code": "json-2", "gift": {"amount": 1500}},
    ]

    result = import_cards(uow, manager, json.dumps({"vouchers": vouchers}), fmt="json")

    assert result.cards == 2
    spent = card(uow, "Json-1")
    assert (spent.loaded, spent.balance, spent.redemption_count, spent.metadata) == (4000, 0, 2, {"k": 1})
    assert spent.is_expired(NOW) and spent.invariant_holds()  # a past expiry does not block the import
    assert card(uow, "json-2").balance == 1500


def test_json_amounts_must_be_integers_and_problems_name_the_item(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    vouchers = [{"code": "A", "gift": {"amount": 100}}, {"code": "B", "gift": {"amount": 12.5}},
                {"code": "C", "type": "DISCOUNT_VOUCHER"}]

    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, json.dumps(vouchers), fmt="json")

    assert "item 2: invalid_amount: value 12.5 is not a whole number" in failed.value.details
    assert "item 3: invalid_payload: only gift cards can be imported" in failed.value.details
    assert uow.cards.get_by_code("A") is None


def test_a_card_of_value_zero_stays_inactive_with_no_entries(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store

    import_cards(uow, manager, "code,value,initial_amount\nUNSOLD-1,0,2000\n", fmt="csv")

    unsold = card(uow, "UNSOLD-1")
    assert unsold.status is CardStatus.INACTIVE and uow.entries.for_card(unsold.id) == []
    assert cards.sell(uow, manager, "UNSOLD-1").amount == 2000  # sold later at its preset value


def test_an_imported_redemption_count_still_limits_the_card(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    import_cards(uow, manager, "code,value,gift_balance,redemption_quantity,redemption_count\n"
                               "L-1,5000,3000,2,2\n", fmt="csv")
    with pytest.raises(errors.QuantityExceeded):
        cards.redeem(uow, manager, "L-1", Money(100, "EUR"))


def test_cards_are_written_in_batches_with_progress(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    seen: list[tuple[int, int]] = []
    text = "code;value\n" + "".join(f"B-{i};100\n" for i in range(5))  # a semicolon CSV, as Excel writes it

    result = import_cards(uow, manager, text, fmt="csv", progress=lambda d, t: seen.append((d, t)), batch_size=2)

    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert result.cards == 5 and sum(1 for _ in uow.cards.iter_all()) == 5


def test_unknown_columns_are_ignored_and_named(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    result = import_cards(uow, manager, "Code,Value,Loyalty Balance\nU-1,100,7\n", fmt="csv")
    assert result.ignored_columns == ("Loyalty Balance",)


def test_a_cashier_may_not_import(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    auth.add_user(uow, manager, "Cathy", Role.CASHIER, "1234")
    cashier = Caller(auth.login(uow, "1234"), manager.device_id, manager.clock)

    with pytest.raises(errors.Forbidden) as refused:
        import_cards(uow, cashier, "code,value\nA,100\n", fmt="csv")

    assert refused.value.key == "forbidden"
    assert uow.cards.get_by_code("A") is None


def test_a_repeated_code_is_named_even_when_its_first_row_is_wrong(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, "code,value\nA,12.50\nB,100\nA,100\n", fmt="csv")
    assert "line 4: duplicate_found: the same code as line 2" in failed.value.details


def test_a_broken_csv_quote_is_refused_rather_than_read_as_a_code(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, 'code,value\nB,100\n"A,100\n', fmt="csv")
    assert "line 3: invalid_payload: not readable as CSV" in failed.value.details
    assert uow.cards.get_by_code("B") is None


# ---- files as they come: encodings, nesting, numbers (issue 13) --------------------------------------------

@pytest.mark.parametrize(("data", "where", "says"), [
    ("code,value\nA-1,100\ncafé,200\n".encode("latin-1"), "line 3", "byte 23 of the file (E9) is not UTF-8"),
    ("code,value\nA-1,100\n".encode("utf-16-le"), "line 1", "NUL characters"),
    ("code,value\nA-1,100\n".encode("utf-32"), "line 1", "the file is UTF-32"),
    (b"\xff\xfe" + "code,value\nA-1,100\n".encode("utf-16-le") + b"\x00", "line 3", "is not UTF-16"),
])
def test_a_file_in_another_encoding_is_refused_naming_its_line_and_byte(
        store: tuple[FakeUnitOfWork, Caller], data: bytes, where: str, says: str) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, data, fmt="csv")
    assert f"{where}: invalid_payload: " in failed.value.details and says in failed.value.details
    assert uow.cards.existing_codes(["A-1"]) == set()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_utf8_with_or_without_a_bom_and_utf16_with_one_are_read(
        store: tuple[FakeUnitOfWork, Caller], encoding: str) -> None:
    uow, manager = store
    data = "code;value\r\ncafé-1;100\r\n".encode(encoding)

    assert import_cards(uow, manager, io.BytesIO(data), fmt="csv").cards == 1
    assert card(uow, "café-1").balance == 100


@pytest.mark.parametrize(("text", "where", "says"), [
    ("[" * 100_000 + "]" * 100_000, "line 1", "nested more than 20 levels"),
    ('[{"code": "A",\n "metadata": ' + "[" * 30 + "]" * 30 + "}]", "line 2", "nested more than 20 levels"),
    ('[{"code": "A",\n\n "gift": {"amount": ' + "9" * 5000 + "}}]", "line 3", "a number of 5,000 digits"),
    ('[{"code": "A", "gift": {"amount": NaN}}]', "line 1", "NaN is not a JSON number"),
    ('[{"code": "A", "gift": {"amount": 1e999}}]', "line 1", "numbers have at most"),
    ('[{"code": "A"\n "gift": {}}]', "line 2", "not valid JSON (Expecting ',' delimiter, column 2)"),
])
def test_json_nested_too_deeply_or_with_a_huge_number_is_refused_naming_its_line(
        store: tuple[FakeUnitOfWork, Caller], text: str, where: str, says: str) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, text.encode(), fmt="json")
    assert f"{where}: invalid_payload: " in failed.value.details and says in failed.value.details


def test_a_csv_amount_of_5000_digits_is_refused_as_too_large(store: tuple[FakeUnitOfWork, Caller]) -> None:
    uow, manager = store
    with pytest.raises(errors.ImportFailed) as failed:
        import_cards(uow, manager, b"code,value,redemption_quantity\nA,1,\nB," + b"9" * 5000 + b",\nC,1,"
                     + b"9" * 5000 + b"\n", fmt="csv")
    assert "line 3: invalid_amount: value '99999" in failed.value.details
    assert "is more than any gift card may hold" in failed.value.details
    assert "line 4: invalid_payload: redemption_quantity '9999" in failed.value.details
    assert len(failed.value.details) < 1000


@pytest.mark.parametrize("amount", ['"100"', "true", "false", "100.0", "[100]"])
def test_a_json_amount_is_a_json_integer_only(store: tuple[FakeUnitOfWork, Caller], amount: str) -> None:
    uow, manager = store
    for where in ('"gift": {"amount": %s}', '"value": 100, "gift_balance": %s',
                  '"value": 100, "redemption": {"quantity": %s}'):
        text = '[{"code": "A", ' + where % amount + "}]"
        with pytest.raises(errors.ImportFailed) as failed:
            import_cards(uow, manager, text.encode(), fmt="json")
        assert "item 1: invalid_" in failed.value.details, text
        assert uow.cards.existing_codes(["A"]) == set()
