"""Sign-up in each registration mode, bad codes, /join/ links and redeeming."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import permissions, selectors, services
from accounts.models import InvitationCode, InvitationRedemption, User
from tests.accounts.conftest import SIGNUP

pytestmark = pytest.mark.django_db


def _sign_up(client, **extra):
    return client.post(reverse("account_signup"), {**SIGNUP, **extra})


def _joined() -> bool:
    return User.objects.filter(username=SIGNUP["username"]).exists()


# Modes --------------------------------------------------------------------------


def test_open_mode_asks_for_no_code_and_lets_anyone_join(client, registration_mode):
    registration_mode("open")
    page = client.get(reverse("account_signup"))
    assert "invitation_code" not in page.context["form"].fields
    assert 'name="invitation_code"' not in page.content.decode()

    response = _sign_up(client)

    assert response.status_code == 302 and _joined()
    assert not InvitationRedemption.objects.exists()


def test_open_mode_ignores_a_posted_code_without_a_join_link(client, registration_mode, make_code):
    registration_mode("open")
    code = make_code()
    assert _sign_up(client, invitation_code=code.code).status_code == 302
    assert _joined() and not InvitationRedemption.objects.exists()


def test_open_mode_credits_the_inviter_of_a_join_link(
    client, registration_mode, make_code, inviter
):
    registration_mode("open")
    code = make_code()
    client.get(reverse("accounts:join", args=[code.code]))
    page = client.get(reverse("account_signup"))
    assert f'value="{code.code}"' in page.content.decode()

    assert _sign_up(client, invitation_code=code.code).status_code == 302

    redemption = InvitationRedemption.objects.get()
    assert redemption.inviter == inviter and redemption.invitee.username == "new_fan"


def test_open_with_code_offers_an_optional_field(client, registration_mode):
    registration_mode("open_with_code")
    field = client.get(reverse("account_signup")).context["form"].fields["invitation_code"]
    assert field.required is False

    assert _sign_up(client).status_code == 302
    assert _joined() and not InvitationRedemption.objects.exists()


def test_open_with_code_records_who_invited_whom(client, registration_mode, make_code, inviter):
    registration_mode("open_with_code")
    code = make_code()

    assert _sign_up(client, invitation_code=code.code).status_code == 302

    redemption = InvitationRedemption.objects.select_related("invitee").get()
    assert redemption.inviter_id == inviter.pk and redemption.code_id == code.pk
    assert redemption.invitee.username == "new_fan"
    code.refresh_from_db()
    assert code.uses == 1
    # The new member still confirms their email, as in every mode.
    assert mail.outbox[-1].to == ["new_fan@example.com"]


def test_invite_only_refuses_a_sign_up_without_code_and_keeps_the_rest(client, registration_mode):
    registration_mode("invite_only")

    response = _sign_up(client)

    assert response.status_code == 200 and not _joined()
    assert "invitation only" in str(response.context["form"].errors["invitation_code"])
    html = response.content.decode()
    assert 'value="new_fan"' in html and 'value="new_fan@example.com"' in html


def test_invite_only_admits_with_a_valid_code(client, registration_mode, make_code, inviter):
    registration_mode("invite_only")
    code = make_code()

    assert _sign_up(client, invitation_code=code.code).status_code == 302

    assert _joined()
    assert InvitationRedemption.objects.get().inviter == inviter


def test_codes_are_accepted_in_any_case_and_with_dashes(client, registration_mode, make_code):
    registration_mode("invite_only")
    code = make_code()
    typed = f" {code.code[:4].lower()}-{code.code[4:8]}-{code.code[8:]} "

    assert _sign_up(client, invitation_code=typed).status_code == 302
    assert InvitationRedemption.objects.get().code == code


def test_an_unknown_mode_fails_closed_to_invite_only(client, registration_mode):
    registration_mode("invite-only")  # a typo
    assert permissions.registration_mode() == permissions.INVITE_ONLY
    assert _sign_up(client).status_code == 200 and not _joined()


# Bad codes ----------------------------------------------------------------------


def _spoil(code: InvitationCode, how: str) -> str:
    """Make `code` unusable in one way; returns the code text to type."""
    if how == "unknown":
        return "NOSUCHCODE22"
    if how == "expired":
        code.expires_at = timezone.now() - timedelta(minutes=1)
    elif how == "used":
        code.uses = code.max_uses
    elif how == "revoked":
        code.revoked_at = timezone.now()
    code.save()
    return code.code


@pytest.mark.parametrize("mode", ["open_with_code", "invite_only"])
@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("unknown", "no invitation with this code"),
        ("expired", "expired on"),
        ("used", "already been used"),
        ("revoked", "withdrawn"),
    ],
)
def test_a_bad_code_is_a_clear_field_error_and_keeps_what_was_typed(
    client, registration_mode, make_code, mode, how, says
):
    registration_mode(mode)
    typed = _spoil(make_code(), how)

    response = _sign_up(client, invitation_code=typed)

    assert response.status_code == 200 and not _joined()
    errors = response.context["form"].errors
    assert list(errors) == ["invitation_code"]
    assert says in errors["invitation_code"][0]
    assert errors.as_data()["invitation_code"][0].code == how
    html = response.content.decode()
    assert 'value="new_fan"' in html
    assert 'value="new_fan@example.com"' in html
    assert f'value="{typed}"' in html
    assert not InvitationRedemption.objects.exists()


def test_a_code_used_up_between_check_and_save_leaves_no_account(
    client, registration_mode, make_code, monkeypatch
):
    """The form's early check passed, but another sign-up took the last use first."""
    registration_mode("invite_only")
    code = make_code()
    InvitationCode.objects.filter(pk=code.pk).update(uses=1)
    # Let the early check see the code as it was a moment before.
    monkeypatch.setattr(selectors, "invitation_check", lambda raw: code)

    response = _sign_up(client, invitation_code=code.code)

    assert response.status_code == 200
    assert "already been used" in response.context["form"].errors["invitation_code"][0]
    assert 'value="new_fan@example.com"' in response.content.decode()
    assert not _joined()
    assert not InvitationRedemption.objects.exists()
    assert mail.outbox == []


