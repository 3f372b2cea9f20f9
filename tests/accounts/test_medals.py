"""Medals through the services: the nightly rules, staff by hand (audited), shown ones."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import Medal, MedalRule, MemberMedal, Program, ProgramMembership
from accounts.tasks import award_medals
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _medal(rule, threshold=1, slug=None):
    slug = slug or f"{rule}-{threshold}"
    return Medal.objects.create(name=slug, slug=slug, rule=rule, threshold=threshold)


def _grant(user, reason, source):
    services.reputation_grant(user_id=user.pk, reason=reason, source=source, points=1)


def test_first_confirmed_bug_medal_goes_to_those_with_one_and_only_once():
    medal = _medal(MedalRule.BUGS_CONFIRMED)
    reporter, other = UserFactory(), UserFactory()
    _grant(reporter, "bug_confirmed", "thread:1")

    assert award_medals() == {medal.slug: 1}
    assert award_medals() == {medal.slug: 0}

    assert list(MemberMedal.objects.values_list("user_id", flat=True)) == [reporter.pk]
    assert not MemberMedal.objects.filter(user=other).exists()


def test_a_taken_back_grant_does_not_count():
    medal = _medal(MedalRule.LIKES_RECEIVED, threshold=2)
    member = UserFactory()
    _grant(member, "like", "like:1:1")
    _grant(member, "like", "like:1:2")
    services.reputation_revoke(user_id=member.pk, reason="like", source="like:1:2")
    assert services.medal_award_by_rule(medal=medal) == 0
    _grant(member, "like", "like:1:3")
    assert services.medal_award_by_rule(medal=medal) == 1


def test_streak_programme_and_meetup_rules():
    streak = _medal(MedalRule.CHECK_IN_STREAK, threshold=100)
    tester = _medal(MedalRule.PROGRAM_MEMBER)
    attendee = _medal(MedalRule.MEETUPS_ATTENDED)
    faithful = UserFactory(best_check_in_streak=100)
    UserFactory(best_check_in_streak=99)
    goer = UserFactory()
    _grant(goer, "meetup_attended", "event:7")
    program = Program.objects.create(name="Beta", slug="beta", seats=5)
    beta = UserFactory()
    ProgramMembership.objects.create(
        program=program,
        user=beta,
        code="c1",
        state="accepted",
        expires_at="2030-01-01T00:00Z",
    )

    services.medals_award_all()

    assert set(MemberMedal.objects.filter(medal=streak).values_list("user", flat=True)) == {
        faithful.pk
    }
    assert list(MemberMedal.objects.filter(medal=tester).values_list("user", flat=True)) == [
        beta.pk
    ]
    assert list(MemberMedal.objects.filter(medal=attendee).values_list("user", flat=True)) == [
        goer.pk
    ]


def test_the_job_is_set_based_its_queries_do_not_grow_with_members():
    medal = _medal(MedalRule.BUGS_CONFIRMED)
    for n in range(3):
        _grant(UserFactory(), "bug_confirmed", f"thread:{n}")
    with CaptureQueriesContext(connection) as few:
        services.medal_award_by_rule(medal=medal)
    for n in range(40):
        _grant(UserFactory(), "bug_confirmed", f"thread:{n + 10}")
    with CaptureQueriesContext(connection) as many:
        assert services.medal_award_by_rule(medal=medal) == 40
    assert len(many) == len(few)


def test_staff_award_a_medal_by_hand_with_an_audit_row():
    medal = _medal(MedalRule.MANUAL, slug="helper")
    staff, member = StaffFactory(), UserFactory()

    held = moderation_services.medal_award(
        medal=medal, user=member, actor=staff, reason="Ran the Shanghai meetup"
    )

    assert held.awarded_by_name == staff.username
    row = AuditLog.objects.get(action=AuditLog.Action.MEDAL_AWARD)
    assert (row.subject_id, row.actor_id, row.after) == (member.pk, staff.pk, {"medal": "helper"})
    with pytest.raises(ValidationError):
        moderation_services.medal_award(medal=medal, user=member, actor=staff, reason="again")
    moderation_services.medal_revoke(medal=medal, user=member, actor=staff, reason="mistake")
    assert not MemberMedal.objects.filter(user=member).exists()
    assert AuditLog.objects.filter(action=AuditLog.Action.MEDAL_REVOKE).count() == 1


def test_members_cannot_award_medals_and_a_reason_is_required():
    medal = _medal(MedalRule.MANUAL, slug="helper")
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        moderation_services.medal_award(medal=medal, user=member, actor=member, reason="me")
    with pytest.raises(ValidationError):
        moderation_services.medal_award(medal=medal, user=member, actor=StaffFactory(), reason="")
    assert not MemberMedal.objects.exists()


def test_a_member_shows_up_to_three_medals_they_hold_in_their_order():
    member = UserFactory()
    medals = [_medal(MedalRule.MANUAL, slug=f"m{n}") for n in range(4)]
    for medal in medals:
        services.medal_grant(medal=medal, user=member)

    services.medals_choose_shown(user=member, medal_ids=[medals[2].pk, medals[0].pk])
    shown = MemberMedal.objects.filter(user=member, shown_position__isnull=False)
    assert [m.medal_id for m in shown.order_by("shown_position")] == [medals[2].pk, medals[0].pk]

    with pytest.raises(ValidationError):
        services.medals_choose_shown(user=member, medal_ids=[m.pk for m in medals])
    other = _medal(MedalRule.MANUAL, slug="not-held")
    with pytest.raises(ValidationError):
        services.medals_choose_shown(user=member, medal_ids=[other.pk])
    services.medals_choose_shown(user=member, medal_ids=[])
    assert not MemberMedal.objects.filter(user=member, shown_position__isnull=False).exists()
