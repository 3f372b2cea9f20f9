"""Invitations and memberships: invite, accept into seats, decline, expire, leave, remove,
cooling-off, invite all, and the weekly re-qualification."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import (
    Delivery,
    MembershipState,
    Notification,
    NotificationKind,
    Program,
    ProgramCandidate,
    ProgramMembership,
)
from accounts.tasks import programs_expire_invitations, programs_requalify_members
from tests.factories import StaffFactory, UserFactory

from .programs_world import (
    TODAY,
    active,
    fan,
    invite,
    invite_candidates,
    make_program,
    remove,
    update,
)

pytestmark = pytest.mark.django_db
State = MembershipState


def _seats_taken(program) -> int:
    return Program.objects.values_list("seats_taken", flat=True).get(pk=program.pk)


def _state(membership) -> str:
    return ProgramMembership.objects.values_list("state", flat=True).get(pk=membership.pk)


@pytest.fixture
def program():
    return make_program(seats=2)


# Inviting -----------------------------------------------------------------------


def test_an_invitation_has_a_unique_code_an_expiry_a_notification_and_an_email(
    program, django_capture_on_commit_callbacks, mailoutbox
):
    staff, fan1, fan2 = StaffFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = invite(program=program, user=fan1, actor=staff)
        second = invite(program=program, user=fan2, actor=staff)
    assert first.code != second.code and len(first.code) >= 20
    assert first.expires_at - first.invited_at == timedelta(days=14)
    notification = Notification.objects.get(recipient=fan1)
    assert notification.kind == NotificationKind.EARLY_ACCESS
    assert first.code in notification.target_url
    assert program.name in notification.text
    # EARLY_ACCESS defaults to email delivery.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([fan1.email, fan2.email])
    assert program.name in mailoutbox[0].subject


def test_an_invitation_follows_the_members_delivery_setting(
    program, django_capture_on_commit_callbacks, mailoutbox
):
    in_app = UserFactory(notification_settings={NotificationKind.EARLY_ACCESS: Delivery.IN_APP})
    off = UserFactory(notification_settings={NotificationKind.EARLY_ACCESS: Delivery.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        invite(program=program, user=in_app, actor=None)
        invite(program=program, user=off, actor=None)
    assert Notification.objects.filter(recipient=in_app).count() == 1
    assert not Notification.objects.filter(recipient=off).exists()
    assert mailoutbox == []
    # Off means no notification, not no invitation.
    assert ProgramMembership.objects.filter(user=off, state=State.INVITED).exists()


def test_the_invitation_lifetime_is_a_setting(program, settings):
    settings.POPCORN = {**settings.POPCORN, "PROGRAM_INVITATION_DAYS": 3}
    membership = invite(program=program, user=UserFactory(), actor=None)
    assert membership.expires_at - membership.invited_at == timedelta(days=3)


def test_a_second_live_invitation_is_refused_and_the_database_forbids_one(program):
    user = UserFactory()
    invite(program=program, user=user, actor=None)
    with pytest.raises(ValidationError, match="already has a pending invitation"):
        invite(program=program, user=user, actor=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramMembership.objects.create(
            program=program, user=user, code="x" * 22, expires_at=timezone.now() + timedelta(days=1)
        )


def test_closed_and_ended_programs_take_no_invitations(program):
    program.status = Program.Status.CLOSED
    program.save()
    with pytest.raises(ValidationError, match="not open"):
        invite(program=program, user=UserFactory(), actor=None)
    program.status = Program.Status.OPEN
    program.ends_at = timezone.now() - timedelta(minutes=1)
    program.save()
    with pytest.raises(ValidationError, match="not open"):
        invite(program=program, user=UserFactory(), actor=None)


# Accepting and seats ----------------------------------------------------------------


def test_accepting_takes_a_seat_and_no_more_than_the_seats_can_accept(program):
    fans = [UserFactory() for _ in range(3)]
    invitations = [invite(program=program, user=f, actor=None) for f in fans]
    account_services.program_accept(user=fans[0], code=invitations[0].code)
    account_services.program_accept(user=fans[1], code=invitations[1].code)
    with pytest.raises(ValidationError, match=r"All seats .* are taken"):
        account_services.program_accept(user=fans[2], code=invitations[2].code)
    assert _seats_taken(program) == 2
    # The refused accept changed nothing: the invitation is still open.
    assert _state(invitations[2]) == State.INVITED


def test_only_the_invited_member_can_accept_and_only_once(program):
    user, other = UserFactory(), UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    with pytest.raises(ValidationError, match="no such invitation"):
        account_services.program_accept(user=other, code=invitation.code)
    account_services.program_accept(user=user, code=invitation.code)
    with pytest.raises(ValidationError, match="already a member"):
        account_services.program_accept(user=user, code=invitation.code)
    assert _seats_taken(program) == 1


def test_declining_frees_nothing_and_allows_a_later_invitation(program):
    user = UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    account_services.program_decline(user=user, code=invitation.code)
    assert _state(invitation) == State.DECLINED
    with pytest.raises(ValidationError, match="no longer open"):
        account_services.program_accept(user=user, code=invitation.code)
    assert _seats_taken(program) == 0
    assert invite(program=program, user=user, actor=None).pk != invitation.pk


# Expiry -----------------------------------------------------------------------------


def test_a_past_expiry_reads_as_expired_at_once_and_the_task_tidies_it(program):
    user = UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    ProgramMembership.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    invitation.refresh_from_db()
    assert invitation.state == State.INVITED
    assert invitation.effective_state == State.EXPIRED
    with pytest.raises(ValidationError, match="expired"):
        account_services.program_accept(user=user, code=invitation.code)
    with pytest.raises(ValidationError, match="expired"):
        account_services.program_decline(user=user, code=invitation.code)
    assert programs_expire_invitations.delay().get() == 1
    assert _state(invitation) == State.EXPIRED
    assert programs_expire_invitations.delay().get() == 0


def test_an_expired_invitation_can_be_renewed_before_the_tidy_up(program):
    user = UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    ProgramMembership.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    renewed = invite(program=program, user=user, actor=None)
    assert _state(invitation) == State.EXPIRED
    account_services.program_accept(user=user, code=renewed.code)
    assert _seats_taken(program) == 1


# Leaving, removal and cooling-off ---------------------------------------------------------


def _member(program, user=None):
    user = user or UserFactory()
    invitation = invite(program=program, user=user, actor=None)
    return account_services.program_accept(user=user, code=invitation.code)


def test_leaving_frees_the_seat_and_cools_off_for_14_days(program):
    membership = _member(program)
    user = membership.user
    left = account_services.program_leave(user=user, program=program)
    assert left.state == State.LEFT
    assert _seats_taken(program) == 0
    assert left.cooling_off_until - left.ended_at == timedelta(days=14)
    with pytest.raises(ValidationError, match=r"left .* cannot be invited again before"):
        invite(program=program, user=user, actor=None)
    with pytest.raises(ValidationError, match="not a member"):
        account_services.program_leave(user=user, program=program)


def test_removal_frees_the_seat_cools_off_for_30_days_and_tells_the_member(program):
    membership = _member(program)
    staff = StaffFactory()
    removed = remove(membership=membership, actor=staff, reason="Leaked builds")
    assert removed.state == State.REMOVED
    assert removed.end_reason == "Leaked builds"
    assert _seats_taken(program) == 0
    assert removed.cooling_off_until - removed.ended_at == timedelta(days=30)
    with pytest.raises(ValidationError, match=r"was removed from .* cannot be invited again"):
        invite(program=program, user=membership.user, actor=staff)
    notice = Notification.objects.filter(recipient=membership.user).latest("pk")
    assert "removed" in notice.text and notice.excerpt == "Leaked builds"


def test_after_the_cooling_off_a_new_invitation_is_possible(program):
    membership = _member(program)
    account_services.program_leave(user=membership.user, program=program)
    ProgramMembership.objects.filter(pk=membership.pk).update(
        cooling_off_until=timezone.now() - timedelta(seconds=1)
    )
    again = invite(program=program, user=membership.user, actor=None)
    assert again.state == State.INVITED


def test_withdrawing_an_invitation_holds_no_seat(program):
    invitation = invite(program=program, user=UserFactory(), actor=None)
    remove(membership=invitation, actor=None, reason="Wrong person")
    assert _state(invitation) == State.REMOVED
    assert _seats_taken(program) == 0
    with pytest.raises(ValidationError):
        remove(membership=invitation, actor=None, reason="again")


def test_seats_cannot_be_set_below_the_seats_taken(program):
    _member(program)
    _member(program)
    with pytest.raises(ValidationError) as caught:
        update(program=program, seats=1)
    assert "seats" in caught.value.message_dict
    assert update(program=program, seats=5).seats == 5


# Inviting many ------------------------------------------------------------------------------


def _candidates(program, users):
    ProgramCandidate.objects.bulk_create(
        ProgramCandidate(program=program, user=u, score=10 * i) for i, u in enumerate(users)
    )


def test_invite_all_invites_every_invitable_candidate_in_bulk(
    program, django_capture_on_commit_callbacks, mailoutbox, django_assert_max_num_queries
):
    fresh = [UserFactory() for _ in range(5)]
    pending, member, cooling, declined = (UserFactory() for _ in range(4))
    _candidates(program, [*fresh, pending, member, cooling, declined])
    invite(program=program, user=pending, actor=None)
    _member(program, member)
    account_services.program_leave(user=member, program=program)  # member left: cooling off now
    _member(program, cooling)
    d = invite(program=program, user=declined, actor=None)
    account_services.program_decline(user=declined, code=d.code)
    Notification.objects.all().delete()
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(16):
        invited = invite_candidates(program=program, actor=staff)
    assert invited == 5
    assert set(
        ProgramMembership.objects.filter(invited_by=staff).values_list("user_id", flat=True)
    ) == {u.pk for u in fresh}
    assert Notification.objects.filter(kind=NotificationKind.EARLY_ACCESS).count() == 5
    assert len(mailoutbox) == 5
    # Again: nobody left to invite.
    assert invite_candidates(program=program, actor=staff) == 0


def test_invite_all_costs_the_same_queries_for_many_candidates(
    django_capture_on_commit_callbacks,
):
    def run(n):
        users = [UserFactory() for _ in range(n)]
        p = make_program(seats=50)
        _candidates(p, users)
        with (
            django_capture_on_commit_callbacks(execute=False),
            CaptureQueriesContext(connection) as ctx,
        ):
            assert invite_candidates(program=p, actor=None) == n
        return len(ctx)

    assert run(3) == run(30)


def test_invite_selected_invites_only_chosen_candidates_and_may_reinvite_a_decliner(program):
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    outsider = UserFactory()
    _candidates(program, [a, b, c])
    d = invite(program=program, user=c, actor=None)
    account_services.program_decline(user=c, code=d.code)
    invited = invite_candidates(program=program, actor=None, user_ids=[a.pk, c.pk, outsider.pk])
    assert invited == 2
    live = ProgramMembership.objects.filter(state=State.INVITED)
    assert set(live.values_list("user_id", flat=True)) == {a.pk, c.pk}


# Weekly re-qualification -------------------------------------------------------------------


@pytest.fixture
def strict_program():
    return make_program(seats=5, min_days_active_30d=10, requalify_weekly=True)


def test_requalification_warns_then_removes_members_who_no_longer_qualify(strict_program):
    keen, fading, recovering = fan(), fan(), fan()
    active(keen, days=20)
    active(fading, days=3)
    active(recovering, days=4)
    for user in (keen, fading, recovering):
        _member(strict_program, user)

    result = programs_requalify_members.delay(TODAY.isoformat()).get()
    assert result == {strict_program.pk: {"recovered": 0, "removed": 0, "warned": 2}}
    rows = {m.user_id: m for m in ProgramMembership.objects.filter(program=strict_program)}
    assert rows[keen.pk].warned_at is None
    assert rows[fading.pk].warned_at is not None and rows[fading.pk].state == State.ACCEPTED
    warning = Notification.objects.filter(recipient=fading).latest("pk")
    assert "no longer meet" in warning.text

    # A second run within the week removes nobody.
    again = account_services.program_requalify_members(program=strict_program, today=TODAY)
    assert again == {"recovered": 0, "removed": 0, "warned": 0}

    # A week later: `recovering` was active again, `fading` was not.
    ProgramMembership.objects.filter(warned_at__isnull=False).update(
        warned_at=timezone.now() - timedelta(days=7)
    )
    active(recovering, days=7, today=TODAY + timedelta(days=7))
    later = account_services.program_requalify_members(
        program=strict_program, today=TODAY + timedelta(days=7)
    )
    assert later == {"recovered": 1, "removed": 1, "warned": 0}
    fading_row = ProgramMembership.objects.get(program=strict_program, user=fading)
    assert fading_row.state == State.REMOVED
    assert fading_row.cooling_off_until - fading_row.ended_at == timedelta(days=30)
    assert ProgramMembership.objects.get(user=recovering).warned_at is None
    assert _seats_taken(strict_program) == 2
    with pytest.raises(ValidationError, match="cannot be invited again"):
        invite(program=strict_program, user=fading, actor=None)


def test_programs_without_weekly_requalification_are_left_alone(strict_program):
    strict_program.requalify_weekly = False
    strict_program.save()
    idle = fan()
    _member(strict_program, idle)
    assert programs_requalify_members.delay(TODAY.isoformat()).get() == {}
    assert ProgramMembership.objects.get(user=idle).warned_at is None
