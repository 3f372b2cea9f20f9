"""Fuzz the REST API against its own OpenAPI schema (schemathesis), in-process over WSGI.

Run by .ci/run and `make fuzz` on PostgreSQL + Redis:

    DATABASE_URL=postgres://… REDIS_URL=redis://… \
        .venv/bin/python -m pytest .ci/api_fuzz.py -p no:cacheprovider --create-db

A small world (boards of each visibility, threads, posts, devices) and one caller per
role (anonymous, member, suspended member, board moderator, staff, each with an app
session token) are seeded once; every operation of the schema is then called with
generated input (valid and invalid) as every role. A response is a failure when it is
a 5xx, has a status the schema does not list for it, or does not match its schema.
Each role's run is one database transaction, rolled back after it. At least
MIN_CASES calls are required; the count is printed at the end.
"""

import math
import os
from datetime import timedelta

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ROLES = ("anonymous", "member", "suspended", "moderator", "staff")
# The run's size: about API_FUZZ_CASES calls spread over operations x modes x roles, at
# least MIN_EXAMPLES each, so the run stays a few minutes as the API grows.
TARGET_CASES = int(os.environ.get("API_FUZZ_CASES", "3000"))
MIN_EXAMPLES = 5
MIN_CASES = int(os.environ.get("API_FUZZ_MIN_CASES", "2000"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PASSWORD = "fuzz-the-api-2026"  # noqa: S105 (the seeded test accounts')
calls: dict[str, int] = dict.fromkeys(ROLES, 0)


def _seed_world() -> dict[str, str]:
    """Boards, threads and the five callers; returns each role's session token."""
    from allauth.account.models import EmailAddress

    from accounts import services as account_services
    from accounts.models import Device, User
    from forum import services
    from forum.models import Board, BoardModerator, Section

    phone = Device.objects.create(brand="Xiaomi", model="14 Pro", codename="shennong")
    Device.objects.create(brand="Xiaomi", model="Pad 6", codename="pipa")
    section = Section.objects.create(name="Xiaomi 14", slug="xiaomi-14")
    public = Board.objects.create(section=section, name="Firmware", slug="firmware", device=phone)
    Board.objects.create(
        section=section, name="Members", slug="members", visibility=Board.Visibility.MEMBERS
    )
    Board.objects.create(
        section=section, name="Staff room", slug="staff-room", visibility=Board.Visibility.STAFF
    )

    def person(name: str, **fields) -> User:
        user = User.objects.create_user(
            username=name, email=f"{name}@example.com", password=PASSWORD, **fields
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    member = person("fuzz_member")
    suspended = person("fuzz_suspended")
    moderator = person("fuzz_moderator")
    person("fuzz_staff", is_staff=True)
    BoardModerator.objects.create(board=public, user=moderator)
    account_services.sanction_set(
        user_id=suspended.pk,
        kind="suspension",
        until=timezone.now() + timedelta(days=30),
        reason="Fuzzing",
    )
    for n in range(3):
        thread = services.thread_create(
            board=public,
            author=member,
            title=f"Battery drain {n} 电池",
            body="Since V14.0.3 the battery drains overnight. 耗电快",
            device=phone,
            firmware_version="V14.0.3.0",
        )
        for m in range(3):
            services.post_reply(thread=thread, author=moderator, body=f"Same here {n}.{m} 同问")
    tokens = {}
    for role in ROLES[1:]:
        response = APIClient().post(
            "/_allauth/app/v1/auth/login",
            {"username": f"fuzz_{role}", "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 200, response.content
        tokens[role] = response.json()["meta"]["session_token"]
    return tokens


@pytest.fixture(scope="session")
def tokens(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return _seed_world()


@pytest.fixture(autouse=True)
def _fuzz_settings(settings):
    # The throttles are tested in tests/api; here they would only stop the run early.
    unlimited = dict.fromkeys(settings.POPCORN["API_THROTTLES"], "1000000/m")
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": unlimited}


@pytest.fixture
def api_schema(db, tokens):
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


def _operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()  # an operation the loader cannot read is a failure here


def _fuzz_operation(
    operation, mode: GenerationMode, headers: dict, examples: int
) -> tuple[int, str | None]:
    """Run generated cases of one operation; (cases run, the first failure or None)."""
    ran = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: report, don't minimise
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        nonlocal ran
        ran += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
        return ran, f"{type(exc).__name__}: {exc}"
    return ran, None


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role(role, api_schema, tokens):
    headers = {"X-Session-Token": tokens[role]} if role != "anonymous" else {}
    failures = []
    operations = list(_operations(api_schema))
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    examples = max(MIN_EXAMPLES, math.ceil(TARGET_CASES / (len(operations) * 2 * len(ROLES))))
    for operation in operations:
        for mode in modes:
            ran, failure = _fuzz_operation(operation, mode, headers, examples)
            calls[role] += ran
            if failure:
                failures.append(f"{operation.label} ({mode.value}) as {role}:\n{failure}")
    assert not failures, "\n\n".join(failures)


def test_enough_cases_ran():
    total = sum(calls.values())
    print(f"\napi fuzz: {total} calls ({', '.join(f'{r} {n}' for r, n in calls.items())})")
    assert total >= MIN_CASES, f"only {total} generated calls; want at least {MIN_CASES}"
