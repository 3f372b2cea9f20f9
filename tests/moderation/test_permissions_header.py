"""The header's links per role, from moderation.permissions (no template repeats a rule)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

QUEUES, LOG = reverse("moderation:reports"), reverse("moderation:log")
PROGRAMS, CONSOLE = reverse("moderation:programs"), reverse("moderation:console")
MODERATORS, ADMIN = reverse("moderation:moderators"), reverse("admin:index")
MOD_LINKS = {QUEUES, LOG, PROGRAMS, CONSOLE, MODERATORS, ADMIN}

EXPECTED = {
    "anonymous": set(),
    "member": set(),
    # Board and section moderators read their boards' log and work their queues.
    "mod_a": {QUEUES, LOG},
    "section_mod": {QUEUES, LOG},
    "global_mod": {QUEUES, LOG},
    "staff": {QUEUES, LOG, PROGRAMS, CONSOLE, MODERATORS, ADMIN},
}


def _header_links(client) -> set[str]:
    html = client.get(reverse("forum:index")).content.decode()
    nav = re.search(r'<nav class="user-nav">(.*?)</nav>', html, re.S).group(1)
    return set(re.findall(r'href="([^"]+)"', nav)) & MOD_LINKS


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_header_links_per_role(client, world, role):
    user = world.role(role)
    if user is not None:
        client.force_login(user)
    assert _header_links(client) == EXPECTED[role]


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_header_link_opens_for_its_role(client, world, role):
    """What the header shows is what the server lets the role open (no drift)."""
    user = world.role(role)
    if user is None:
        return
    client.force_login(user)
    for url in sorted(MOD_LINKS - {ADMIN}):
        status = client.get(url).status_code
        assert (status == 200) == (url in EXPECTED[role]), (role, url, status)


def test_a_suspended_moderator_gets_no_moderation_links(client, world):
    from datetime import timedelta

    from django.utils import timezone

    from moderation import services

    services.user_suspend(
        actor=world.staff,
        user=world.mod_a,
        until=timezone.now() + timedelta(days=1),
        reason="Cooling off",
    )
    client.force_login(world.mod_a)
    assert _header_links(client) == set()
