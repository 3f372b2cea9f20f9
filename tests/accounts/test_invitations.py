"""Creating codes within the quota, revoking, emailing, and the member's invitations page."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import permissions, selectors, services
from accounts.levels import threshold_of
from accounts.models import InvitationCode, InvitationRedemption, User
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:invitations")


def _codes_of(user) -> int:
    return InvitationCode.objects.filter(creator=user).count()


# Who may create codes ----------------------------------------------------------


def test_a_member_below_the_level_may_not_create_codes():
    member = UserFactory(reputation=threshold_of("active") - 1)
    with pytest.raises(PermissionDenied, match="Active level"):
        services.invitation_create(creator=member)
    assert _codes_of(member) == 0


def test_the_minimum_level_is_a_setting(settings):
    settings.POPCORN = {
        **settings.POPCORN,
        "INVITATIONS": {**settings.POPCORN["INVITATIONS"], "MIN_LEVEL": "member"},
    }
    member = UserFactory(reputation=threshold_of("member"))
    assert permissions.invite_denied_reason(member) is None
    assert services.invitation_create(creator=member).creator == member


def test_the_level_is_read_fresh_when_creating(inviter):
    # The page loaded the member at Active; they lost reputation since.
    User.objects.filter(pk=inviter.pk).update(reputation=0)
    with pytest.raises(PermissionDenied):
        services.invitation_create(creator=inviter)


def test_a_suspended_member_may_not_create_codes(inviter):
    inviter.suspended_until = timezone.now() + timedelta(days=1)
    inviter.save()
    with pytest.raises(PermissionDenied, match="restricted"):
        services.invitation_create(creator=inviter)


def test_staff_may_create_codes_at_any_reputation_and_without_quota():
    staff = StaffFactory(reputation=0)
    for _ in range(8):
        services.invitation_create(creator=staff, max_uses=100)
    assert _codes_of(staff) == 8
    assert selectors.monthly_quota(staff) is None


# Quota --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "quota"),
    [("newcomer", 0), ("member", 0), ("active", 5), ("senior", 20), ("core", 50), ("legend", 100)],
)
def test_the_monthly_quota_follows_the_level(level, quota):
    assert selectors.monthly_quota(UserFactory(reputation=threshold_of(level))) == quota


def test_a_level_missing_from_the_quota_table_inherits_the_one_below(settings):
    settings.POPCORN = {
        **settings.POPCORN,
        "INVITATIONS": {**settings.POPCORN["INVITATIONS"], "MONTHLY_QUOTA": {"active": 3}},
    }
    assert selectors.monthly_quota(UserFactory(reputation=threshold_of("legend"))) == 3


def test_an_active_member_invites_five_people_a_month(inviter, make_code):
    make_code(max_uses=3)
    make_code()
    make_code()
    with pytest.raises(ValidationError) as refused:
        make_code()
    assert "0 more people this month" in refused.value.message_dict["max_uses"][0]
    assert _codes_of(inviter) == 3
    assert selectors.quota_left(inviter) == 0


def test_a_code_for_more_people_than_the_quota_left_is_refused(inviter, make_code):
    make_code(max_uses=4)
    with pytest.raises(ValidationError, match="1 more person this month"):
        make_code(max_uses=2)
    assert make_code(max_uses=1).max_uses == 1


def test_a_senior_member_has_a_larger_quota(make_code):
    senior = UserFactory(reputation=threshold_of("senior"))
    make_code(creator=senior, max_uses=20)
    with pytest.raises(ValidationError):
        make_code(creator=senior)


def test_codes_from_last_month_do_not_count(inviter, make_code):
    old = make_code(max_uses=5)
    InvitationCode.objects.filter(pk=old.pk).update(
        created_at=selectors.month_start() - timedelta(seconds=1)
    )
    assert selectors.quota_left(inviter) == 5
    make_code(max_uses=5)
    assert selectors.quota_left(inviter) == 0


def test_the_month_starts_at_midnight_in_the_site_time_zone(inviter, make_code, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    code = make_code(max_uses=2)
    shanghai = timezone.get_current_timezone()
    first_of_march = timezone.make_aware(datetime(2026, 3, 1, 0, 30), shanghai)
    # 00:30 on 1 March in Shanghai is still 28 February in UTC: it counts for March.
    InvitationCode.objects.filter(pk=code.pk).update(created_at=first_of_march)
    in_march = first_of_march + timedelta(days=3)
    assert selectors.month_start(in_march) == first_of_march - timedelta(minutes=30)
    assert selectors.quota_used(inviter.pk, now=in_march) == 2
    assert selectors.quota_used(inviter.pk, now=first_of_march + timedelta(days=31)) == 0


def test_revoking_gives_back_the_unused_places(inviter, make_code):
    code = make_code(max_uses=5)
    services.invitation_redeem(code=code.code, invitee=UserFactory())
    services.invitation_revoke(code=code, actor=inviter)
    assert selectors.quota_used(inviter.pk) == 1
    assert selectors.quota_left(inviter) == 4


def test_the_quota_is_counted_in_one_query(inviter, make_code, django_assert_num_queries):
    for _ in range(3):
        make_code()
    with django_assert_num_queries(1):
        assert selectors.quota_used(inviter.pk) == 3


# Uses and expiry ----------------------------------------------------------------


def test_a_code_is_single_use_and_lasts_thirty_days_by_default(make_code):
    before = timezone.now()
    code = make_code()
    assert code.max_uses == 1 and code.uses == 0
    assert before + timedelta(days=30) <= code.expires_at <= timezone.now() + timedelta(days=30)
    assert re.fullmatch(r"[A-Z2-9]{12}", code.code)
    assert code.creator_name == code.creator.username


def test_the_default_expiry_is_a_setting(settings, make_code):
    settings.POPCORN = {
        **settings.POPCORN,
        "INVITATIONS": {**settings.POPCORN["INVITATIONS"], "EXPIRY_DAYS": 7},
    }
    code = make_code()
    assert timedelta(days=6) < code.expires_at - timezone.now() <= timedelta(days=7)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 21}, "max_uses"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 91}, "expires_in_days"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_out_of_range_uses_expiry_or_email_are_field_errors(inviter, make_code, kwargs, field):
    with pytest.raises(ValidationError) as refused:
        make_code(**kwargs)
    assert list(refused.value.message_dict) == [field]
    assert _codes_of(inviter) == 0


def test_codes_are_unique():
    staff = StaffFactory()
    codes = {services.invitation_create(creator=staff).code for _ in range(50)}
    assert len(codes) == 50


# Revoking ------------------------------------------------------------------------


def test_only_the_creator_or_staff_revoke_a_code(make_code, member, staff):
    code = make_code()
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(code=code, actor=member)
    assert services.invitation_revoke(code=code, actor=staff) is True
    assert services.invitation_revoke(code=code, actor=staff) is False
    code.refresh_from_db()
    assert code.status == "revoked"


def test_revoking_keeps_the_members_already_admitted(inviter, make_code):
    code = make_code(max_uses=2)
    joined = UserFactory()
    services.invitation_redeem(code=code.code, invitee=joined)
    services.invitation_revoke(code=code, actor=inviter)
    assert InvitationRedemption.objects.get().invitee == joined
    with pytest.raises(services.InvitationUnavailable):
        services.invitation_redeem(code=code.code, invitee=UserFactory())


# Email --------------------------------------------------------------------------


def _join_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/join/[A-Z2-9]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_code_emailed_on_creation_goes_out_after_commit(
    inviter, make_code, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        code = make_code(email="friend@example.com")
    assert mail.outbox == []  # nothing leaves before the code is committed
    for callback in callbacks:
        callback()

    [message] = mail.outbox
    assert message.to == ["friend@example.com"]
    assert inviter.username in message.subject
    assert _join_link(message) == f"/join/{code.code}"
    code.refresh_from_db()
    assert code.sent_to == "friend@example.com" and code.sent_at is not None


def test_the_emailed_link_leads_to_a_prefilled_sign_up(
    client, make_code, registration_mode, django_capture_on_commit_callbacks
):
    registration_mode("invite_only")
    with django_capture_on_commit_callbacks(execute=True):
        code = make_code(email="friend@example.com")
    response = client.get(_join_link(mail.outbox[0]), follow=True)
    assert response.context["form"]["invitation_code"].value() == code.code


def test_a_member_sends_a_code_from_the_page(
    client, inviter, make_code, django_capture_on_commit_callbacks
):
    code = make_code()
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_send", args=[code.pk]), {"email": "pal@example.com"}
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["pal@example.com"] and code.code in message.body


def test_a_code_is_not_emailed_again_within_the_hour(
    client, inviter, make_code, django_capture_on_commit_callbacks
):
    code = make_code(email="pal@example.com")
    client.force_login(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_send", args=[code.pk]), {"email": "other@example.com"}
        )
    assert response.status_code == 400
    assert "again later" in response.content.decode()
    assert 'value="other@example.com"' in response.content.decode()
    assert mail.outbox == []

    InvitationCode.objects.filter(pk=code.pk).update(sent_at=timezone.now() - timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_send", args=[code.pk]), {"email": "other@example.com"}
        )
    assert [m.to for m in mail.outbox] == [["other@example.com"]]


def test_sending_to_a_bad_address_is_a_clear_error(client, inviter, make_code):
    code = make_code()
    client.force_login(inviter)
    response = client.post(reverse("accounts:invitation_send", args=[code.pk]), {"email": "nope"})
    assert response.status_code == 400
    assert "valid email address" in response.content.decode()
    code.refresh_from_db()
    assert code.sent_to == ""


def test_a_revoked_code_cannot_be_sent(client, inviter, make_code):
    code = make_code()
    services.invitation_revoke(code=code, actor=inviter)
    client.force_login(inviter)
    response = client.post(
        reverse("accounts:invitation_send", args=[code.pk]), {"email": "pal@example.com"}
    )
    assert response.status_code == 400
    assert f"Code {code.code} was not sent: This invitation was withdrawn" in (
        response.content.decode()
    )
    assert mail.outbox == []


def test_a_member_cannot_send_or_revoke_someone_elses_code(client, make_code, member):
    code = make_code()
    client.force_login(member)
    send = client.post(
        reverse("accounts:invitation_send", args=[code.pk]), {"email": "pal@example.com"}
    )
    revoke = client.post(reverse("accounts:invitation_revoke", args=[code.pk]))
    assert send.status_code == 404 and revoke.status_code == 404
    code.refresh_from_db()
    assert code.revoked_at is None and code.sent_to == ""


def test_an_email_queued_for_a_code_revoked_since_is_not_sent(inviter, make_code):
    from accounts.tasks import send_invitation_email

    code = make_code(email="pal@example.com")  # on_commit never runs in this test
    services.invitation_revoke(code=code, actor=inviter)
    assert send_invitation_email.delay(code.pk).get() == 0
    assert mail.outbox == []


# The page -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "accounts:invitations", []),
        ("post", "accounts:invitations", []),
        ("post", "accounts:invitation_send", [1]),
        ("post", "accounts:invitation_revoke", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, method, name, args):
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_member_below_the_level_sees_why_and_cannot_create(client):
    member = UserFactory(reputation=10)
    client.force_login(member)

    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Invitations open at the Active level (200 reputation); you have 10." in (
        page.content.decode()
    )
    assert "Create code" not in page.content.decode()

    refused = client.post(PAGE, {"max_uses": 1, "expires_in_days": 30})
    assert refused.status_code == 403
    assert "Invitations open at the Active level" in refused.content.decode()
    assert _codes_of(member) == 0


def test_a_moderator_below_the_level_is_refused_too(client):
    moderator = UserFactory(reputation=0, is_global_moderator=True)
    client.force_login(moderator)
    assert client.post(PAGE, {"max_uses": 1, "expires_in_days": 30}).status_code == 403
    assert _codes_of(moderator) == 0


def test_an_active_member_creates_a_code_and_sees_its_link_and_quota(client, inviter):
    client.force_login(inviter)

    response = client.post(PAGE, {"max_uses": 2, "expires_in_days": 7, "email": ""})

    assert response.status_code == 302
    code = InvitationCode.objects.get(creator=inviter)
    assert code.max_uses == 2
    assert timedelta(days=6) < code.expires_at - timezone.now() <= timedelta(days=7)
    html = client.get(PAGE).content.decode()
    assert f'value="http://testserver/join/{code.code}"' in html
    assert "Copy link" in html
    assert "You can invite 3 more people this month (5 a month at your level)." in html


def test_staff_create_codes_from_the_page_without_limit(client, staff):
    client.force_login(staff)
    response = client.post(PAGE, {"max_uses": 500, "expires_in_days": 30})
    assert response.status_code == 302
    assert InvitationCode.objects.get(creator=staff).max_uses == 500
    assert "without a monthly limit" in client.get(PAGE).content.decode()


def test_over_quota_on_the_page_is_a_field_error(client, inviter, make_code):
    make_code(max_uses=5)
    client.force_login(inviter)
    response = client.post(PAGE, {"max_uses": 1, "expires_in_days": 30})
    assert response.status_code == 200
    assert "0 more people this month" in str(response.context["form"].errors["max_uses"])
    assert _codes_of(inviter) == 1


def test_bad_numbers_on_the_page_are_field_errors(client, inviter):
    client.force_login(inviter)
    response = client.post(PAGE, {"max_uses": 99, "expires_in_days": "soon"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"max_uses", "expires_in_days"}
    assert _codes_of(inviter) == 0


def test_a_member_revokes_a_code_from_the_page(client, inviter, make_code):
    code = make_code()
    client.force_login(inviter)
    assert client.post(reverse("accounts:invitation_revoke", args=[code.pk])).status_code == 302
    code.refresh_from_db()
    assert code.revoked_at is not None
    assert client.get(reverse("accounts:invitation_revoke", args=[code.pk])).status_code == 405


def test_the_page_lists_invitees_and_who_became_active(client, inviter, make_code):
    code = make_code(max_uses=3)
    keen, quiet, late = UserFactory(), UserFactory(), UserFactory()
    for invitee in (keen, quiet, late):
        services.invitation_redeem(code=code.code, invitee=invitee)
    InvitationRedemption.objects.filter(invitee=keen).update(activated_at=timezone.now())
    InvitationRedemption.objects.filter(invitee=late).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    client.force_login(inviter)

    html = client.get(PAGE).content.decode()

    assert "3 people joined with your invitations, 1 became active" in html
    rows = re.findall(r'<tr class="invitee-(\w+)">\s*<td><a href="[^"]+">(\w+)</a>', html)
    assert sorted(rows) == sorted(
        [("active", keen.username), ("pending", quiet.username), ("pending", late.username)]
    )
    assert "not yet: 5 posts needed by" in html
    assert "did not become active in time" in html


def _fill(user, *, size: int) -> None:
    """`size` single-use codes, each taken by an invitee; every other one active."""
    for n in range(size):
        code = services.invitation_create(creator=user)
        invitee = UserFactory()
        services.invitation_redeem(code=code.code, invitee=invitee)
        if n % 2:
            InvitationRedemption.objects.filter(invitee=invitee).update(activated_at=timezone.now())


# Session, user, the header's moderation reach, quota sum, codes COUNT + page,
# invitee totals + page.
INVITATIONS_PAGE = 8


@pytest.mark.parametrize("size", [1, 45])
def test_the_invitations_page_query_count_does_not_grow(client, django_assert_num_queries, size):
    member = UserFactory(reputation=threshold_of("legend"))
    _fill(member, size=size)
    client.force_login(member)
    with django_assert_num_queries(INVITATIONS_PAGE):
        response = client.get(PAGE)
    assert response.status_code == 200
    with django_assert_num_queries(INVITATIONS_PAGE):
        assert client.get(PAGE, {"codes": 3, "invitees": 2}).status_code == 200


def test_the_page_paginates_codes_and_invitees(client):
    member = UserFactory(reputation=threshold_of("legend"))
    _fill(member, size=25)
    client.force_login(member)
    html = client.get(PAGE).content.decode()
    assert html.count('<tr class="code-') == 20
    assert html.count('<tr class="invitee-') == 20
    second = client.get(PAGE, {"codes": 2, "invitees": 2}).content.decode()
    assert second.count('<tr class="code-') == 5
    assert second.count('<tr class="invitee-') == 5


# Admin ------------------------------------------------------------------------------


def test_staff_browse_invitations_in_the_admin_and_revoke_there(client, make_code):
    admin_user = StaffFactory(is_superuser=True)
    code = make_code()
    services.invitation_redeem(code=code.code, invitee=UserFactory())
    client.force_login(admin_user)

    assert client.get(reverse("admin:accounts_invitationcode_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_invitationredemption_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_invitationcode_add")).status_code == 403

    response = client.post(
        reverse("admin:accounts_invitationcode_changelist"),
        {"action": "revoke", "_selected_action": [code.pk]},
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.revoked_at is not None


def test_only_staff_revoke_many_codes(make_code, member):
    code = make_code()
    with pytest.raises(PermissionDenied):
        services.invitation_revoke_many(code_ids=[code.pk], actor=member)
