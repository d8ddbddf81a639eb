"""What the fuzz run (``tests/server/test_api_fuzz.py``) and the probes around it found: requests that made the real
server answer 500, or that it took and then could not give to its tills. Each is now a 400 ``invalid_payload`` in
Voucherify's shape, and nothing of it is kept — on SQLite and on PostgreSQL (which holds no NUL character in a
text and no ``NaN`` in a JSON document)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.server.api.conftest import ApiServer, new_code
from tests.server.harness import HttpTill, enrol_code


@pytest.fixture(scope="module")
def http(api: ApiServer) -> Iterator[httpx.Client]:
    headers = {"X-App-Id": api.app_id, "X-App-Token": api.app_token, "Content-Type": "application/json"}
    with httpx.Client(base_url=api.url, headers=headers, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def till(api: ApiServer) -> Iterator[HttpTill]:
    with HttpTill.enrol(api.url, enrol_code(api.db_url), "fuzz findings") as made:
        yield made


def _refused(response: httpx.Response, key: str = "invalid_payload") -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["key"] == key


def _create(http: httpx.Client, raw: bytes) -> tuple[str, httpx.Response]:
    code = new_code("FZ")
    return code, http.post(f"/v1/vouchers/{code}", content=raw)


@pytest.mark.parametrize("raw", [
    b'{"expiration_date": "9999-12-31"}',  # its end of day is past the last date Python knows: was a 500
    b'{"start_date": "0001-01-01"}',  # a card starting in year 1 was made, and no till could pull it
    b'{"start_date": "1999-12-31T23:59:59Z"}',
    b'{"expiration_date": "2102-01-01"}',
], ids=["expiry-9999", "start-year-1", "start-1999", "expiry-2102"])
def test_a_date_no_card_may_carry_is_refused_and_every_till_can_still_pull(
        http: httpx.Client, till: HttpTill, raw: bytes) -> None:
    code, response = _create(http, raw)
    _refused(response)
    assert http.get(f"/v1/vouchers/{code}").status_code == 404
    till.pull_all()  # asserts 200 on every page


@pytest.mark.parametrize("raw", [
    b'{"metadata": {"note": "a\\u0000b"}}',  # PostgreSQL: "cannot contain NUL" was a 500
    b'{"metadata": {"a\\u0000": 1}}',
    b'{"metadata": {"note": "\\ud800"}}',  # an unpaired surrogate is no Unicode: was a 500 on both databases
    b'{"metadata": {"n": 1e400}}',  # infinite: PostgreSQL refused the JSON (500); SQLite kept it as null
    b'{"metadata": {"n": NaN}}',
    b'{"metadata": {"n": [-Infinity]}}',
    b'{"metadata": {"note": "' + b"x" * 5000 + b'"}}',  # more than a till takes: every till's pull was a 500
    b'{"category": "gift\\u0000"}',
    b'{"campaign": "\\u0000"}',
], ids=["nul-value", "nul-key", "surrogate", "infinite", "nan", "minus-infinity", "too-large", "nul-category",
        "nul-campaign"])
def test_text_and_numbers_no_database_or_till_can_hold_are_refused(
        http: httpx.Client, till: HttpTill, raw: bytes) -> None:
    code, response = _create(http, raw)
    _refused(response)
    assert http.get(f"/v1/vouchers/{code}").status_code == 404
    till.pull_all()


def test_literal_backslashes_and_paired_surrogates_are_text_like_any_other(http: httpx.Client) -> None:
    _, response = _create(http, '{"metadata": {"note": "C:\\\\u0000 \\ud83c\\udf81 🎁"}}'.encode())
    assert response.status_code == 200, response.text
    assert response.json()["metadata"] == {"note": "C:\\u0000 🎁 🎁"}


def test_a_nul_character_in_a_tills_request_is_refused_before_it_reaches_the_database(till: HttpTill) -> None:
    response = till.authorise("redeem", "NO-SUCH-CARD", 100, operator_id="op\u0000")  # found by the fuzz run
    _refused(response)
    response = till.http.post("/sync/v1/publish", headers=till.headers,
                              json={"code": "X\u0000", "source_id": "c\u0000", "operator_id": "\u0000"})
    _refused(response)


def test_a_method_a_route_does_not_take_is_405_with_what_it_takes(http: httpx.Client) -> None:
    response = http.patch(f"/v1/vouchers/{new_code()}", json={})
    assert response.status_code == 405 and response.json()["key"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]  # (Starlette names the methods of the first route of the path)