# Redeeming ----------------------------------------------------------------------


def test_a_code_admits_exactly_max_uses_people(make_code):
    code = make_code(max_uses=2)
    first, second, third = (User.objects.create_user(f"joiner{n}") for n in range(3))

    services.invitation_redeem(code=code.code, invitee=first)
    services.invitation_redeem(code=code.code, invitee=second)
    with pytest.raises(services.InvitationUnavailable) as refused:
        services.invitation_redeem(code=code.code, invitee=third)

    assert refused.value.reason == "used"
    code.refresh_from_db()
    assert code.uses == 2
    assert set(InvitationRedemption.objects.values_list("invitee_id", flat=True)) == {
        first.pk,
        second.pk,
    }


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_an_expired_or_revoked_code_admits_nobody(make_code, how):
    code = make_code(max_uses=3)
    _spoil(code, how)
    with pytest.raises(services.InvitationUnavailable) as refused:
        services.invitation_redeem(code=code.code, invitee=User.objects.create_user("late"))
    assert refused.value.reason == how
    code.refresh_from_db()
    assert code.uses == 0


def test_a_member_is_invited_only_once(make_code):
    from django.db import IntegrityError

    invitee = User.objects.create_user("joiner")
    services.invitation_redeem(code=make_code().code, invitee=invitee)
    other = make_code()
    with pytest.raises(IntegrityError):
        services.invitation_redeem(code=other.code, invitee=invitee)
    other.refresh_from_db()
    assert other.uses == 0  # the claim rolled back with the failed row


# /join/ links -------------------------------------------------------------------


def test_a_join_link_keeps_the_code_and_fills_in_the_sign_up_form(
    client, registration_mode, make_code, inviter
):
    registration_mode("invite_only")
    code = make_code()

    response = client.get(f"/join/{code.code}")

    assert response.status_code == 302 and response["Location"] == reverse("account_signup")
    page = client.get(response["Location"])
    assert page.context["form"]["invitation_code"].value() == code.code
    assert inviter.username in page.content.decode()  # "fanN invited you"

    assert _sign_up(client, invitation_code=code.code).status_code == 302
    assert InvitationRedemption.objects.get().code == code
    assert "invitation_code" not in client.session


def test_a_join_link_works_with_a_trailing_slash(client, make_code):
    code = make_code()
    assert client.get(f"/join/{code.code}/").status_code == 302
    assert client.session["invitation_code"] == code.code


@pytest.mark.parametrize(
    ("how", "status", "says"),
    [
        ("unknown", 404, "no invitation with this code"),
        ("expired", 410, "expired on"),
        ("used", 410, "already been used"),
        ("revoked", 410, "withdrawn"),
    ],
)
def test_a_bad_join_link_says_what_is_wrong(
    client, registration_mode, make_code, how, status, says
):
    registration_mode("invite_only")
    typed = _spoil(make_code(), how)

    response = client.get(reverse("accounts:join", args=[typed]))

    assert response.status_code == status
    html = response.content.decode()
    assert says in html and "by invitation only" in html
    assert "invitation_code" not in client.session


def test_a_bad_join_link_on_an_open_site_points_to_sign_up(client, registration_mode):
    registration_mode("open")
    response = client.get(reverse("accounts:join", args=["NOSUCHCODE22"]))
    assert response.status_code == 404
    assert reverse("account_signup") in response.content.decode()


def test_a_signed_in_member_following_a_join_link_goes_home(member_client, make_code):
    code = make_code()
    response = member_client.get(reverse("accounts:join", args=[code.code]))
    assert response.status_code == 302 and response["Location"] == reverse("forum:index")
    code.refresh_from_db()
    assert code.uses == 0
