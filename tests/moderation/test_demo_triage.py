"""The demo shows triage in use: bugs with "me too", a duplicate, a release fixing a bug,
feedback voted on with its status."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from accounts.models import Notification
from forum.models import BugStatus, FeedbackStatus, Thread, ThreadType, ThreadVote
from moderation.models import AuditLog

pytestmark = pytest.mark.django_db


def test_the_demo_has_bugs_with_votes_a_duplicate_and_a_release_fixing_bugs():
    call_command("load_demo", "--users=12", "--threads=24", stdout=StringIO())
    assert ThreadVote.objects.filter(thread__thread_type=ThreadType.BUG).count() >= 3
    duplicate = Thread.objects.get(duplicate_of__isnull=False)
    original = duplicate.duplicate_of
    assert duplicate.is_locked and duplicate.vote_count == 0
    assert AuditLog.objects.filter(action=AuditLog.Action.THREAD_DUPLICATE).count() == 1
    release = Thread.objects.get(thread_type=ThreadType.RELEASE, fixed_bugs=original)
    assert original.bug_status == BugStatus.FIXED and original.fixed_in_release == release
    assert Notification.objects.filter(title_key="forum.bug_fixed").count() == original.vote_count
    # Counters match the rows.
    counted = Thread.objects.annotate(n=Count("votes")).exclude(vote_count=0)
    assert counted.exists() and all(t.n == t.vote_count for t in counted)
    statuses = set(
        Thread.objects.filter(thread_type=ThreadType.FEEDBACK)
        .exclude(feedback_status="")
        .values_list("feedback_status", flat=True)
    )
    assert {FeedbackStatus.ADOPTED, FeedbackStatus.DECLINED} <= statuses
