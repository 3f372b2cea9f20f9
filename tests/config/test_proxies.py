"""Behind the proxies the site trusts, each visitor is counted by their own address:
sign-in and sign-up limits, Popcorn's own and the audit log's IP alike."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.http import client_ip
from moderation.models import AuditLog
from tests.factories import UserFactory, make_thread

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every request reaches gunicorn from the proxy on the same host


def _request(remote=PROXY, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def _behind_proxy(address: str) -> Client:
    """A browser at `address`, reaching the site through one proxy (nginx's
    proxy_add_x_forwarded_for appends the address it was reached from)."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def test_without_trusted_proxies_forwarded_headers_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = _request(remote="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        # The client wrote the first entry itself; our one proxy appended the second.
        (1, "10.0.0.1, 203.0.113.5", "203.0.113.5"),
        (2, "10.0.0.1, 203.0.113.5, 172.16.0.2", "203.0.113.5"),
        (1, "203.0.113.5:51234", "203.0.113.5"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Too short for the proxies we trust, or not an address: the proxy's own.
        (2, "203.0.113.5", PROXY),
        (1, "", PROXY),
        (1, "abc, , 999.1.1.1,", PROXY),
    ],
)
def test_the_nth_forwarded_address_from_the_right_is_the_visitor(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_a_trusted_client_ip_header_wins_over_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = _request(HTTP_X_REAL_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_ip(request) == "203.0.113.9"
    assert client_ip(_request(HTTP_X_REAL_IP="nonsense")) == PROXY


def _fail_login(client, login):
    return client.post(reverse("account_login"), {"login": login, "password": "wrong"})


def test_eleven_failed_logins_behind_the_proxy_lock_out_only_that_visitor(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    victim = UserFactory()
    attacker = _behind_proxy("203.0.113.5")
    for n in range(10):
        assert _fail_login(attacker, f"nobody{n}").status_code == 200
    eleventh = _fail_login(attacker, "nobody-else")
    assert "Too many failed login attempts" in eleventh.content.decode()
    # Another visitor behind the same proxy signs in at once.
    other = _behind_proxy("198.51.100.7")
    response = other.post(
        reverse("account_login"), {"login": victim.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert int(other.session["_auth_user_id"]) == victim.pk


def test_sign_ups_behind_the_proxy_are_limited_per_visitor(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}

    def sign_up(client, name):
        return client.post(
            reverse("account_signup"),
            {
                "username": name,
                "email": f"{name}@example.com",
                "password1": "flash-the-rom-2026",
                "password2": "flash-the-rom-2026",
            },
        )

    busy = _behind_proxy("203.0.113.5")
    assert sign_up(busy, "first").status_code == 302
    assert sign_up(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5"), "second")
    assert sign_up(_behind_proxy("203.0.113.5"), "third").status_code == 429
    assert sign_up(_behind_proxy("198.51.100.7"), "fourth").status_code == 302


def test_the_audit_log_records_the_visitors_address_not_the_proxys(settings, staff):
    settings.TRUSTED_PROXY_COUNT = 1
    thread = make_thread()
    client = _behind_proxy("203.0.113.5")
    client.force_login(staff)
    client.post(reverse("moderation:thread_action", args=[thread.pk, "lock"]))
    assert AuditLog.objects.get().ip == "203.0.113.5"
