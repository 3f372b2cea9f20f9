"""Invitations under concurrent requests on PostgreSQL, each worker on its own connection."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import services
from accounts.levels import threshold_of
from accounts.models import (
    InvitationCode,
    InvitationRedemption,
    ReputationEntry,
    ReputationReason,
    User,
)
from tests.factories import UserFactory, make_reply, make_thread
from tests.utils import postgresql_only, run_at_once


def _sign_up_with(code: str):
    """A sign-up as the form does it: the account and the code's use in one transaction."""

    def sign_up(name, wait):
        wait()
        with transaction.atomic():
            user = User.objects.create_user(name, f"{name}@example.com", "flash-the-rom-2026")
            services.invitation_redeem(code=code, invitee=user)
        return name

    return sign_up


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_last_use_of_a_code_admits_exactly_one_of_two_simultaneous_sign_ups():
    inviter = UserFactory(reputation=threshold_of("active"))
    code = services.invitation_create(creator=inviter, max_uses=2)
    services.invitation_redeem(code=code.code, invitee=UserFactory())  # one use left

    joined, errors = run_at_once(["racer_a", "racer_b"], _sign_up_with(code.code))

    assert len(joined) == 1
    assert [(type(e), e.reason) for e in errors] == [(services.InvitationUnavailable, "used")]
    assert User.objects.filter(username__startswith="racer_").count() == 1  # loser rolled back
    assert InvitationCode.objects.get(pk=code.pk).uses == 2
    assert InvitationRedemption.objects.filter(code=code).count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_twelve_sign_ups_at_once_on_a_three_use_code_admit_exactly_three():
    inviter = UserFactory(reputation=threshold_of("active"))
    code = services.invitation_create(creator=inviter, max_uses=3)

    joined, errors = run_at_once([f"racer{n}" for n in range(12)], _sign_up_with(code.code))

    assert len(joined) == 3 and len(errors) == 9
    assert User.objects.filter(username__in=joined).count() == 3
    assert User.objects.filter(username__startswith="racer").count() == 3
    assert InvitationCode.objects.get(pk=code.pk).uses == 3


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_creates_stay_within_the_monthly_quota():
    inviter = UserFactory(reputation=threshold_of("active"))  # 5 a month

    def create(_n, wait):
        wait()
        return services.invitation_create(creator=User.objects.get(pk=inviter.pk))

    created, errors = run_at_once(range(8), create)

    assert len(created) == 5
    assert len(errors) == 3 and all(isinstance(e, ValidationError) for e in errors)
    assert InvitationCode.objects.filter(creator=inviter).count() == 5


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_invitee_becoming_active_in_two_transactions_at_once_pays_once():
    inviter = UserFactory(reputation=threshold_of("active"))
    invitee = UserFactory()
    code = services.invitation_create(creator=inviter)
    services.invitation_redeem(code=code.code, invitee=invitee)
    User.objects.filter(pk=invitee.pk).update(post_count=5)

    def record(_n, wait):
        with transaction.atomic():
            wait()
            return services.invitee_record_post(user_id=invitee.pk)

    results, errors = run_at_once(range(6), record)

    assert errors == []
    assert sorted(results) == [False] * 5 + [True]
    assert (
        ReputationEntry.objects.filter(user=inviter, reason=ReputationReason.INVITEE_ACTIVE).count()
        == 1
    )
    assert User.objects.get(pk=inviter.pk).reputation == threshold_of("active") + 10


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_simultaneous_replies_crossing_the_target_pay_the_inviter_once():
    inviter = UserFactory(reputation=threshold_of("active"))
    invitee = UserFactory()
    code = services.invitation_create(creator=inviter)
    services.invitation_redeem(code=code.code, invitee=invitee)
    thread = make_thread(author=invitee)
    for _ in range(3):
        make_reply(thread=thread, author=invitee)  # 4 posts

    def reply(n, wait):
        wait()
        make_reply(thread=thread, author=invitee, body=f"Reply {n}")

    _, errors = run_at_once(range(4), reply)

    assert errors == []
    assert User.objects.get(pk=invitee.pk).post_count == 8
    assert InvitationRedemption.objects.get(invitee=invitee).activated_at is not None
    assert (
        ReputationEntry.objects.filter(user=inviter, reason=ReputationReason.INVITEE_ACTIVE).count()
        == 1
    )
