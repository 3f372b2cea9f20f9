"""Every page says what the browser may run and share: a Content-Security-Policy with
no inline script but the response's own nonce, a Permissions-Policy and a
Referrer-Policy. tests/browser checks a real browser reports no violation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import make_reply, make_thread

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in header.split(";"))
        if directive
    }


def _check(response):
    assert response.status_code == 200, response
    policy = _policy(response)
    scripts = policy["script-src"]
    assert "'self'" in scripts and "'unsafe-inline'" not in scripts
    assert "'unsafe-eval'" not in scripts and "*" not in scripts
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["default-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    nonces = {s.removeprefix("'nonce-").removesuffix("'") for s in scripts if "nonce-" in s}
    for attributes in SCRIPT.findall(html):
        if "src=" in attributes or "application/json" in attributes:
            continue
        found = re.search(r'nonce="([^"]+)"', attributes)
        assert found and found.group(1) in nonces, f"inline script without this nonce: {attributes}"
    assert not HANDLER.search(html), "an inline event handler"


@pytest.fixture
def pages(board, member, staff):
    thread = make_thread(board=board, author=member)
    make_reply(thread=thread)
    return {
        None: [
            reverse("forum:index"),
            board.get_absolute_url(),
            thread.get_absolute_url(),
            reverse("forum:search") + "?q=drain",
            reverse("accounts:members"),
            reverse("account_login"),
            reverse("account_signup"),
            member.get_absolute_url(),
        ],
        member: [
            reverse("forum:index"),
            thread.get_absolute_url(),
            reverse("forum:quote", args=[thread.pk, thread.posts.get(floor=2).pk]),
            reverse("forum:thread_create", args=[board.slug]),
            reverse("accounts:notifications"),
            reverse("accounts:profile_edit"),
            reverse("accounts:invitations"),
            reverse("accounts:programs"),
        ],
        staff: [
            reverse("moderation:console"),
            reverse("moderation:reports"),
            reverse("moderation:log"),
            reverse("admin:index"),
        ],
    }


def test_main_pages_send_the_policies(client, pages):
    for user, urls in pages.items():
        if user is not None:
            client.force_login(user)
        for url in urls:
            _check(client.get(url))


def test_a_cached_page_gets_a_policy_and_carries_no_inline_script(client, pages):
    for _ in range(2):  # the second answer comes from the page cache
        response = client.get(reverse("forum:index"))
        _check(response)
        assert "nonce-" not in response["Content-Security-Policy"]


def test_the_invitations_script_runs_under_its_nonce(client, member):
    client.force_login(member)
    response = client.get(reverse("accounts:invitations"))
    _check(response)
    assert "'nonce-" in response["Content-Security-Policy"]


def test_templates_hold_no_inline_handler_and_no_inline_script_without_the_nonce():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not HANDLER.search(text), f"{template}: an on*= handler; use static JS"
        for attributes in SCRIPT.findall(text):
            if "src=" in attributes or "application/json" in attributes:
                continue
            assert 'nonce="{{ request.csp_nonce }}"' in attributes, f"{template}: {attributes}"
