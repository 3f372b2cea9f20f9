"""The queues and a member's history cost a fixed number of queries, whatever they list.

Rows are bulk-made; the pages only read them.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.models import Post
from moderation.models import AuditLog, Report, ReportCase
from tests.factories import UserFactory, bulk_replies

pytestmark = pytest.mark.django_db


def _posts(world, count: int, **fields) -> list[Post]:
    return bulk_replies(world.thread, count, authors=[world.author], **fields)


def _reported(world, count: int) -> None:
    reporters = [UserFactory(), UserFactory()]
    now = timezone.now()
    posts = _posts(world, count)
    cases = ReportCase.objects.bulk_create(
        ReportCase(post=post, open_count=2, report_count=2, first_reported_at=now) for post in posts
    )
    Report.objects.bulk_create(
        Report(case=case, post_id=case.post_id, reporter=r, reporter_name=r.username, reason="spam")
        for case in cases
        for r in reporters
    )


# session + user (2) + reach (1) + COUNT (1) + page of cases with post, thread,
# board and author (1) + their open reports (1) + posts awaiting approval for the nav (1)
REPORT_QUEUE_BOARD_MODERATOR = 7
REPORT_QUEUE_STAFF = 6  # no reach query: the flag is on the user row


@pytest.mark.parametrize("count", [5, 50])
def test_report_queue_does_not_grow_with_cases(client, world, django_assert_num_queries, count):
    _reported(world, count)
    client.force_login(world.mod_a)
    with django_assert_num_queries(REPORT_QUEUE_BOARD_MODERATOR):
        response = client.get(reverse("moderation:reports"))
    assert len(response.context["page"].object_list) == min(count, 30)
    assert response.context["counts"].reports == count
    client.force_login(world.staff)
    with django_assert_num_queries(REPORT_QUEUE_STAFF):
        client.get(reverse("moderation:reports") + "?page=2")


# session + user (2) + reach (1) + COUNT (1) + page of posts with thread, board and
# author (1) + open report cases for the nav (1)
APPROVAL_QUEUE_BOARD_MODERATOR = 6


@pytest.mark.parametrize("count", [5, 50])
def test_approval_queue_does_not_grow_with_posts(client, world, django_assert_num_queries, count):
    _posts(world, count, is_pending=True, pending_reason="new member")
    client.force_login(world.mod_a)
    with django_assert_num_queries(APPROVAL_QUEUE_BOARD_MODERATOR):
        response = client.get(reverse("moderation:approvals"))
    assert len(response.context["page"].object_list) == min(count, 30)
    assert response.context["counts"].approvals == count


# session + user (2) + reach (1) + the member (1) + reports against them (1)
# + actions on their content (1) + actions on their account (1) + their filed
# reports' outcomes (1) + the report rate limit (1)
# The member page: sanctions state and forms, warnings, and the whole history.
MEMBER_HISTORY = 10


@pytest.mark.parametrize("count", [5, 50])
def test_member_history_does_not_grow_with_rows(client, world, django_assert_num_queries, count):
    _reported(world, count)
    AuditLog.objects.bulk_create(
        AuditLog(
            actor=world.mod_a,
            actor_name="mod_a",
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_label="x",
            board=world.board_a if target_type == "post" else None,
            subject=world.author,
        )
        for i in range(count)
        for action, target_type, target_id in (
            ("post_hide", "post", world.reply.pk),
            ("user_suspend", "user", world.author.pk),
        )
    )
    client.force_login(world.mod_a)
    with django_assert_num_queries(MEMBER_HISTORY):
        response = client.get(reverse("moderation:member", kwargs={"username": "author"}))
    history = response.context["history"]
    assert len(history.reports_against) == min(2 * count, 50)
    assert len(history.actions) == min(count, 50) and len(history.sanctions) == min(count, 50)


# session + user (2) + reach (1) + open cases (1) + awaiting approval (1)
BADGE = 5


def test_header_badge_counts_my_queues(client, world, django_assert_num_queries):
    _reported(world, 3)
    _posts(world, 2, is_pending=True)
    client.force_login(world.mod_a)
    with django_assert_num_queries(BADGE):
        response = client.get(reverse("moderation:queue_badge"))
    assert response.context["counts"].total == 5
    assert ">5<" in response.content.decode()
    client.force_login(world.mod_b)
    assert client.get(reverse("moderation:queue_badge")).context["counts"].total == 0
