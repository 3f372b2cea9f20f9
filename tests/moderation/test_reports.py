"""Reporting posts and resolving reports, over HTTP and through the services."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, NotificationKind, ReputationEntry, User
from forum.models import Board, Post, Thread
from moderation import selectors, services
from moderation.models import AuditLog, Report, ReportCase, ReportStatus
from tests.factories import UserFactory, make_reply, make_thread
from tests.moderation.world import snapshot

pytestmark = pytest.mark.django_db


def report_url(post) -> str:
    return reverse("reports:report", kwargs={"post_id": post.pk})


def resolve_url(case) -> str:
    return reverse("moderation:report_resolve", kwargs={"case_id": case.pk})


def _report(post, reporter=None, reason="spam", text=""):
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    return services.report_create(
        post=post, reporter=reporter or UserFactory(), reason=reason, text=text
    )


def _moderation_notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.MODERATION))


def test_a_member_reports_a_post_once(client, world):
    client.force_login(world.member)
    response = client.post(report_url(world.reply), {"reason": "abuse", "text": "Rude"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.text) == (world.member, "abuse", "Rude")
    again = client.post(report_url(world.reply), {"reason": "spam"})
    assert again.status_code == 400
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1
    case = ReportCase.objects.get()
    assert (case.open_count, case.report_count, case.is_open) == (1, 1, True)


def test_the_report_form_is_on_other_members_posts_only(client, world):
    client.force_login(world.member)
    html = client.get(world.thread.get_absolute_url()).content.decode()
    assert report_url(world.reply) in html  # by author
    own = Post.objects.get(thread=world.thread, floor=3)  # by member
    assert report_url(own) not in html
    client.logout()
    anonymous = client.get(world.thread.get_absolute_url()).content.decode()
    assert report_url(world.reply) not in anonymous


def test_reports_of_one_post_are_grouped_in_one_case(world):
    first = _report(world.reply)
    _report(world.reply, reason="abuse")
    _report(world.reply, reason="other", text="Leaks an IMEI")
    _report(world.thread.posts.get(floor=3))
    case = ReportCase.objects.get(post=world.reply)
    assert (case.open_count, case.report_count) == (3, 3)
    assert case.first_reported_at == first.created_at
    assert case.last_reported_at >= case.first_reported_at
    assert ReportCase.objects.count() == 2


def _said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_what_cannot_be_reported(client, world):
    client.force_login(world.author)
    before = snapshot()
    refused = client.post(report_url(world.reply), {"reason": "spam"})
    assert refused.status_code == 302  # back to the post, saying why
    assert _said(refused) == ["You cannot report your own post."]
    client.force_login(world.member)
    response = client.post(report_url(world.reply), {"reason": "other", "text": "  "})
    assert response.status_code == 400
    assert client.post(report_url(world.reply), {"reason": "nonsense"}).status_code == 400
    assert not Report.objects.exists() and snapshot() == before
    client.logout()
    response = client.post(report_url(world.reply), {"reason": "spam"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Report.objects.exists()


def _queue_posts(client, user) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("moderation:reports"))
    assert response.status_code == 200
    return [case.post_id for case in response.context["page"].object_list]


def test_the_queue_shows_only_my_boards_oldest_first(client, world):
    in_b = make_thread(board=world.board_b, author=world.member).posts.get()
    _report(world.reply)
    _report(in_b)
    _report(world.thread.posts.get(floor=3))
    a_posts = [world.reply.pk, world.thread.posts.get(floor=3).pk]
    assert _queue_posts(client, world.mod_a) == a_posts
    assert _queue_posts(client, world.section_mod) == a_posts
    assert _queue_posts(client, world.mod_b) == [in_b.pk]
    assert _queue_posts(client, world.global_mod) == [a_posts[0], in_b.pk, a_posts[1]]
    assert _queue_posts(client, world.staff) == [a_posts[0], in_b.pk, a_posts[1]]
    client.force_login(world.mod_a)
    response = client.get(reverse("moderation:reports"))
    assert response.context["counts"].reports == 2
    badge = client.get(reverse("moderation:queue_badge"))
    assert badge.context["counts"].reports == 2


def test_upholding_hides_the_post_rewards_reporters_and_costs_the_author_once(client, world):
    reporters = [UserFactory(), UserFactory()]
    for reporter in reporters:
        _report(world.reply, reporter=reporter)
    case = ReportCase.objects.get()
    board_posts = Board.objects.get(pk=world.board_a.pk).post_count
    replies = Thread.objects.get(pk=world.thread.pk).reply_count
    author_posts = User.objects.get(pk=world.author.pk).post_count
    author_points = User.objects.get(pk=world.author.pk).reputation

    client.force_login(world.mod_a)
    response = client.post(resolve_url(case), {"outcome": "hide", "reason": "Spam link"})
    assert response.status_code == 302

    world.reply.refresh_from_db()
    assert world.reply.is_hidden and world.reply.hidden_reason == "Spam link"
    assert Board.objects.get(pk=world.board_a.pk).post_count == board_posts - 1
    assert Thread.objects.get(pk=world.thread.pk).reply_count == replies - 1
    assert User.objects.get(pk=world.author.pk).post_count == author_posts - 1
    case.refresh_from_db()
    assert (case.is_open, case.resolution, case.open_count) == (False, "upheld", 0)
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    for reporter in reporters:
        assert User.objects.get(pk=reporter.pk).reputation == 2
        [notice] = _moderation_notices(reporter)
        assert "upheld" in notice.text and notice.excerpt == "Spam link"
    assert User.objects.get(pk=world.author.pk).reputation == author_points - 10
    assert AuditLog.objects.filter(action="post_hide", target_id=world.reply.pk).count() == 1
    assert AuditLog.objects.filter(action="report_uphold", subject=world.author).count() == 1

    # Resolved already: a second click changes nothing.
    client.post(resolve_url(case), {"outcome": "hide", "reason": "Again"})
    # Restored, reported again and upheld again: the author pays for this post only once.
    services.post_restore(post=world.reply, actor=world.staff)
    newcomer = UserFactory()
    _report(world.reply, reporter=newcomer)
    client.post(resolve_url(case), {"outcome": "hide", "reason": "Still spam"})
    assert User.objects.get(pk=world.author.pk).reputation == author_points - 10
    assert User.objects.get(pk=newcomer.pk).reputation == 2
    assert ReputationEntry.objects.filter(user=world.author, reason="content_removed").count() == 1


def test_upholding_can_suspend_the_author(client, world):
    _report(world.reply)
    client.force_login(world.global_mod)
    client.post(
        resolve_url(ReportCase.objects.get()),
        {"outcome": "hide", "reason": "Spam again", "suspend_days": "3"},
    )
    author = User.objects.get(pk=world.author.pk)
    assert author.is_suspended and author.suspension_reason == "Spam again"
    expected = timezone.now() + timedelta(days=3)
    assert abs((author.suspended_until - expected).total_seconds()) < 60
    row = AuditLog.objects.get(action="user_suspend")
    assert (row.target_id, row.board_id, row.subject_id) == (
        author.pk,
        world.board_a.pk,
        author.pk,
    )


def test_a_failed_suspension_undoes_the_whole_resolution(client, world):
    post = make_reply(thread=world.thread, author=world.staff, body="From staff")
    _report(post)
    client.force_login(world.global_mod)
    before = snapshot()
    client.post(
        resolve_url(ReportCase.objects.get()),
        {"outcome": "hide", "reason": "x", "suspend_days": "3"},
    )
    assert snapshot() == before
    assert ReportCase.objects.get().is_open


def test_upholding_an_opening_post_hides_the_thread(client, world):
    _report(world.other.posts.get(floor=1))
    client.force_login(world.staff)
    client.post(resolve_url(ReportCase.objects.get()), {"outcome": "hide", "reason": "Spam"})
    assert Thread.objects.get(pk=world.other.pk).is_hidden


def test_hiding_needs_a_reason(client, world):
    _report(world.reply)
    client.force_login(world.mod_a)
    before = snapshot()
    client.post(resolve_url(ReportCase.objects.get()), {"outcome": "hide", "reason": ""})
    assert snapshot() == before and ReportCase.objects.get().is_open


def test_dismissing_leaves_the_post_and_tells_the_reporters(client, world):
    reporter = UserFactory()
    _report(world.reply, reporter=reporter)
    author_points = User.objects.get(pk=world.author.pk).reputation
    case = ReportCase.objects.get()
    client.force_login(world.mod_a)
    client.post(resolve_url(case), {"outcome": "dismiss", "reason": "Not spam"})
    world.reply.refresh_from_db()
    assert not world.reply.is_hidden
    case.refresh_from_db()
    assert (case.is_open, case.resolution) == (False, "dismissed")
    assert Report.objects.get().status == ReportStatus.DISMISSED
    [notice] = _moderation_notices(reporter)
    assert "stays" in notice.text
    assert User.objects.get(pk=reporter.pk).reputation == 0
    assert User.objects.get(pk=world.author.pk).reputation == author_points
    assert AuditLog.objects.filter(action="report_dismiss").count() == 1
    # A new report opens the case again, counting only the new round.
    _report(world.reply)
    case.refresh_from_db()
    assert (case.is_open, case.open_count, case.report_count) == (True, 1, 2)
    assert case.resolution == ""


def test_a_reporter_with_many_dismissed_reports_is_refused_for_a_while(client, world, settings):
    settings.POPCORN = {**settings.POPCORN, "REPORTS_DISMISSED_LIMIT": 3}
    reporter = UserFactory()
    for _ in range(3):
        post = make_reply(thread=world.thread, author=world.author, body="fine post")
        _report(post, reporter=reporter)
        services.report_case_dismiss(case=ReportCase.objects.get(post=post), actor=world.mod_a)
    target = make_reply(thread=world.thread, author=world.author, body="another")
    client.force_login(reporter)
    response = client.post(report_url(target), {"reason": "spam"})
    assert response.status_code == 400
    assert "cannot report again until" in response.content.decode()
    assert not Report.objects.filter(post=target).exists()
    # The oldest dismissal leaves the 30-day window: reporting works again.
    oldest = Report.objects.filter(reporter=reporter).order_by("resolved_at").first()
    Report.objects.filter(pk=oldest.pk).update(resolved_at=timezone.now() - timedelta(days=31))
    assert client.post(report_url(target), {"reason": "spam"}).status_code == 302
    assert Report.objects.filter(post=target, reporter=reporter).exists()


def test_upheld_reports_do_not_count_towards_the_limit(world, settings):
    settings.POPCORN = {**settings.POPCORN, "REPORTS_DISMISSED_LIMIT": 1}
    reporter = UserFactory()
    post = make_reply(thread=world.thread, author=world.author, body="spam")
    _report(post, reporter=reporter)
    services.report_case_uphold(
        case=ReportCase.objects.get(post=post), actor=world.mod_a, reason="Spam"
    )
    assert selectors.report_refused_until(reporter) is None


def test_a_suspended_member_cannot_report(client, world):
    User.objects.filter(pk=world.member.pk).update(
        suspended_until=timezone.now() + timedelta(days=1), suspension_reason="Spam"
    )
    client.force_login(world.member)
    before = snapshot()
    refused = client.post(report_url(world.reply), {"reason": "spam"})
    assert refused.status_code == 302 and "Your account is suspended" in _said(refused)[0]
    toast = client.post(report_url(world.reply), {"reason": "spam"}, headers={"HX-Request": "true"})
    assert toast.status_code == 403 and toast["HX-Retarget"] == "#toasts"
    assert "Your account is suspended" in toast.content.decode()
    assert not Report.objects.exists() and snapshot() == before
