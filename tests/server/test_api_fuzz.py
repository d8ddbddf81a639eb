"""A property-based fuzz run of the whole HTTP API (schemathesis, on Hypothesis) against the real server process.

Every operation of the OpenAPI document the server publishes (``/openapi.json``) is fuzzed — whatever routes it has
when this runs, so a route added later is fuzzed without a change here — with requests that fit the document
(positive) and requests that break it (negative: wrong types, missing fields, odd characters, numbers out of
range), with a good API key on ``/v1`` and a good till token on ``/sync/v1``. Every answer must:

* not be a server error (no 5xx);
* have a status code the document declares for the operation, and the declared content type;
* when it is a refusal (4xx), be Voucherify's error shape ``{code, key, message, details, request_id}`` as
  ``application/json``, its ``code`` the HTTP status;
* fit the document's schema for that status (a voucher, a pull page, an error body, …).

A few vouchers are made first, and a path's ``code`` is one of them half the time, so that not every request is
a 404. ``$POS_FUZZ_EXAMPLES`` sets the examples per operation and mode (default :data:`DEFAULT_EXAMPLES`: the run
takes well under a minute); ``$POS_FUZZ_DB=postgresql`` fuzzes a server on PostgreSQL (``$POS_TEST_PG_URL``)
instead of SQLite; ``$POS_FUZZ_ONLY`` (a regular expression) fuzzes only the operations it finds. ``-s`` prints the
requests made per operation and status. The long run of the README (1,000 examples per operation):

    POS_FUZZ_EXAMPLES=500 .venv/bin/python -m pytest -p no:cacheprovider -n 0 -s tests/server/test_api_fuzz.py
"""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pos_app.server.db.engine import open_engine, write
from pos_app.server.lookups import set_lookup_limit
from tests.server.api.conftest import _database
from tests.server.harness import HttpTill, ServerProcess, enrol_code, pos_server, running_server

DEFAULT_EXAMPLES = 10
EXAMPLES = int(os.environ.get("POS_FUZZ_EXAMPLES", str(DEFAULT_EXAMPLES)))
DB_KIND = os.environ.get("POS_FUZZ_DB", "sqlite")
ONLY = os.environ.get("POS_FUZZ_ONLY", "")  # a regular expression: fuzz only the operations it finds ("POST /v1")
ERROR_FIELDS = {"code", "key", "message", "details", "request_id"}
#: What every answer is checked for by schemathesis (see the module's docstring); the error shape is checked here.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = pytest.mark.slow


@dataclass
class Target:
    """The running server, the credentials the fuzzer sends, the codes of the vouchers made for it, and what it
    was answered (for the figures printed at the end)."""

    server: ServerProcess
    api_headers: dict[str, str]
    till_headers: dict[str, str]
    codes: list[str]
    answers: Counter[tuple[str, int]] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    with _database(DB_KIND, tmp_path_factory.mktemp("fuzz")) as db_url, running_server(db_url) as server:
        key = pos_server(db_url, "api-key", "create", "--name", "fuzz", "--json").json()
        _allow_many_failed_lookups(db_url)
        api_headers = {"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]}
        with HttpTill.enrol(server.url, enrol_code(db_url), "fuzz") as till:
            codes = [f"FUZZ-{secrets.token_hex(3)}" for _ in range(5)]
            with httpx.Client(base_url=server.url, headers=api_headers, timeout=30) as http:
                for i, code in enumerate(codes):
                    made = http.post(f"/v1/vouchers/{code}", json={"gift": {"amount": 1000 * (i + 1)}})
                    assert made.status_code == 200, made.text
            found = Target(server=server, api_headers=api_headers, till_headers=dict(till.headers), codes=codes)
            started = time.monotonic()
            yield found
            _report(found, time.monotonic() - started)


def _allow_many_failed_lookups(db_url: str) -> None:
    """A fuzzer looks up many codes that match no card: let it, or every lookup after the 20th is a 429 (what
    ``pos-server device lookup-limit --failures 10000 --window-minutes 1`` does, without starting one more
    process)."""
    engine = open_engine(db_url)
    try:
        write(engine, lambda conn: set_lookup_limit(conn, failures=10_000, window=timedelta(minutes=1)))
    finally:
        engine.dispose()


def _report(target: Target, seconds: float) -> None:
    """The figures of the run (shown with ``-s``): requests per operation and status, and the time taken."""
    total = sum(target.answers.values())
    print(f"\nfuzz on {DB_KIND}: {total} requests, {EXAMPLES} examples per operation and mode, {seconds:.1f} s")
    for (operation, status), n in sorted(target.answers.items()):
        print(f"  {operation:45} {status}  {n}")


def test_every_operation_answers_without_5xx_and_refuses_in_voucherifys_shape(target: Target) -> None:
    schema = schemathesis.openapi.from_url(f"{target.server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]  # an invalid document fails here
    assert len(operations) >= 10, [op.label for op in operations]
    failures: list[str] = []
    for operation in operations:
        if not re.search(ONLY, operation.label):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(target, operation, mode, failures)
            except Unsatisfiable:  # nothing of the operation can be made wrong (no parameter, no body)
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures[:20])


def _fuzz(target: Target, operation: Any, mode: GenerationMode, failures: list[str]) -> None:
    """Run ``operation``'s examples in ``mode``; each answer that fails a check is added to ``failures`` (the
    server keeps what it was sent, so an example is not asked again: every failing one is reported as found)."""

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate])
    @given(case=operation.as_strategy(mode), data=st.data())
    def run(case: Any, data: st.DataObject) -> None:
        if "code" in (case.path_parameters or {}) and data.draw(st.booleans(), label="a voucher's code"):
            case.path_parameters["code"] = data.draw(st.sampled_from(target.codes), label="code")
        headers = {**(case.headers or {}), **_headers(target, case.path)}
        response = case.call(base_url=target.server.url, headers=headers, timeout=30)
        target.answers[(f"{case.method} {case.path}", response.status_code)] += 1
        try:
            assert response.status_code < 500, _server_log_tail(target, response)
            if 400 <= response.status_code < 500:
                _assert_voucherify_error(response.status_code, response.headers, response.content)
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label} ({mode.value}): {exc}\n  sent: {case.as_curl_command(headers)}")

    run()


def _headers(target: Target, path: str) -> dict[str, str]:
    return target.api_headers if path.startswith("/v1/") else target.till_headers


def _assert_voucherify_error(status: int, headers: Any, content: bytes) -> None:
    media = headers.get("content-type", "")
    media = media[0] if isinstance(media, list) else media
    assert media.split(";")[0].strip() == "application/json", f"a refusal as {media!r}: {content[:200]!r}"
    body = json.loads(content)
    assert isinstance(body, dict) and set(body) == ERROR_FIELDS, f"not Voucherify's error shape: {body!r}"
    assert body["code"] == status and isinstance(body["key"], str) and body["key"], body
    assert isinstance(body["message"], str) and isinstance(body["details"], str), body
    assert isinstance(body["request_id"], str) and body["request_id"].startswith("req_"), body


def _server_log_tail(target: Target, response: Any) -> str:
    return f"{response.status_code} {response.text[:300]}\n--- the server's log ---\n{target.server.output()[-4000:]}"
