"""The reader's language: a member's setting (from their browser at sign-up, on the
profile page), Accept-Language for visitors, and the footer's switch."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import User
from tests.catalogue import zh_catalogue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:set_language")
ZH = {"Members": "成员", "Language": "语言", "Your profile has been saved.": "资料已保存。"}


@pytest.fixture
def chinese(settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)


def _signup(client, username, **headers):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": f"{username}@example.com",
            "password1": "flash-the-rom-2026",
            "password2": "flash-the-rom-2026",
        },
        **headers,
    )


# Visitors ----------------------------------------------------------------------


def test_a_visitor_reads_in_the_language_their_browser_asks_for(client, chinese):
    zh = client.get(reverse("forum:index"), headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert zh["Content-Language"] == "zh-hans" and '<html lang="zh-hans">' in zh.content.decode()
    assert "成员" in zh.content.decode()
    en = client.get(reverse("forum:index"), headers={"accept-language": "en-US,en;q=0.8"})
    assert en["Content-Language"] == "en" and "成员" not in en.content.decode()
    assert ">Members<" in en.content.decode()


def test_the_footer_switch_sets_a_visitors_language_without_a_csrf_token(chinese):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("forum:index"), headers={"accept-language": "en"}).content.decode()
    assert f'action="{SWITCH}"' in page and 'name="language" value="zh-hans"' in page
    assert "csrfmiddlewaretoken" not in page  # the cached, shared page has no per-visitor token

    response = client.post(SWITCH, {"language": "zh-hans", "next": "/members/"})
    assert response.status_code == 302 and response["Location"] == "/members/"
    again = client.get(reverse("forum:index"), headers={"accept-language": "en"})
    assert again["Content-Language"] == "zh-hans"  # the cookie wins over the browser


def test_the_switch_refuses_a_language_we_do_not_offer_and_an_outside_next(client):
    response = client.post(SWITCH, {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get(SWITCH).status_code == 405


# Members -----------------------------------------------------------------------


def test_sign_up_keeps_the_language_the_browser_asked_for(client):
    _signup(client, "zh_fan", headers={"accept-language": "zh-CN,zh;q=0.9,en;q=0.5"})
    _signup(Client(), "en_fan", headers={"accept-language": "en-GB"})
    _signup(Client(), "xx_fan", headers={"accept-language": "tlh"})  # none we have
    languages = dict(User.objects.values_list("username", "language"))
    assert languages == {"zh_fan": "zh-hans", "en_fan": "en", "xx_fan": "en"}


def test_a_member_reads_in_their_setting_whatever_the_browser_asks(client, chinese):
    member = UserFactory(language="zh-hans")
    client.force_login(member)
    page = client.get(reverse("forum:index"), headers={"accept-language": "en"})
    assert page["Content-Language"] == "zh-hans" and "成员" in page.content.decode()

    never_chose = UserFactory(language="")
    client.force_login(never_chose)
    page = client.get(reverse("forum:index"), headers={"accept-language": "zh-CN"})
    assert page["Content-Language"] == "zh-hans"  # blank: the browser decides


def test_the_member_language_costs_no_query(client, django_assert_num_queries):
    member = UserFactory(language="en")
    client.force_login(member)
    url = reverse("accounts:notifications")
    client.get(url, headers={"accept-language": "zh-CN"})  # warm up
    with django_assert_num_queries(4):
        # The session, the user (its language comes with it), the page's COUNT and rows.
        page = client.get(url, headers={"accept-language": "zh-CN"})
    assert page["Content-Language"] == "en"


def test_the_profile_page_shows_and_saves_the_language(client, chinese):
    member = UserFactory(language="")
    client.force_login(member)
    form = client.get(reverse("accounts:profile_edit"), headers={"accept-language": "zh-CN"})
    assert form.context["form"]["language"].value() == "zh-hans"  # what the browser asks
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "", "signature": "", "language": "zh-hans"},
        headers={"accept-language": "en"},
        follow=True,
    )
    member.refresh_from_db()
    assert member.language == "zh-hans"
    assert "资料已保存。" in response.content.decode()  # said in the language just chosen

    bad = client.post(
        reverse("accounts:profile_edit"), {"display_name": "", "signature": "", "language": "xx"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors["language"]


def test_the_footer_switch_saves_a_members_setting_with_csrf_checked():
    member = UserFactory(language="en")
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post(SWITCH, {"language": "zh-hans"}).status_code == 403
    member.refresh_from_db()
    assert member.language == "en"

    page = client.get(reverse("forum:index")).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        SWITCH, {"language": "zh-hans", "next": "/members/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "zh-hans"


def test_profile_update_takes_the_language_and_refuses_others(member):
    services.profile_update(user=member, display_name="", signature="", language="zh-hans")
    assert User.objects.get(pk=member.pk).language == "zh-hans"
    services.profile_update(user=member, display_name="x", signature="")  # None keeps it
    assert User.objects.get(pk=member.pk).language == "zh-hans"
    with pytest.raises(ValidationError):
        services.profile_update(user=member, display_name="", signature="", language="fr")
    assert services.language_update(user=member, language="en") is True
    assert services.language_update(user=member, language="en") is False
