"""Reports and approvals racing each other, on PostgreSQL, each on its own connection."""

import pytest
from django.core.exceptions import ValidationError

from forum.models import Post, Thread
from moderation import services
from moderation.models import Report, ReportCase
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread
from tests.utils import postgresql_only, run_at_once


def _post(post_id):
    return Post.objects.select_related("thread__board").get(pk=post_id)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_reports_at_once_make_one_case_and_one_row_per_reporter():
    post = make_reply(thread=make_thread(board=BoardFactory()))
    reporters = [UserFactory() for _ in range(6)]
    # Each reporter twice: a double click must not file a second report.
    attempts = reporters + reporters

    def work(reporter, wait):
        wait()
        return services.report_create(post=_post(post.pk), reporter=reporter, reason="spam")

    results, errors = run_at_once(attempts, work)
    assert len(results) == 6
    assert len(errors) == 6 and all(isinstance(e, ValidationError) for e in errors)
    case = ReportCase.objects.get()
    assert (case.open_count, case.report_count) == (6, 6) == (Report.objects.count(), 6)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_moderators_approving_at_once_publish_once(settings):
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}
    thread = make_thread(board=BoardFactory(), author=StaffFactory())
    held = make_reply(thread=thread, author=UserFactory())
    moderators = [StaffFactory(), StaffFactory()]

    def work(moderator, wait):
        wait()
        return services.pending_approve(post=_post(held.pk), actor=moderator)

    results, errors = run_at_once(moderators, work)
    assert len(results) == 1 and len(errors) == 1
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.reply_count, thread.last_floor, thread.pending_count) == (1, 2, 0)
