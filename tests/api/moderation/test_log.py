"""The moderation log over the API: each reader's rows, the page's filters, rows worded
in the reader's language, cursor pages at a fixed query count."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from moderation import services
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.api.moderation.conftest import as_role
from tests.factories import UserFactory, bulk_threads, make_thread

pytestmark = pytest.mark.django_db

LOG = "/api/v1/moderation/log/"


def _shown(response) -> set[tuple[str, str]]:
    assert response.status_code == 200, response.content
    return {(row["action"], row["target_label"]) for row in response.json()["results"]}


@pytest.fixture
def acted(world):
    """One lock in A (by mod_a), one in B (by mod_b)."""
    thread_b = make_thread(board=world.board_b, author=world.member, title="Redmi thread")
    services.thread_lock(thread=world.thread, actor=world.mod_a, reason="Heated", ip="10.0.0.1")
    services.thread_lock(thread=thread_b, actor=world.mod_b)
    return thread_b


def test_staff_read_every_row(world, acted):
    shown = _shown(token_client(world.staff).get(LOG))
    assert ("thread_lock", world.thread.title) in shown and ("thread_lock", acted.title) in shown
    assert ("moderator_add", "section_mod") in shown


def test_a_board_moderator_reads_only_their_boards_rows(world, acted):
    shown = _shown(token_client(world.mod_a).get(LOG))
    assert ("thread_lock", world.thread.title) in shown
    assert ("thread_lock", acted.title) not in shown
    assert ("moderator_add", "section_mod") not in shown
    # Not even by asking for the other board: it is not one of the log's boards for them.
    refused = token_client(world.mod_a).get(LOG, {"board": world.board_b.slug})
    assert refused.status_code == 400 and "board" in refused.json()["errors"]


def test_a_global_moderator_reads_every_boards_rows(world, acted):
    shown = _shown(token_client(world.global_mod).get(LOG))
    assert ("thread_lock", acted.title) in shown and ("moderator_add", "section_mod") not in shown


@pytest.mark.parametrize("role", ["anonymous", "member", "suspended"])
def test_the_log_is_for_moderators(world, role):
    response = as_role(world, role).get(LOG)
    assert response.status_code == (401 if role == "anonymous" else 403)
    if role != "anonymous":
        assert response.json()["detail"] == "The moderation log is for moderators."


def test_the_log_filters_by_moderator_action_board_and_date(world, acted):
    old = AuditLog.objects.create(
        actor=world.mod_a,
        actor_name="mod_a",
        action="thread_feature",
        target_type="thread",
        target_id=world.thread.pk,
        target_label="Last month",
        board=world.board_a,
        created_at=timezone.now() - timedelta(days=30),
    )
    api = token_client(world.staff)
    assert _shown(api.get(LOG, {"actor": "mod_b"})) == {("thread_lock", acted.title)}
    assert _shown(api.get(LOG, {"action": "thread_feature"})) == {("thread_feature", "Last month")}
    by_board = _shown(api.get(LOG, {"board": world.board_b.slug}))
    assert ("thread_lock", acted.title) in by_board
    assert ("thread_lock", world.thread.title) not in by_board
    day = timezone.localdate(old.created_at).isoformat()
    assert _shown(api.get(LOG, {"date_from": day, "date_to": day})) == {
        ("thread_feature", "Last month")
    }
    recent = _shown(api.get(LOG, {"date_from": timezone.localdate().isoformat()}))
    assert ("thread_feature", "Last month") not in recent and recent


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"action": "thread_eaten"}, "action"),
        ({"board": "no-such-board"}, "board"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
    ],
)
def test_bad_filters_are_a_400(world, params, field):
    response = token_client(world.staff).get(LOG, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_row_says_who_what_where_why_and_what_changed(world, acted):
    rows = token_client(world.staff).get(LOG, {"actor": "mod_a", "action": "thread_lock"})
    (row,) = rows.json()["results"]
    assert row["actor_name"] == "mod_a" and row["actor_id"] == world.mod_a.pk
    assert row["action_label"] == "Locked a thread"
    assert (row["target_type"], row["target_id"]) == ("thread", world.thread.pk)
    assert row["board"] == {
        "id": world.board_a.pk,
        "slug": world.board_a.slug,
        "name": world.board_a.name,
    }
    assert (row["reason"], row["ip"], row["subject_id"]) == ("Heated", "10.0.0.1", world.author.pk)
    assert row["changes"] == ["locked: no → yes"]
    assert (row["before"], row["after"]) == ({"is_locked": False}, {"is_locked": True})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d", row["created_at"])


def _in_chinese(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_rows_are_worded_in_the_readers_language(world, acted):
    services.export_start(actor=world.staff, submitted={}, include_emails=False, total_rows=7)
    english = token_client(world.staff).get(LOG, {"action": "users_export"}).json()["results"]
    assert english[0]["target_label"] == "Members CSV, 7 rows"
    locked = _in_chinese(AuditLog.Action.THREAD_LOCK.label)
    assert re.search(r"[\u4e00-\u9fff]", locked)

    # A member's language setting (the token's member)...
    chinese_staff = UserFactory(username="laoban", is_staff=True, language="zh-hans")
    api = token_client(chinese_staff)
    rows = api.get(LOG, {"actor": "mod_a", "action": "thread_lock"}).json()["results"]
    assert rows[0]["action_label"] == locked
    assert rows[0]["changes"] == [_in_chinese(AuditLog.objects.get(pk=rows[0]["id"]).changes[0])]
    assert rows[0]["changes"][0] != "locked: no → yes"
    export = api.get(LOG, {"action": "users_export"}).json()["results"][0]
    assert re.search(r"[\u4e00-\u9fff]", export["target_label"]) and "7" in export["target_label"]
    translation.deactivate()

    # ...or, without one, Accept-Language.
    rows = (
        token_client(world.staff)
        .get(LOG, {"action": "thread_lock", "actor": "mod_a"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        .json()["results"]
    )
    assert rows[0]["action_label"] == locked


# signed in (3) + reach (1) + the page of rows with their boards (1); staff: no reach
LOG_QUERIES = {"mod_a": 5, "staff": 4}


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize("role", ["mod_a", "staff"])
def test_the_log_costs_the_same_for_2_or_10_rows(world, django_assert_num_queries, role, count):
    for thread in bulk_threads(world.board_a, count, author=world.member):
        services.thread_lock(thread=thread, actor=world.staff)
    api = token_client(getattr(world, role))
    with django_assert_num_queries(LOG_QUERIES[role]):
        page = api.get(LOG, {"action": "thread_lock", "page_size": 3}).json()
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        with django_assert_num_queries(LOG_QUERIES[role]):
            page = api.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == count
