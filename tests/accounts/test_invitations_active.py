"""An invitee who posts enough soon enough pays their inviter, exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import services
from accounts.models import InvitationRedemption, ReputationEntry, ReputationReason, User
from tests.factories import UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitee(make_code):
    invitee = UserFactory()
    services.invitation_redeem(code=make_code().code, invitee=invitee)
    return invitee


def _write(author, count: int, board=None) -> None:
    thread = make_thread(author=author, board=board)
    for _ in range(count - 1):
        make_reply(thread=thread, author=author)


def _inviter_entries(inviter):
    return ReputationEntry.objects.filter(user=inviter, reason=ReputationReason.INVITEE_ACTIVE)


def test_the_fifth_post_makes_the_invitee_active_and_pays_the_inviter(inviter, invitee):
    _write(invitee, 4)
    redemption = InvitationRedemption.objects.get(invitee=invitee)
    assert redemption.activated_at is None and not _inviter_entries(inviter).exists()
    before = User.objects.get(pk=inviter.pk).reputation

    make_reply(thread=make_thread(author=UserFactory()), author=invitee)

    redemption.refresh_from_db()
    assert redemption.activated_at is not None
    [entry] = _inviter_entries(inviter)
    assert entry.points == 10 and entry.source == f"invitee:{invitee.pk}"
    assert entry.title_params == {"name": invitee.username}
    assert entry.text == f"{invitee.username}, whom you invited, became active"
    assert entry.target_url == invitee.get_absolute_url()
    assert User.objects.get(pk=inviter.pk).reputation == before + 10


def test_later_posts_pay_nothing_more(inviter, invitee):
    _write(invitee, 9)
    assert _inviter_entries(inviter).count() == 1
    activated = InvitationRedemption.objects.get(invitee=invitee).activated_at
    _write(invitee, 2)
    assert InvitationRedemption.objects.get(invitee=invitee).activated_at == activated
    assert _inviter_entries(inviter).count() == 1


def test_posts_after_the_window_do_not_count(inviter, invitee):
    InvitationRedemption.objects.filter(invitee=invitee).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    _write(invitee, 6)
    assert InvitationRedemption.objects.get(invitee=invitee).activated_at is None
    assert not _inviter_entries(inviter).exists()


def test_the_target_and_window_are_settings(settings, inviter, invitee):
    settings.POPCORN = {
        **settings.POPCORN,
        "INVITATIONS": {
            **settings.POPCORN["INVITATIONS"],
            "ACTIVE_POSTS": 2,
            "ACTIVE_WITHIN_DAYS": 60,
        },
    }
    InvitationRedemption.objects.filter(invitee=invitee).update(
        created_at=timezone.now() - timedelta(days=45)
    )
    _write(invitee, 2)
    assert InvitationRedemption.objects.get(invitee=invitee).activated_at is not None
    assert _inviter_entries(inviter).count() == 1


def test_members_who_were_not_invited_pay_nobody(member):
    _write(member, 6)
    assert not ReputationEntry.objects.filter(reason=ReputationReason.INVITEE_ACTIVE).exists()


def test_an_invitee_whose_inviter_left_still_becomes_active(inviter, invitee):
    inviter.delete()
    _write(invitee, 5)
    assert InvitationRedemption.objects.get(invitee=invitee).activated_at is not None
    assert not ReputationEntry.objects.filter(reason=ReputationReason.INVITEE_ACTIVE).exists()


def test_the_hook_is_one_query_for_a_member_who_is_not_becoming_active(
    member, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert services.invitee_record_post(user_id=member.pk) is False


def test_calling_the_hook_again_changes_nothing(inviter, invitee):
    User.objects.filter(pk=invitee.pk).update(post_count=5)
    assert services.invitee_record_post(user_id=invitee.pk) is True
    assert services.invitee_record_post(user_id=invitee.pk) is False
    assert _inviter_entries(inviter).count() == 1
