"""Fuzzing the API from its own OpenAPI document (schemathesis, in-process over WSGI).

Every operation of ``/api/v1/openapi.json`` gets generated requests, valid and invalid
(schemathesis' positive and negative modes), and each answer must: not be a 5xx, have a
status the operation documents, and have a body, content type and headers that conform to
the document; and every other check of schemathesis but two (``EXCLUDED_CHECKS``) holds.
Public operations are called anonymously; the others anonymously (they must
answer the documented 401) and with the API token of an officer, a candidate and an
employer contact. Operations whose path names a resource are also fuzzed with the ids of
real rows (Bob's Bakery, one of its job offers, a token), so that bodies reach the
services and not only the 404 of an unknown id.

Examples are bounded per operation (``NOMINEE_FUZZ_EXAMPLES``, default 10) and derandomized,
so a run is repeatable and the file stays well under a minute per database; set
``NOMINEE_FUZZ_EXAMPLES=500 NOMINEE_FUZZ_RANDOM=1`` for a deeper, new search. Each test runs
inside one database transaction (the ``db`` fixture): what requests write is rolled back.

Schemathesis' own pytest integration (``schema.parametrize()`` / ``from_fixture``) is not
used: its lazy loader relies on a private pytest attribute that pytest 9.2 removed, and
loading at import would call the app during collection. Each operation gets its own
Hypothesis run here instead, and every failing operation is reported with the ``curl``
that reproduces it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from nominee.accounts.models import ApiToken, User
from nominee.api.auth import new_token
from nominee.employers.models import Employer, JobOffer
from nominee.wsgi import application
from tests.dates import IN_2025
from tests.factories import submit_offer

# A test of the 2025 program: it registers on a day the five streams were open.
pytestmark = IN_2025

OPENAPI = "/api/v1/openapi.json"
# Every check schemathesis has (``call_and_validate``'s default) but two that do not fit a
# run whose caller is known (Decision 76f): ``ignored_auth`` sends schemathesis' made-up
# credentials, which this harness replaces with the caller's real token (so "accepted"), and
# ``positive_data_acceptance`` calls any 4xx to a schema-valid body a failure, where the
# program's rules refuse schema-valid requests by design (409 a second EOI, 422 a rule).
EXCLUDED_CHECKS = [ignored_auth, positive_data_acceptance]
EXAMPLES = int(os.environ.get("NOMINEE_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("NOMINEE_FUZZ_RANDOM", "") != "1",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PATH_PARAMETER = re.compile(r"{(\w+)}")


def _public_operation_ids() -> set[str]:
    document = Client().get(OPENAPI).json()
    return {
        operation["operationId"]
        for operations in document["paths"].values()
        for operation in operations.values()
        if not operation.get("security")
    }


def _token(user: User) -> tuple[str, ApiToken]:
    token, prefix, digest = new_token()
    row = ApiToken.objects.create(user=user, name="fuzz", prefix=prefix, digest=digest)
    return token, row


def _describe(error: BaseException) -> str:
    """The failure's text, with the messages of a group's members."""
    text = str(error)
    if isinstance(error, BaseExceptionGroup):
        text += "".join(f"\n  - {type(e).__name__}: {e}" for e in error.exceptions)
    return text


def _fuzz(
    schema: Any,
    *,
    authorization: dict[str, str],
    known: dict[str, Any],
    examples: int = EXAMPLES,
) -> list[str]:
    """Run every operation of the schema; answer one report per failing operation."""
    failures: list[str] = []
    operations = 0
    cases: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategies = [
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        ]
        names = PATH_PARAMETER.findall(operation.path)
        if names and all(name in known for name in names):
            fixed = {name: known[name] for name in names}
            strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed))
            strategies.append(operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed))

        @settings(FUZZ, max_examples=examples)
        @given(case=st.one_of(strategies))
        def run(case: Any) -> None:
            # Schemathesis fills the security schemes with made-up values: the caller's own
            # token replaces them (and an anonymous caller sends none).
            headers = {
                k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"
            }
            case.headers = {**headers, **authorization}
            case.cookies = {}
            cases.append(1)
            case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as error:
            # Every failing operation is reported, not only the first. Schemathesis raises a
            # FailureGroup (a BaseExceptionGroup) whose text has the reproducing curl.
            failures.append(f"{operation.label}:\n{_describe(error)}")
    assert operations, "the schema has no operation to fuzz"
    if report := os.environ.get("NOMINEE_FUZZ_REPORT"):  # bench/bench_fuzz.py reads it
        with open(report, "a", encoding="utf-8") as out:
            row = {"operations": operations, "cases": len(cases), "failures": len(failures)}
            out.write(json.dumps(row) + "\n")
    return failures


@contextmanager
def _same_transaction() -> Iterator[None]:
    """Requests go straight to the WSGI app, which closes the database connection when a
    request starts and ends (CONN_MAX_AGE=0): on PostgreSQL that ends the test's transaction.
    Django's test client unhooks the same receiver around each of its requests (and hooks
    it again after), so this is done around the fuzzing itself."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def public_operations(db: None) -> set[str]:
    """The operation ids anyone may call (no security requirement in the document)."""
    ids = _public_operation_ids()
    assert ids, "no public operation found in the OpenAPI document"
    return ids


@pytest.fixture
def known(bob: User) -> dict[str, Any]:
    """Ids of real rows for path parameters: Bob's Bakery, its location, an offer, a token."""
    employer = Employer.objects.get(contacts__user=bob)
    offer: JobOffer = submit_offer(bob, employer)
    _token_value, token = _token(bob)
    return {
        "employer_id": employer.pk,
        "location_id": offer.location_id,
        "public_id": offer.public_id,
        "token_id": token.pk,
    }


def test_public_operations_answer_documented_responses_anonymously(
    public_operations: set[str], known: dict[str, Any]
) -> None:
    with _same_transaction():
        schema = schemathesis.openapi.from_wsgi(OPENAPI, application)
        failures = _fuzz(
            schema.include(operation_id=sorted(public_operations)), authorization={}, known=known
        )
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("caller", ["anonymous", "olivia", "alice", "bob"])
def test_authenticated_operations_answer_documented_responses(
    caller: str,
    public_operations: set[str],
    known: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    """``olivia`` is an officer, ``alice`` a candidate, ``bob`` Bob's Bakery's signing officer."""
    authorization: dict[str, str] = {}
    if caller != "anonymous":
        token, _row = _token(request.getfixturevalue(caller))
        authorization = {"Authorization": f"Bearer {token}"}
    with _same_transaction():
        schema = schemathesis.openapi.from_wsgi(OPENAPI, application)
        failures = _fuzz(
            schema.exclude(operation_id=sorted(public_operations)),
            authorization=authorization,
            known=known,
            # Without a token every request stops at authentication: a few examples show it.
            examples=EXAMPLES if authorization else max(1, EXAMPLES // 5),
        )
    assert not failures, "\n\n".join(failures)
