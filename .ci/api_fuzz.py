"""Fuzz the REST API against its own OpenAPI schema (schemathesis), in-process over WSGI.

Run by .ci/run and `make fuzz` on PostgreSQL + Redis:

    DATABASE_URL=postgres://… REDIS_URL=redis://… \
        .venv/bin/python -m pytest .ci/api_fuzz.py -p no:cacheprovider --create-db

A small world (boards of each visibility, threads, posts, likes, files, devices) and
one caller per role (anonymous, member, suspended member, board moderator, staff, each
with an app session token) are seeded once; every operation of the schema is then
called with generated input (valid and invalid) as every role, and with valid input
on real rows (path parameters pinned to them) so the calls reach past the 404s. A
response is a failure when it is a 5xx, has a status the schema does not list for it,
or does not match its schema.
Each role's run is one database transaction, rolled back after it. At least
MIN_CASES calls are required; the count is printed at the end.
"""

import io
import math
import os
from collections import Counter
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
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
MIN_EXAMPLES = 3
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
statuses: Counter = Counter()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "orange").save(out, "PNG")
    return out.getvalue()


def _seed_accounts(*, member, suspended, moderator, staff, phone) -> list[dict]:
    """Programmes (pending, joined and left, a candidate), notifications, a check-in,
    invitation codes and an invitee; the path parameters of accounts' operations and
    the staff's programme ones, three sets of them."""
    from accounts import services as account_services
    from accounts.models import NotificationKind, ProgramCandidate, User
    from moderation import services as moderation_services

    User.objects.filter(pk=member.pk).update(reputation=300)  # at the inviting level
    member.refresh_from_db()
    beta = moderation_services.program_create(
        actor=staff,
        name="Xiaomi 15 beta",
        slug="x15-beta",
        seats=3,
        status="open",
        description="HyperOS 2 before everyone.",
        devices=[phone],
    )
    pad = moderation_services.program_create(
        actor=staff, name="Pad beta", slug="pad-beta", seats=2, status="open"
    )
    pending = moderation_services.program_invite(program=beta, user=member, actor=staff)
    theirs = moderation_services.program_invite(program=beta, user=suspended, actor=staff)
    joined = moderation_services.program_invite(program=pad, user=member, actor=staff)
    account_services.program_accept(user=member, code=joined.code)
    account_services.program_leave(user=member, program=pad)
    ProgramCandidate.objects.create(program=beta, user=moderator, score=12)
    notified = [
        account_services.notification_create(
            recipient=member,
            kind=NotificationKind.REPLY,
            target_url="/t/1/",
            title_key="forum.reply",
            title_params={"title": f"Battery drain {n} 电池"},
            actor=moderator,
            excerpt="Same here. 同问",
        )
        for n in range(2)
    ]
    account_services.check_in(user=member)
    code = account_services.invitation_create(creator=member, max_uses=2)
    account_services.invitation_redeem(code=code.code, invitee=moderator)
    staff_code = account_services.invitation_create(creator=staff, max_uses=5)
    return [
        {
            "username": member.username,
            "code_id": code.pk,
            "notification_id": notified[0].pk,
            "program_id": beta.pk,
            "code": pending.code,
            "membership_id": pending.pk,
        },
        {
            "username": staff.username,
            "code_id": staff_code.pk,
            "notification_id": notified[1].pk,
            "program_id": beta.pk,
            "code": theirs.code,
            "membership_id": theirs.pk,
        },
        {
            "username": suspended.username,
            "code_id": code.pk,
            "notification_id": notified[0].pk,
            "program_id": pad.pk,
            "code": joined.code,
            "membership_id": joined.pk,
        },
    ]


