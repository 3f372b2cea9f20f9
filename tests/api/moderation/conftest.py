"""Fixtures of the moderation and staff API tests: the moderation tests' world (boards A
and A2 in one section, B in another, a member of every role), a suspended member, and a
signed-in API client per role, signed in the app's way (a session token)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from forum.models import BoardModerator, Post, SectionModerator
from moderation import services
from moderation.models import Report, ReportCase, UserExport, Warning
from tests.api.conftest import suspend, token_client
from tests.factories import UserFactory
from tests.moderation.world import World, build_world, snapshot

# The roles of the pages' permission matrix, and who of them moderates board A.
ROLES = (
    "anonymous",
    "member",
    "suspended",
    "mod_a",
    "mod_b",
    "section_mod",
    "global_mod",
    "staff",
)
MODERATE_A = {"mod_a", "section_mod", "global_mod", "staff"}


@pytest.fixture
def world(db) -> World:
    world = build_world()
    world.suspended = suspend(UserFactory(username="suspended"))
    return world


def as_role(world: World, role: str) -> APIClient:
    if role == "anonymous":
        return APIClient()
    return token_client(getattr(world, role))


def everything() -> dict:
    """Every row a moderation or staff call could touch (the moderation tests' snapshot
    and the sanctions, roles, reports and exports), to prove a refusal changed nothing."""
    return {
        **snapshot(),
        "members": list(
            User.objects.order_by("pk").values(
                "pk",
                "suspended_until",
                "suspension_reason",
                "silenced_until",
                "silence_reason",
                "is_global_moderator",
                "is_core",
                "core_lock",
            )
        ),
        "warnings": list(Warning.objects.order_by("pk").values()),
        "board_moderators": list(BoardModerator.objects.order_by("pk").values()),
        "section_moderators": list(SectionModerator.objects.order_by("pk").values()),
        "cases": list(ReportCase.objects.order_by("pk").values()),
        "reports": list(Report.objects.order_by("pk").values()),
        "exports": list(UserExport.objects.order_by("pk").values()),
    }


def report(post, reporter=None, reason="spam", text="") -> Report:
    """A member's report of `post`, filed the way members file them."""
    post = Post.objects.select_related("thread__board").get(pk=post.pk)
    return services.report_create(
        post=post, reporter=reporter or UserFactory(), reason=reason, text=text
    )
