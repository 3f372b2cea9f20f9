"""A member's moderation over the API: their state and the caller's powers, their history
in cursor pages, and sanctions that follow the pages' rules and write the pages' rows."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from moderation import services
from moderation.models import AuditLog, Warning
from tests.api.conftest import token_client
from tests.api.moderation.conftest import ROLES, as_role, everything, report
from tests.factories import UserFactory, bulk_replies, make_thread

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation/members"
BOARD_POWERS = ["lift_silence", "silence", "warn"]
EVERY_POWER = ["lift_silence", "lift_suspension", "silence", "suspend", "warn"]


def _member(member, part: str = "") -> str:
    return f"{API}/{member.username}/{part + '/' if part else ''}"


# The member's state and the caller's powers ---------------------------------------------


@pytest.mark.parametrize(
    ("role", "board", "powers"),
    [
        ("mod_a", "a", BOARD_POWERS),
        ("mod_a", None, []),  # board moderators act from a board
        ("mod_a", "b", []),  # not one of theirs
        ("section_mod", "a2", BOARD_POWERS),
        ("mod_b", "a", []),
        ("global_mod", None, EVERY_POWER),
        ("staff", None, EVERY_POWER),
    ],
)
def test_a_moderator_sees_the_member_and_what_they_may_do(world, role, board, powers):
    boards = {"a": world.board_a, "a2": world.board_a2, "b": world.board_b}
    params = {"board": boards[board].slug} if board else {}
    response = token_client(getattr(world, role)).get(_member(world.member), params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == "member" and body["powers"] == powers
    assert body["board"] == (boards[board].slug if board else None)
    assert body["is_suspended"] is False and body["suspended_until"] is None
    assert body["reports_filed"] == {"total": 0, "upheld": 0, "dismissed": 0}


@pytest.mark.parametrize("role", ["anonymous", "member", "suspended"])
def test_the_member_page_is_for_moderators(world, role):
    api = as_role(world, role)
    for part in ("", "sanctions", "actions", "reports"):
        response = api.get(_member(world.author, part))
        assert response.status_code == (401 if role == "anonymous" else 403), part
        if role != "anonymous":
            assert response.json()["detail"] == "This page is for moderators."


def test_unknown_members_and_boards_are_404(world):
    api = token_client(world.staff)
    assert api.get(f"{API}/nobody/").status_code == 404
    assert api.get(_member(world.member), {"board": "no-such-board"}).status_code == 404
    assert api.post(f"{API}/nobody/warn/", {"reason": "x"}, format="json").status_code == 404


def test_a_sanctioned_members_state_is_shown(world):
    services.user_silence(
        actor=world.staff,
        user=world.member,
        until=timezone.now() + timedelta(days=2),
        reason="Flaming",
    )
    services.user_warn(actor=world.staff, user=world.member, reason="Off-topic")
    body = token_client(world.staff).get(_member(world.member)).json()
    assert body["is_silenced"] is True and body["silence_reason"] == "Flaming"
    assert body["silenced_until"].endswith("+08:00") or "T" in body["silenced_until"]
    assert body["recent_warnings"] == 1


# Sanctions ------------------------------------------------------------------------------

# action: (body, who may from board A, audit action, what is true afterwards)
SANCTIONS = {
    "warn": (
        {"reason": "Off-topic"},
        {"mod_a", "section_mod", "global_mod", "staff"},
        "user_warn",
        lambda member: Warning.objects.filter(user=member).exists(),
    ),
    "silence": (
        {"reason": "Flaming", "hours": 24},
        {"mod_a", "section_mod", "global_mod", "staff"},
        "user_silence",
        lambda member: User.objects.get(pk=member.pk).is_silenced,
    ),
    "suspend": (
        {"reason": "Spam", "hours": 0},
        {"global_mod", "staff"},
        "user_suspend",
        lambda member: User.objects.get(pk=member.pk).is_suspended_permanently,
    ),
}


@pytest.mark.parametrize("action", list(SANCTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_sanction_matrix(world, role, action):
    body, allowed, audit_action, done = SANCTIONS[action]
    api = as_role(world, role)
    before = everything()
    response = api.post(
        _member(world.member, action), {**body, "board": world.board_a.slug}, format="json"
    )
    if role in allowed:
        assert response.status_code == 200, response.content
        assert done(world.member)
        row = AuditLog.objects.get(action=audit_action)
        assert (row.actor, row.target_id, row.board_id) == (
            getattr(world, role),
            world.member.pk,
            world.board_a.pk,
        )
        history = api.get(_member(world.member, "sanctions")).json()["results"]
        assert history[0]["action"] == audit_action
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.content
        assert everything() == before


def test_a_board_moderator_acting_from_another_board_gets_403_and_nothing_changes(world):
    api = token_client(world.mod_a)
    before = everything()
    for action, body in [
        ("warn", {"reason": "Off-topic"}),
        ("silence", {"reason": "Flaming", "hours": 24}),
        ("lift-silence", {}),
    ]:
        for board in (world.board_b.slug, None):
            data = {**body, **({"board": board} if board else {})}
            response = api.post(_member(world.member, action), data, format="json")
            assert response.status_code == 403, (action, board)
            assert response.json()["detail"] == "You may not do this to this member."
    assert everything() == before


def test_nobody_sanctions_staff_peers_or_themselves(world):
    before = everything()
    assert (
        token_client(world.global_mod)
        .post(_member(world.staff, "warn"), {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        token_client(world.staff)
        .post(_member(world.staff, "warn"), {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        token_client(world.mod_a)
        .post(
            _member(world.mod_b, "warn"),
            {"reason": "x", "board": world.board_a.slug},
            format="json",
        )
        .status_code
        == 403
    )
    assert everything() == before


def test_board_moderators_silence_for_at_most_the_cap(world):
    before = everything()
    response = token_client(world.mod_a).post(
        _member(world.member, "silence"),
        {"reason": "Flaming", "hours": 30 * 24, "board": world.board_a.slug},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["until"] == ["Board moderators silence for at most 7 days."]
    assert everything() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("warn", {}, "reason"),
        ("warn", {"reason": "   "}, "reason"),
        ("silence", {"reason": "x", "hours": 5}, "hours"),
        ("suspend", {"reason": "x"}, "hours"),
        ("suspend", {"reason": "x", "hours": "forever"}, "hours"),
        ("warn", {"reason": "x", "board": ["a"]}, "board"),
    ],
)
def test_bad_sanction_input_is_a_400(world, action, body, field):
    before = everything()
    response = token_client(world.staff).post(_member(world.member, action), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert everything() == before


def test_lifting_what_is_not_in_force_is_a_400(world):
    api = token_client(world.staff)
    for action, message in [
        ("lift-silence", "This member is not silenced."),
        ("lift-suspension", "This member is not suspended."),
    ]:
        response = api.post(_member(world.member, action), {}, format="json")
        assert response.status_code == 400 and response.json()["detail"] == message


def test_suspending_and_lifting_answer_the_new_state(world):
    api = token_client(world.global_mod)
    suspended = api.post(
        _member(world.member, "suspend"), {"reason": "Spam", "hours": 72}, format="json"
    ).json()
    assert suspended["is_suspended"] is True and suspended["suspension_reason"] == "Spam"
    assert suspended["is_suspended_permanently"] is False
    lifted = api.post(
        _member(world.member, "lift-suspension"), {"reason": "Appeal"}, format="json"
    ).json()
    assert lifted["is_suspended"] is False and lifted["suspended_until"] is None
    rows = AuditLog.objects.filter(target_id=world.member.pk).order_by("pk")
    rows = list(rows.values_list("action", "reason"))
    assert rows[-2:] == [("user_suspend", "Spam"), ("user_unsuspend", "Appeal")]


def _rows_since(pk):
    return [
        (r.actor_id, r.action, r.target_type, r.board_id, r.reason, r.before, r.after)
        for r in AuditLog.objects.filter(pk__gt=pk).order_by("pk")
    ]


def _top():
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    ("action", "form", "body"),
    [
        ("warn", {"reason": "Off-topic"}, {"reason": "Off-topic"}),
        ("silence", {"reason": "Flaming", "hours": "24"}, {"reason": "Flaming", "hours": 24}),
        ("lift-silence", {"reason": "Sorry"}, {"reason": "Sorry"}),
    ],
)
def test_a_sanction_writes_the_row_and_notice_the_page_writes(client, world, action, form, body):
    page_member, api_member = UserFactory(), UserFactory()
    if action == "lift-silence":
        for member in (page_member, api_member):
            services.user_silence(
                actor=world.staff,
                user=member,
                until=timezone.now() + timedelta(days=1),
                reason="Flaming",
            )
    client.force_login(world.mod_a)
    top = _top()
    url = reverse(
        "moderation:member_action", kwargs={"username": page_member.username, "action": action}
    )
    assert client.post(url, {**form, "board": world.board_a.slug}).status_code == 302
    page_rows = _rows_since(top)
    top = _top()
    response = token_client(world.mod_a).post(
        _member(api_member, action), {**body, "board": world.board_a.slug}, format="json"
    )
    assert response.status_code == 200, response.content
    api_rows = _rows_since(top)

    def plain(rows):  # `until` is a moment of each run
        def drop(state):
            return {k: v for k, v in state.items() if k != "until"} if state else state

        return [(*row[:5], drop(row[5]), drop(row[6])) for row in rows]

    assert page_rows and plain(api_rows) == plain(page_rows)

    def notices(member):
        return list(
            Notification.objects.filter(recipient=member).values_list("title_key", "excerpt")
        )

    assert notices(api_member) == notices(page_member)


# History ------------------------------------------------------------------------------


def test_the_history_lists_in_the_callers_reach(world):
    elsewhere = make_thread(board=world.board_b, author=world.author, title="Redmi thing")
    services.thread_lock(thread=world.thread, actor=world.staff, reason="A")
    services.thread_lock(thread=elsewhere, actor=world.staff, reason="B")
    services.user_warn(
        actor=world.mod_b, user=world.author, reason="Warned in B", board=world.board_b
    )
    report(world.reply, reason="abuse")
    report(elsewhere.posts.get(floor=1))

    mine = token_client(world.mod_a)
    actions = mine.get(_member(world.author, "actions")).json()["results"]
    assert [a["reason"] for a in actions] == ["A"]
    assert actions[0]["action_label"] == "Locked a thread"
    sanctions = mine.get(_member(world.author, "sanctions")).json()["results"]
    assert [s["reason"] for s in sanctions] == ["Warned in B"]  # account actions: site-wide
    reports = mine.get(_member(world.author, "reports")).json()["results"]
    assert [(r["reason"], r["status"], r["thread"]["id"]) for r in reports] == [
        ("abuse", "open", world.thread.pk)
    ]

    everything_seen = token_client(world.staff)
    assert len(everything_seen.get(_member(world.author, "actions")).json()["results"]) == 2
    assert len(everything_seen.get(_member(world.author, "reports")).json()["results"]) == 2


# signed in (3) + reach (1) + the member (1) + the page of rows (1)
HISTORY = {"actions": 6, "sanctions": 6, "reports": 6}


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize("part", list(HISTORY))
def test_history_pages_cost_the_same_for_2_or_10_rows(
    world, django_assert_num_queries, part, count
):
    posts = bulk_replies(world.thread, count, authors=[world.author])
    for post in posts:
        if part == "actions":
            services.post_hide(post=post, actor=world.staff, reason="Spam")
        elif part == "sanctions":
            services.user_warn(actor=world.staff, user=world.author, reason=f"#{post.pk}")
        else:
            report(post)
    api = token_client(world.mod_a)
    with django_assert_num_queries(HISTORY[part]):
        page = api.get(_member(world.author, part), {"page_size": 4}).json()
    assert len(page["results"]) == min(count, 4)
    seen = [row["id"] for row in page["results"]]
    while page["next"]:
        with django_assert_num_queries(HISTORY[part]):
            page = api.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert len(seen) == len(set(seen)) >= count


def test_text_with_a_nul_is_refused_or_not_found_never_a_500(world):
    # PostgreSQL refuses NUL characters in a lookup: such a name matches no one.
    api = token_client(world.staff)
    assert api.get(f"{API}/fan%00x/").status_code == 404
    # In a query string it is refused at the door (config.middleware), in the error body.
    refused_query = api.get(_member(world.member), {"board": "a\x00b"})
    assert refused_query.status_code == 400 and "board" in refused_query.json()["errors"]
    refused = api.post(_member(world.member, "warn"), {"reason": "x", "board": "a\x00"})
    assert refused.status_code == 400 and "board" in refused.json()["errors"]