def _seed_world() -> dict:
    """Boards of each kind, threads, posts, files and the five callers.

    Returns each role's session token and the targets: real path parameters (a
    public, a members-only and a staff-only board with a thread and posts in each,
    and accounts' rows from _seed_accounts).
    """
    from allauth.account.models import EmailAddress
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import services as account_services
    from accounts.models import Device, User
    from forum import services
    from forum.models import Board, BoardModerator, Section

    phone = Device.objects.create(brand="Xiaomi", model="14 Pro", codename="shennong")
    Device.objects.create(brand="Xiaomi", model="Pad 6", codename="pipa")
    section = Section.objects.create(name="Xiaomi 14", slug="xiaomi-14")
    boards = {
        "public": Board.objects.create(
            section=section, name="Firmware", slug="firmware", device=phone
        ),
        "members": Board.objects.create(
            section=section, name="Members", slug="members", visibility=Board.Visibility.MEMBERS
        ),
        "staff": Board.objects.create(
            section=section,
            name="Staff room",
            slug="staff-room",
            visibility=Board.Visibility.STAFF,
        ),
    }

    def person(name: str, **fields) -> User:
        user = User.objects.create_user(
            username=name, email=f"{name}@example.com", password=PASSWORD, **fields
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    member = person("fuzz_member")
    suspended = person("fuzz_suspended")
    moderator = person("fuzz_moderator")
    staff = person("fuzz_staff", is_staff=True)
    BoardModerator.objects.create(board=boards["public"], user=moderator)
    account_services.sanction_set(
        user_id=suspended.pk,
        kind="suspension",
        until=timezone.now() + timedelta(days=30),
        reason="Fuzzing",
    )
    targets = []
    for kind, board in boards.items():
        starter = staff if kind == "staff" else member
        replier = staff if kind == "staff" else moderator
        thread = None
        for n in range(3):
            thread = services.thread_create(
                board=board,
                author=starter,
                title=f"Battery drain {n} 电池",
                body="Since V14.0.3 the battery drains overnight. 耗电快",
                device=phone,
                firmware_version="V14.0.3.0",
            )
            for m in range(2):
                services.post_reply(thread=thread, author=replier, body=f"Same {n}.{m} 同问")
        # The target thread carries a public poll, so the poll operations reach a row.
        services.poll_create(
            thread=thread,
            actor=starter,
            spec=services.poll_clean(
                question="Which one? 哪个", options=["A", "B", "C"], max_choices=2, is_public=True
            ),
        )
        files = [
            SimpleUploadedFile("screen.png", _png(), content_type="image/png"),
            SimpleUploadedFile("radio.log", b"modem crashed\n", content_type="text/plain"),
        ]
        with_files = services.post_reply(
            thread=thread,
            author=member if kind != "staff" else staff,
            body="Log",
            attachments=files,
        )
        if kind != "staff":  # a draft of each kind, so GET/DELETE find a row too
            services.draft_save(user=member, thread=thread, body="Half a reply 一半")
            services.draft_save(user=member, board=board, title="Half 一半", body="Half")
        liked = thread.posts.get(floor=2)
        if liked.author_id != starter.pk:
            services.post_like(post=liked, user=starter)
        attachment = with_files.attachments.order_by("pk").last()
        for post_id in (liked.pk, with_files.pk):
            targets.append(
                {
                    "board_slug": board.slug,
                    "thread_id": thread.pk,
                    "post_id": post_id,
                    "attachment_id": attachment.pk,
                }
            )
    accounts = _seed_accounts(
        member=member, suspended=suspended, moderator=moderator, staff=staff, phone=phone
    )
    # Each target names every path parameter: the forum's and accounts' sets, combined.
    targets = [{**target, **more} for target in targets for more in accounts]
    # Moderation's and staff's rows: a report, a held post, a warning, figures, an export.
    from tests.api.moderation.fuzz_seed import merged_targets, seed_moderation

    mine = seed_moderation(member=member, staff=staff, board=boards["public"])
    targets = merged_targets(targets, mine)
    tokens = {}
    for role in ROLES[1:]:
        response = APIClient().post(
            "/_allauth/app/v1/auth/login",
            {"username": f"fuzz_{role}", "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 200, response.content
        tokens[role] = response.json()["meta"]["session_token"]
    return {"tokens": tokens, "targets": targets}


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """A test database of its own: the seeded world is committed, and must not be left
    in the suite's database that `--reuse-db` keeps between runs."""
    from django.conf import settings as django_settings

    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":  # SQLite's is in memory
        database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_fuzz"


@pytest.fixture(scope="session")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return _seed_world()


@pytest.fixture(autouse=True)
def _fuzz_settings(settings):
    # The throttles are tested in tests/api; here they would only stop the run early.
    unlimited = dict.fromkeys(settings.POPCORN["API_THROTTLES"], "1000000/m")
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": unlimited}


@pytest.fixture
def api_schema(db, world):
    # As Django's test client does: a request must not close the test's connection
    # (the role's run is one transaction, rolled back at the end).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()  # an operation the loader cannot read is a failure here


def _fuzz_operation(
    operation, mode: GenerationMode, headers: dict, examples: int, path: dict | None = None
) -> tuple[int, str | None]:
    """Run generated cases of one operation; (cases run, the first failure or None).

    `path` pins the path parameters to real rows, so the cases reach past the 404s.
    """
    ran = 0

    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
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
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        statuses[response.status_code] += 1

    try:
        run()
    except Unsatisfiable:
        # Nothing in the operation can be made invalid (negative mode): no case to run.
        return ran, None
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
        return ran, f"{type(exc).__name__}: {exc}"
    return ran, None


def _runs(operation, targets: list[dict]):
    """(mode, pinned path parameters) to run: free positive and negative cases, and
    positive ones on each real target when the address has path parameters."""
    yield GenerationMode.POSITIVE, None
    yield GenerationMode.NEGATIVE, None
    names = [parameter.name for parameter in operation.path_parameters]
    if names:
        seen = set()
        for target in targets:
            # A parameter the seeded world names no row for (a newer resource) gets 1:
            # free generation still covers it; here it is mostly a 404, never a 500.
            pinned = {name: target.get(name, 1) for name in names}
            key = tuple(sorted(pinned.items()))
            if key not in seen:
                seen.add(key)
                yield GenerationMode.POSITIVE, pinned


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_every_role(role, api_schema, world):
    tokens, targets = world["tokens"], world["targets"]
    headers = {"X-Session-Token": tokens[role]} if role != "anonymous" else {}
    failures = []
    plan = [
        (operation, mode, path)
        for operation in _operations(api_schema)
        for mode, path in _runs(operation, targets)
    ]
    examples = max(MIN_EXAMPLES, math.ceil(TARGET_CASES / (len(plan) * len(ROLES))))
    for operation, mode, path in plan:
        ran, failure = _fuzz_operation(operation, mode, headers, examples, path)
        calls[role] += ran
        if failure:
            where = f" at {path}" if path else ""
            failures.append(f"{operation.label} ({mode.value}{where}) as {role}:\n{failure}")
    assert not failures, "\n\n".join(failures)


def test_enough_cases_ran():
    total = sum(calls.values())
    print(f"\napi fuzz: {total} calls ({', '.join(f'{r} {n}' for r, n in calls.items())})")
    print(
        "api fuzz: responses by status: "
        + ", ".join(f"{c}: {n}" for c, n in sorted(statuses.items()))
    )
    assert total >= MIN_CASES, f"only {total} generated calls; want at least {MIN_CASES}"
