"""Suspensions, silences and warnings: their effects, expiry, lifting and the tidy task."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import SANCTION_PERMANENT_UNTIL, Notification, User
from forum import services as forum_services
from forum.models import Post, PostLike, Thread
from moderation import permissions, services
from moderation.models import AuditLog, Warning
from moderation.tasks import tidy_expired_sanctions
from tests.factories import UserFactory, make_reply, make_thread
from tests.moderation.world import snapshot

pytestmark = pytest.mark.django_db


def _suspend(world, user=None, hours=24, until=...):
    if until is ...:
        until = timezone.now() + timedelta(hours=hours)
    return services.user_suspend(
        actor=world.global_mod, user=user or world.member, until=until, reason="Spamming"
    )


def test_suspension_writes_fields_audit_row_and_notice(world):
    until = timezone.now() + timedelta(days=3)
    member = services.user_suspend(
        actor=world.staff, user=world.member, until=until, reason="  Spam   links ", ip="10.0.0.1"
    )
    assert member.is_suspended and member.suspension_reason == "Spam links"
    row = AuditLog.objects.get(action=AuditLog.Action.USER_SUSPEND)
    assert (row.actor, row.target_type, row.target_id) == (world.staff, "user", world.member.pk)
    assert row.reason == "Spam links" and row.ip == "10.0.0.1" and row.after["permanent"] is False
    notice = Notification.objects.get(recipient=world.member, kind="moderation")
    assert "suspended until" in notice.text and notice.excerpt == "Spam links"


def test_permanent_suspension_is_the_far_future_and_never_expires(world):
    member = _suspend(world, until=None)
    assert member.suspended_until == SANCTION_PERMANENT_UNTIL
    assert member.is_suspended_permanently
    assert AuditLog.objects.get(action="user_suspend").after["permanent"] is True


@pytest.mark.parametrize("time_zone", ["Asia/Shanghai", "America/Los_Angeles"])
def test_suspension_ends_on_time_in_a_non_utc_zone_without_any_job(
    world, client, settings, time_zone
):
    settings.TIME_ZONE = time_zone
    # Ends a minute after now: read at request time, no task has run.
    User.objects.filter(pk=world.member.pk).update(
        suspended_until=timezone.now() + timedelta(minutes=1), suspension_reason="Cool off"
    )
    client.force_login(world.member)
    url = reverse("forum:reply", kwargs={"pk": world.thread.pk})
    response = client.post(url, {"body": "Back again"})
    assert response.status_code == 403
    assert "suspended until" in response.content.decode()
    assert not Post.objects.filter(source="Back again").exists()

    User.objects.filter(pk=world.member.pk).update(
        suspended_until=timezone.now() - timedelta(seconds=1)
    )
    response = client.post(url, {"body": "Back again"})
    assert response.status_code == 302
    assert Post.objects.filter(source="Back again").exists()


def test_until_is_shown_in_the_site_time_zone(world, client, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    until = datetime(2999, 1, 1, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    _suspend(world, until=until)
    client.force_login(world.member)
    page = client.get(world.thread.get_absolute_url()).content.decode()
    assert "2999-01-01 08:30" in page and "Spamming" in page  # the banner, with the reason


def test_suspended_member_reads_but_cannot_write_anything(world, client):
    _suspend(world)
    client.force_login(world.member)
    thread, own_post = world.thread, Post.objects.get(thread=world.thread, floor=3)
    assert client.get(thread.get_absolute_url()).status_code == 200  # counts a view
    assert client.get(world.board_a.get_absolute_url()).status_code == 200
    before = snapshot()
    likes = PostLike.objects.count()
    new = client.post(
        reverse("forum:thread_create", kwargs={"slug": world.board_a.slug}),
        {"title": "New thread", "thread_type": "discussion", "body": "Hello"},
    )
    reply = client.post(reverse("forum:reply", kwargs={"pk": thread.pk}), {"body": "Hi"})
    like = client.post(reverse("forum:post_like", kwargs={"post_id": world.reply.pk}))
    edit = client.post(
        reverse("forum:post_edit", kwargs={"post_id": own_post.pk}), {"body": "Changed"}
    )
    for response in (new, reply, edit):
        assert response.status_code == 403
        assert "suspended" in response.content.decode()
    # A like is a tap on the thread page: back there, saying why.
    assert like.status_code == 302
    assert "suspended" in str(next(iter(get_messages(like.wsgi_request))))
    assert snapshot() == before and PostLike.objects.count() == likes


def test_services_refuse_a_suspended_member_too(world):
    _suspend(world)
    member = User.objects.get(pk=world.member.pk)
    with pytest.raises(PermissionDenied, match="suspended"):
        forum_services.post_reply(thread=world.thread, author=member, body="Server-side")
    with pytest.raises(PermissionDenied, match="suspended"):
        forum_services.post_like(post=world.reply, user=member)
    with pytest.raises(PermissionDenied, match="suspended"):
        forum_services.post_unlike(post=world.reply, user=member)


def test_silenced_member_cannot_post_or_edit_but_can_like(world, client):
    services.user_silence(
        actor=world.mod_a,
        user=world.member,
        until=timezone.now() + timedelta(days=1),
        reason="Flame war",
        board=world.board_a,
    )
    client.force_login(world.member)
    reply = client.post(reverse("forum:reply", kwargs={"pk": world.thread.pk}), {"body": "Hi"})
    assert reply.status_code == 403 and "silenced until" in reply.content.decode()
    own_post = Post.objects.get(thread=world.thread, floor=3)
    edit = client.post(reverse("forum:post_edit", kwargs={"post_id": own_post.pk}), {"body": "x"})
    assert edit.status_code == 403
    like = client.post(reverse("forum:post_like", kwargs={"post_id": world.reply.pk}))
    assert like.status_code == 302 and PostLike.objects.filter(user=world.member).exists()
    assert "Flame war" in client.get(world.thread.get_absolute_url()).content.decode()


def test_lifting_early_lets_the_member_post_again_and_is_audited(world):
    _suspend(world)
    member = services.user_lift_suspension(
        actor=world.staff, user=world.member, reason="Appeal accepted"
    )
    assert not member.is_suspended and member.suspension_reason == ""
    row = AuditLog.objects.get(action=AuditLog.Action.USER_UNSUSPEND)
    assert row.before["reason"] == "Spamming" and row.reason == "Appeal accepted"
    make_reply(thread=world.thread, author=User.objects.get(pk=world.member.pk), body="Thanks")
    with pytest.raises(ValidationError, match="not suspended"):
        services.user_lift_suspension(actor=world.staff, user=world.member)


def test_lifting_a_silence(world):
    services.user_silence(
        actor=world.staff, user=world.member, until=timezone.now() + timedelta(hours=2), reason="x"
    )
    services.user_lift_silence(actor=world.mod_a, user=world.member, board=world.board_a)
    assert not User.objects.get(pk=world.member.pk).is_silenced
    assert AuditLog.objects.filter(action="user_unsilence", board=world.board_a).count() == 1


def test_tidy_task_clears_only_expired_sanctions_in_one_pass(world, django_assert_num_queries):
    now = timezone.now()
    expired, current = UserFactory(), UserFactory()
    User.objects.filter(pk=expired.pk).update(
        suspended_until=now - timedelta(minutes=1),
        suspension_reason="old",
        silenced_until=now - timedelta(days=2),
        silence_reason="old",
    )
    User.objects.filter(pk=current.pk).update(
        suspended_until=now + timedelta(hours=1), suspension_reason="now"
    )
    with django_assert_num_queries(2):  # one UPDATE per kind, however many members
        assert tidy_expired_sanctions.delay().get() == 2
    expired.refresh_from_db()
    current.refresh_from_db()
    assert (expired.suspended_until, expired.suspension_reason) == (None, "")
    assert (expired.silenced_until, expired.silence_reason) == (None, "")
    assert current.is_suspended and current.suspension_reason == "now"
    assert tidy_expired_sanctions.delay().get() == 0  # idempotent


def test_reasons_are_required_and_the_end_must_be_ahead(world):
    with pytest.raises(ValidationError, match="Say why"):
        services.user_suspend(
            actor=world.staff,
            user=world.author,
            until=timezone.now() + timedelta(days=1),
            reason=" ",
        )
    with pytest.raises(ValidationError, match="future"):
        services.user_silence(
            actor=world.staff, user=world.author, until=timezone.now() - timedelta(1), reason="x"
        )
    assert not User.objects.get(pk=world.author.pk).is_silenced


def test_board_moderators_silence_for_at_most_the_set_days(world):
    with pytest.raises(ValidationError, match="at most 7 days"):
        services.user_silence(
            actor=world.mod_a,
            user=world.member,
            until=timezone.now() + timedelta(days=30),
            reason="x",
            board=world.board_a,
        )
    assert not AuditLog.objects.filter(action="user_silence").exists()


# Warnings ----------------------------------------------------------------------


def _warn(world, actor=None, **kw):
    return services.user_warn(
        actor=actor or world.mod_a, user=world.member, reason="Off-topic", board=world.board_a, **kw
    )


def test_a_warning_is_a_row_an_audit_entry_and_a_notice(world):
    warning = _warn(world)
    assert (warning.user, warning.by, warning.reason) == (world.member, world.mod_a, "Off-topic")
    assert AuditLog.objects.filter(action="user_warn", board=world.board_a).count() == 1
    assert Notification.objects.filter(
        recipient=world.member, title_key="moderation.warned"
    ).exists()
    assert not User.objects.get(pk=world.member.pk).is_silenced


def test_third_warning_within_thirty_days_silences_automatically(world, settings):
    settings.TIME_ZONE = "America/New_York"
    now = timezone.now()
    Warning.objects.create(
        user=world.member, by_name="x", reason="a", created_at=now - timedelta(days=29)
    )
    _warn(world)
    assert not User.objects.get(pk=world.member.pk).is_silenced
    _warn(world, actor=world.global_mod)
    member = User.objects.get(pk=world.member.pk)
    assert member.is_silenced
    hours = settings.POPCORN["WARNINGS_SILENCE_HOURS"]
    assert abs(member.silenced_until - (now + timedelta(hours=hours))) < timedelta(minutes=1)
    assert "3 warnings within 30 days" in member.silence_reason
    row = AuditLog.objects.get(action="user_silence")
    assert row.actor == world.global_mod and row.after["automatic"] is True


def test_three_warnings_spread_over_sixty_days_do_not_silence(world):
    now = timezone.now()
    for days in (59, 31):
        Warning.objects.create(
            user=world.member, by_name="x", reason="a", created_at=now - timedelta(days=days)
        )
    _warn(world)
    assert not User.objects.get(pk=world.member.pk).is_silenced
    assert not AuditLog.objects.filter(action="user_silence").exists()


def test_automatic_silence_never_shortens_a_longer_one(world):
    longer = timezone.now() + timedelta(days=20)
    services.user_silence(actor=world.staff, user=world.member, until=longer, reason="long")
    for _n in range(3):
        _warn(world)
    assert User.objects.get(pk=world.member.pk).silenced_until == longer


# Who may sanction whom -------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "board", "expected"),
    [
        ("staff", "global_mod", None, permissions.EVERY_POWER),
        ("staff", "mod_a", None, permissions.EVERY_POWER),
        ("global_mod", "member", None, permissions.EVERY_POWER),
        ("global_mod", "staff", None, frozenset()),
        ("mod_a", "member", "board_a", permissions.BOARD_MODERATOR_POWERS),
        ("section_mod", "member", "board_a", permissions.BOARD_MODERATOR_POWERS),
        ("mod_a", "member", "board_b", frozenset()),  # not their board
        ("mod_a", "member", None, frozenset()),  # board moderators act from a board
        ("mod_a", "mod_b", "board_a", frozenset()),  # no moderator sanctions a peer
        ("mod_b", "mod_a", "board_b", frozenset()),
        ("member", "author", None, frozenset()),
        ("staff", "staff", None, frozenset()),  # nobody sanctions themselves
    ],
)
def test_sanction_powers(world, actor, target, board, expected):
    board = getattr(world, board) if board else None
    actor, target = getattr(world, actor), getattr(world, target)
    assert permissions.sanction_powers(actor, target, board=board) == expected


def test_a_board_moderator_cannot_suspend_and_nothing_is_written(world):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.user_suspend(
            actor=world.mod_a,
            user=world.member,
            until=timezone.now() + timedelta(days=1),
            reason="x",
            board=world.board_a,
        )
    assert snapshot() == before and not User.objects.get(pk=world.member.pk).is_suspended


def test_a_suspended_member_cannot_start_a_thread_from_the_service(world):
    _suspend(world, user=world.author)
    author = User.objects.get(pk=world.author.pk)
    with pytest.raises(PermissionDenied):
        make_thread(board=world.board_a, author=author)
    assert Thread.objects.filter(author=author).count() == 1


def test_a_suspended_moderator_moderates_nothing(world, client):
    from moderation import services as moderation_services

    services.user_suspend(
        actor=world.staff,
        user=world.global_mod,
        until=timezone.now() + timedelta(days=1),
        reason="Abused the tools",
    )
    suspended = User.objects.get(pk=world.global_mod.pk)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        moderation_services.post_hide(post=world.reply, actor=suspended, reason="x")
    with pytest.raises(PermissionDenied):
        services.user_warn(actor=suspended, user=world.member, reason="x")
    client.force_login(suspended)
    assert client.get(reverse("moderation:reports")).status_code == 403
    assert snapshot() == before
