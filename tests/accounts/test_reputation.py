"""Reputation: each rule, never twice, the daily reply cap, likes taken back, reconciliation."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import ReputationEntry, ReputationReconciliation, User
from accounts.services import reputation_grant, reputation_reconcile, reputation_revoke
from accounts.tasks import reconcile_reputation
from forum import services as forum_services
from forum.models import BugStatus
from moderation import services as mod
from tests.factories import StaffFactory, UserFactory, make_reply, make_thread
from tests.utils import postgresql_only, run_at_once

pytestmark = pytest.mark.django_db


def reputation(user) -> int:
    return User.objects.values_list("reputation", flat=True).get(pk=user.pk)


def ledger_sum(user) -> int:
    return sum(ReputationEntry.objects.filter(user=user).values_list("points", flat=True))


def test_starting_a_thread_pays_two_and_a_reply_one():
    author, replier = UserFactory(), UserFactory()
    thread = make_thread(author=author)
    post = make_reply(thread=thread, author=replier)
    assert reputation(author) == 2
    assert reputation(replier) == 1
    entry = ReputationEntry.objects.get(user=replier)
    assert (entry.reason, entry.source, entry.target_floor) == ("reply", f"post:{post.pk}", 2)
    assert entry.target_title == thread.title
    assert ledger_sum(author) == 2 and ledger_sum(replier) == 1


def test_reply_points_stop_at_the_daily_cap(settings):
    settings.POPCORN = {**settings.POPCORN, "REPUTATION": {"reply_daily_cap": 3}}
    replier = UserFactory()
    thread = make_thread()
    for _ in range(5):
        make_reply(thread=thread, author=replier)
    assert reputation(replier) == 3
    assert ReputationEntry.objects.filter(user=replier, reason="reply").count() == 3


def test_the_reply_cap_is_per_day_in_the_site_time_zone(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    member = UserFactory()
    # 23:30 and 00:30 Shanghai time are the same UTC day but two site days.
    late = timezone.make_aware(timezone.datetime(2026, 11, 29, 23, 30))
    early = late + timedelta(hours=1)
    for n in range(20):
        reputation_grant(user_id=member.pk, reason="reply", source=f"post:{n}", at=late)
    assert reputation_grant(user_id=member.pk, reason="reply", source="post:x", at=late) is None
    assert reputation_grant(user_id=member.pk, reason="reply", source="post:y", at=early)
    assert reputation(member) == 21


def test_a_like_received_pays_two_and_taking_it_back_takes_them(member):
    author = UserFactory()
    post = make_thread(author=author).posts.get(floor=1)
    forum_services.post_like(post=post, user=member)
    assert reputation(author) == 2 + 2
    forum_services.post_unlike(post=post, user=member)
    assert reputation(author) == 2
    reversal = ReputationEntry.objects.get(user=author, reverses__isnull=False)
    assert reversal.points == -2 and reversal.reverses.reason == "like"


def test_liking_again_after_unliking_never_pays_twice(member):
    author = UserFactory()
    post = make_thread(author=author).posts.get(floor=1)
    for _ in range(3):
        forum_services.post_like(post=post, user=member)
        forum_services.post_unlike(post=post, user=member)
    forum_services.post_like(post=post, user=member)
    # One grant, one reversal, nothing more: a like farm earns nothing.
    assert ReputationEntry.objects.filter(user=author, reason="like").count() == 2
    assert reputation(author) == 2
    assert ledger_sum(author) == reputation(author)


def test_self_likes_are_impossible():
    author = UserFactory()
    post = make_thread(author=author).posts.get(floor=1)
    with pytest.raises(PermissionDenied):
        forum_services.post_like(post=post, user=author)
    assert reputation(author) == 2


def test_the_same_source_never_pays_twice():
    member = UserFactory()
    assert reputation_grant(user_id=member.pk, reason="thread", source="thread:1")
    assert reputation_grant(user_id=member.pk, reason="thread", source="thread:1") is None
    assert reputation(member) == 2
    assert reputation_revoke(user_id=member.pk, reason="thread", source="thread:1")
    assert reputation_revoke(user_id=member.pk, reason="thread", source="thread:1") is None
    assert reputation(member) == 0


def test_helpful_and_featured_pay_fifteen_once():
    staff, author = StaffFactory(), UserFactory()
    thread = make_thread(author=author)
    reply = make_reply(thread=thread, author=author)
    mod.post_mark_helpful(post=reply, actor=staff)
    mod.thread_feature(thread=thread, actor=staff)
    assert reputation(author) == 2 + 1 + 15 + 15
    mod.thread_unfeature(thread=thread, actor=staff)
    mod.thread_feature(thread=thread, actor=staff)
    assert reputation(author) == 2 + 1 + 15
    mod.post_unmark_helpful(post=reply, actor=staff)
    assert reputation(author) == 3


def test_a_confirmed_bug_report_pays_twenty_and_fixed_does_not_pay_again():
    staff, author = StaffFactory(), UserFactory()
    thread = make_thread(author=author, thread_type="bug")
    mod.thread_set_bug_status(thread=thread, actor=staff, status=BugStatus.CONFIRMED)
    assert reputation(author) == 22
    mod.thread_set_bug_status(
        thread=thread, actor=staff, status=BugStatus.FIXED, fixed_in_version="15.0.1"
    )
    assert reputation(author) == 22
    mod.thread_set_bug_status(thread=thread, actor=staff, status=BugStatus.NOT_REPRODUCIBLE)
    assert reputation(author) == 2


def test_point_values_come_from_settings(settings):
    settings.POPCORN = {**settings.POPCORN, "REPUTATION": {"thread": 7}}
    author = UserFactory()
    make_thread(author=author)
    assert reputation(author) == 7


def test_reconciliation_repairs_drift_and_records_how_many():
    drifted, fine = UserFactory(), UserFactory()
    make_thread(author=drifted)
    make_thread(author=fine)
    User.objects.filter(pk=drifted.pk).update(reputation=999)
    run = reputation_reconcile()
    assert run.users_repaired == 1
    assert reputation(drifted) == 2 and reputation(fine) == 2
    assert reconcile_reputation.delay().get() == 0
    assert ReputationReconciliation.objects.count() == 2


def test_reconciliation_sets_a_member_without_ledger_rows_to_zero():
    member = UserFactory()
    User.objects.filter(pk=member.pk).update(reputation=50)
    assert reputation_reconcile().users_repaired == 1
    assert reputation(member) == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_cannot_pass_the_daily_cap_together(settings):
    settings.POPCORN = {**settings.POPCORN, "REPUTATION": {"reply_daily_cap": 1}}
    member = UserFactory()

    def grant(n, wait):
        wait()
        return reputation_grant(user_id=member.pk, reason="reply", source=f"post:{n}")

    results, errors = run_at_once(range(4), grant)
    assert not errors
    assert len([r for r in results if r]) == 1
    assert reputation(member) == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_for_one_source_pay_once():
    member = UserFactory()

    def grant(_n, wait):
        wait()
        return reputation_grant(user_id=member.pk, reason="like", source="like:1:2")

    results, errors = run_at_once(range(4), grant)
    assert not errors
    assert len([r for r in results if r]) == 1
    assert reputation(member) == 2


def test_staff_adjust_reputation_in_the_admin_only_through_the_ledger(client):
    admin_user = StaffFactory(is_superuser=True)
    member = UserFactory()
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/reputationentry/add/",
        {"user": member.pk, "points": -5, "target_title": "spam cleanup"},
    )
    assert response.status_code == 302
    entry = ReputationEntry.objects.get(user=member)
    assert (entry.reason, entry.points, entry.target_title) == ("adjustment", -5, "spam cleanup")
    assert reputation(member) == -5
    change = client.post(f"/admin/accounts/reputationentry/{entry.pk}/change/", {"points": 100})
    assert change.status_code == 403
    assert reputation(member) == -5
