"""Watched words and bans over the API: global moderators and staff only (401 anonymous,
403 every other role, nothing changed), each write the console's audited service with
its field errors as a 400, and the change applying at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import BannedEmailDomain, BannedNetwork, WatchedWord
from forum.models import Post
from moderation import services
from moderation.models import AuditLog
from tests.api.moderation.conftest import ROLES, as_role
from tests.factories import run_after_commit

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation"
KEEPERS = {"global_mod", "staff"}


def rows(world):
    word = run_after_commit(
        lambda: services.watched_word_create(
            actor=world.staff, pattern="代购", kind="word", action="block"
        )
    )
    network = run_after_commit(
        lambda: services.banned_network_create(
            actor=world.staff, network="192.0.2.0/24", reason="farm"
        )
    )
    domain = run_after_commit(
        lambda: services.banned_domain_create(actor=world.staff, domain="bad.test", reason="bots")
    )
    return word, network, domain


def state():
    return (
        list(WatchedWord.objects.order_by("pk").values()),
        list(BannedNetwork.objects.order_by("pk").values()),
        list(BannedEmailDomain.objects.order_by("pk").values()),
        AuditLog.objects.count(),
    )


def calls(word, network, domain):
    return [
        ("get", f"{API}/watched-words/", None),
        ("post", f"{API}/watched-words/", {"pattern": "新词", "action": "flag"}),
        ("get", f"{API}/watched-words/{word.pk}/", None),
        ("patch", f"{API}/watched-words/{word.pk}/", {"action": "replace"}),
        ("delete", f"{API}/watched-words/{word.pk}/", None),
        ("get", f"{API}/banned-networks/", None),
        ("post", f"{API}/banned-networks/", {"network": "198.51.100.0/24", "reason": "x"}),
        ("get", f"{API}/banned-networks/{network.pk}/", None),
        ("patch", f"{API}/banned-networks/{network.pk}/", {"reason": "changed"}),
        ("delete", f"{API}/banned-networks/{network.pk}/", None),
        ("get", f"{API}/banned-domains/", None),
        ("post", f"{API}/banned-domains/", {"domain": "worse.test", "reason": "x"}),
        ("get", f"{API}/banned-domains/{domain.pk}/", None),
        ("patch", f"{API}/banned-domains/{domain.pk}/", {"reason": "changed"}),
        ("delete", f"{API}/banned-domains/{domain.pk}/", None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_by_role(world, role):
    word, network, domain = rows(world)
    api = as_role(world, role)
    before = state()
    for method, url, data in calls(word, network, domain):
        response = getattr(api, method)(url, data, format="json")
        if role == "anonymous":
            assert response.status_code == 401, (method, url)
        elif role not in KEEPERS:
            assert response.status_code == 403, (method, url)
            assert "global moderators and staff" in response.json()["detail"]
        else:
            expected = {"get": 200, "post": 201, "patch": 200, "delete": 204}[method]
            assert response.status_code == expected, (method, url, response.content)
    if role not in KEEPERS:
        assert state() == before
    else:
        assert not WatchedWord.objects.filter(pk=word.pk).exists()
        assert WatchedWord.objects.get().pattern == "新词"
        assert list(BannedNetwork.objects.values_list("network", flat=True)) == ["198.51.100.0/24"]
        assert list(BannedEmailDomain.objects.values_list("domain", flat=True)) == ["worse.test"]
        actions = set(
            AuditLog.objects.filter(
                actor=world.role(role), target_type__in=["word", "net_ban", "domain_ban"]
            ).values_list("action", flat=True)
        )
        assert actions == {
            "watched_word_add",
            "watched_word_change",
            "watched_word_delete",
            "ban_add",
            "ban_change",
            "ban_delete",
        }


def test_field_errors_are_a_400_naming_the_field(world):
    api = as_role(world, "staff")
    for url, data, field in (
        ("watched-words/", {"pattern": "(a+)+", "kind": "regex", "action": "block"}, "pattern"),
        ("watched-words/", {"pattern": "[x", "kind": "regex", "action": "block"}, "pattern"),
        ("watched-words/", {"pattern": "x", "action": "explode"}, "action"),
        ("banned-networks/", {"network": "10.0.0.0/4", "reason": "x"}, "network"),
        ("banned-networks/", {"network": "nowhere", "reason": "x"}, "network"),
        ("banned-domains/", {"domain": "no_dot", "reason": "x"}, "domain"),
        (
            "banned-domains/",
            {"domain": "ok.test", "reason": "x", "expires_at": "2001-01-01T00:00:00Z"},
            "expires_at",
        ),
    ):
        response = api.post(f"{API}/{url}", data, format="json")
        assert response.status_code == 400, (url, data)
        assert field in response.json()["errors"], (url, data, response.json())
    assert not WatchedWord.objects.exists() and not BannedNetwork.objects.exists()
    assert not BannedEmailDomain.objects.exists()


def test_a_word_added_over_the_api_applies_at_once(world):
    api = as_role(world, "global_mod")
    response = run_after_commit(
        lambda: api.post(
            f"{API}/watched-words/", {"pattern": "刷机包", "action": "replace"}, format="json"
        )
    )
    assert response.status_code == 201 and response.json()["action"] == "replace"
    member = as_role(world, "member")
    reply = run_after_commit(
        lambda: member.post(
            f"/api/v1/threads/{world.thread.pk}/posts/", {"body": "求刷机包"}, format="json"
        )
    )
    assert reply.status_code == 201, reply.content
    assert Post.objects.filter(thread=world.thread).order_by("-floor").first().source == "求***"


def test_a_ban_lists_its_expiry_and_whether_it_is_in_force(world):
    api = as_role(world, "staff")
    soon = timezone.now() + timedelta(days=1)
    created = api.post(
        f"{API}/banned-networks/",
        {"network": "203.0.113.7", "reason": "one box", "expires_at": soon.isoformat()},
        format="json",
    ).json()
    assert created["network"] == "203.0.113.7/32" and created["in_force"] is True
    BannedNetwork.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    listed = api.get(f"{API}/banned-networks/").json()["results"]
    assert [(r["network"], r["in_force"]) for r in listed] == [("203.0.113.7/32", False)]
