"""Moderators' actions on threads and posts over the API: the pages' permission matrix,
the same audit rows and notices as the pages, and refusals that change nothing."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Notification
from forum.models import Post, Thread
from moderation import services
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.api.moderation.conftest import MODERATE_A, ROLES, as_role, everything
from tests.factories import make_reply, make_thread
from tests.moderation.world import bulk_url, post_action_url, thread_action_url

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation"


def thread_url(thread, action: str) -> str:
    return f"{API}/threads/{thread.pk}/{action}/"


def post_url(post, action: str) -> str:
    return f"{API}/posts/{post.pk}/{action}/"


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# name: (set-up as staff, request (url, body), audit action, what is true afterwards)
ACTIONS = {
    "pin": (
        None,
        lambda w: (thread_url(w.thread, "pin"), {"reason": "Useful"}),
        "thread_pin",
        lambda w: _fresh(w.thread).is_pinned,
    ),
    "announce": (
        None,
        lambda w: (thread_url(w.thread, "announce"), {}),
        "thread_announce",
        lambda w: _fresh(w.thread).is_announcement,
    ),
    "unpin": (
        lambda w: services.thread_pin(thread=w.thread, actor=w.staff),
        lambda w: (thread_url(w.thread, "unpin"), {}),
        "thread_unpin",
        lambda w: not _fresh(w.thread).is_pinned,
    ),
    "lock": (
        None,
        lambda w: (thread_url(w.thread, "lock"), {"reason": "Heated"}),
        "thread_lock",
        lambda w: _fresh(w.thread).is_locked,
    ),
    "unlock": (
        lambda w: services.thread_lock(thread=w.thread, actor=w.staff),
        lambda w: (thread_url(w.thread, "unlock"), {}),
        "thread_unlock",
        lambda w: not _fresh(w.thread).is_locked,
    ),
    "feature": (
        None,
        lambda w: (thread_url(w.thread, "feature"), {}),
        "thread_feature",
        lambda w: _fresh(w.thread).is_featured,
    ),
    "unfeature": (
        lambda w: services.thread_feature(thread=w.thread, actor=w.staff),
        lambda w: (thread_url(w.thread, "unfeature"), {}),
        "thread_unfeature",
        lambda w: not _fresh(w.thread).is_featured,
    ),
    "hide_thread": (
        None,
        lambda w: (thread_url(w.thread, "hide"), {"reason": "Duplicate"}),
        "thread_hide",
        lambda w: _fresh(w.thread).is_hidden,
    ),
    "restore_thread": (
        lambda w: services.thread_hide(thread=w.thread, actor=w.staff, reason="Duplicate"),
        lambda w: (thread_url(w.thread, "restore"), {}),
        "thread_restore",
        lambda w: not _fresh(w.thread).is_hidden,
    ),
    "move": (
        None,
        lambda w: (thread_url(w.thread, "move"), {"to_board": w.board_a2.slug, "reason": "Chat"}),
        "thread_move",
        lambda w: _fresh(w.thread).board_id == w.board_a2.pk,
    ),
    "merge": (
        None,
        lambda w: (thread_url(w.other, "merge"), {"target": w.thread.pk}),
        "thread_merge",
        lambda w: Post.objects.filter(thread=w.thread).count() == 4,
    ),
    "split": (
        None,
        lambda w: (thread_url(w.thread, "split"), {"title": "Log talk", "posts": [w.reply.pk]}),
        "thread_split",
        lambda w: _fresh(w.reply).thread.title == "Log talk",
    ),
    "bug_status": (
        None,
        lambda w: (
            thread_url(w.thread, "bug-status"),
            {"status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM"},
        ),
        "thread_bug_status",
        lambda w: _fresh(w.thread).bug_status == "fixed",
    ),
    "slow_mode": (
        None,
        lambda w: (thread_url(w.thread, "slow-mode"), {"seconds": 60}),
        "thread_slow_mode",
        lambda w: _fresh(w.thread).slow_mode_seconds == 60,
    ),
    "hide_post": (
        None,
        lambda w: (post_url(w.reply, "hide"), {"reason": "Personal data in the log"}),
        "post_hide",
        lambda w: _fresh(w.reply).is_hidden,
    ),
    "restore_post": (
        lambda w: services.post_hide(post=w.reply, actor=w.staff, reason="Personal data"),
        lambda w: (post_url(w.reply, "restore"), {}),
        "post_restore",
        lambda w: not _fresh(w.reply).is_hidden,
    ),
    "helpful": (
        None,
        lambda w: (post_url(w.reply, "helpful"), {}),
        "post_helpful",
        lambda w: _fresh(w.reply).is_helpful,
    ),
    "unhelpful": (
        lambda w: services.post_mark_helpful(post=w.reply, actor=w.staff),
        lambda w: (post_url(w.reply, "unhelpful"), {}),
        "post_unhelpful",
        lambda w: not _fresh(w.reply).is_helpful,
    ),
    "bulk_lock": (
        None,
        lambda w: (
            f"{API}/boards/{w.board_a.slug}/bulk/",
            {"action": "lock", "threads": [w.thread.pk, w.other.pk]},
        ),
        "thread_lock",
        lambda w: _fresh(w.thread).is_locked and _fresh(w.other).is_locked,
    ),
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, action):
    set_up, make_request, audit_action, done = ACTIONS[action]
    if set_up:
        set_up(world)
    api = as_role(world, role)
    url, data = make_request(world)
    before = everything()

    response = api.post(url, data, format="json")

    if role in MODERATE_A:
        assert response.status_code in (200, 201), response.content
        assert done(world)
        user = getattr(world, role)
        assert AuditLog.objects.filter(actor=user, action=audit_action).exists()
        # The row is there to read, through the API's log.
        log = api.get(f"{API}/log/", {"action": audit_action, "actor": user.username})
        assert log.status_code == 200 and log.json()["results"]
    else:
        assert response.status_code == (401 if role == "anonymous" else 403), response.content
        assert set(response.json()) == {"detail", "errors"}
        assert everything() == before


def test_the_answer_is_the_thread_as_it_is_now(world):
    response = token_client(world.mod_a).post(thread_url(world.thread, "lock"), {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == world.thread.pk and body["is_locked"] is True
    assert body["board"] == world.board_a.slug


def test_a_split_answers_the_new_thread_with_201(world):
    response = token_client(world.staff).post(
        thread_url(world.thread, "split"),
        {"title": "Log talk", "posts": [world.reply.pk]},
        format="json",
    )
    assert response.status_code == 201
    new = Thread.objects.get(pk=response.json()["id"])
    assert new.title == "Log talk" and new.pk != world.thread.pk


def test_a_merge_answers_the_target(world):
    response = token_client(world.staff).post(
        thread_url(world.other, "merge"), {"target": world.thread.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["id"] == world.thread.pk


def test_a_board_moderator_acting_on_another_board_gets_403_and_nothing_changes(world):
    thread_b = make_thread(board=world.board_b, author=world.member, thread_type="bug")
    reply_b = make_reply(thread=thread_b, author=world.author)
    api = token_client(world.mod_a)
    before = everything()
    calls = [
        (thread_url(thread_b, "lock"), {}),
        (thread_url(thread_b, "hide"), {"reason": "Spam"}),
        (thread_url(thread_b, "pin"), {}),
        (thread_url(thread_b, "bug-status"), {"status": "confirmed"}),
        (thread_url(thread_b, "slow-mode"), {"seconds": 60}),
        (thread_url(thread_b, "move"), {"to_board": world.board_a.slug}),
        (thread_url(thread_b, "merge"), {"target": world.thread.pk}),
        (thread_url(thread_b, "split"), {"title": "Mine now", "posts": [reply_b.pk]}),
        (post_url(reply_b, "hide"), {"reason": "Spam"}),
        (post_url(reply_b, "helpful"), {}),
        (f"{API}/boards/{world.board_b.slug}/bulk/", {"action": "lock", "threads": [thread_b.pk]}),
        # Their own thread into a board they do not moderate, or merged into one there.
        (thread_url(world.thread, "move"), {"to_board": world.board_b.slug}),
        (thread_url(world.thread, "merge"), {"target": thread_b.pk}),
    ]
    for url, data in calls:
        response = api.post(url, data, format="json")
        assert response.status_code == 403, (url, response.content)
        assert response.json()["detail"] == "You do not moderate this board."
    assert everything() == before


def test_reach_is_checked_before_the_body_is_read(world):
    thread_b = make_thread(board=world.board_b, author=world.member)
    response = token_client(world.mod_a).post(
        thread_url(thread_b, "move"), {"to_board": "no-such-board"}, format="json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("make_request", "field"),
    [
        (lambda w: (thread_url(w.thread, "hide"), {"reason": "   "}), "reason"),
        (lambda w: (post_url(w.reply, "hide"), {}), "reason"),
        (lambda w: (thread_url(w.thread, "move"), {"to_board": "no-such-board"}), "to_board"),
        (lambda w: (thread_url(w.thread, "merge"), {"target": 99999999}), "target"),
        (lambda w: (thread_url(w.thread, "merge"), {"target": 2**70}), "target"),
        (lambda w: (thread_url(w.thread, "split"), {"title": "x", "posts": []}), "posts"),
        (
            lambda w: (
                thread_url(w.thread, "split"),
                {"title": "Log", "posts": [w.other.posts.get(floor=1).pk]},
            ),
            "posts",
        ),
        (lambda w: (thread_url(w.thread, "bug-status"), {"status": "fixed"}), "fixed_in_version"),
        (lambda w: (thread_url(w.thread, "bug-status"), {"status": "eaten"}), "status"),
        (lambda w: (thread_url(w.thread, "slow-mode"), {"seconds": 7}), "seconds"),
        (lambda w: (thread_url(w.thread, "lock"), {"reason": "x" * 501}), "reason"),
        (lambda w: (bulk_api_url(w), {"action": "lock", "threads": [10**9]}), "threads"),
        (lambda w: (bulk_api_url(w), {"action": "move", "threads": [w.thread.pk]}), "to_board"),
        (lambda w: (bulk_api_url(w), {"action": "burn", "threads": [w.thread.pk]}), "action"),
    ],
)
def test_bad_input_is_a_400_on_its_field_and_changes_nothing(world, make_request, field):
    url, data = make_request(world)
    before = everything()
    response = token_client(world.staff).post(url, data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert everything() == before


def bulk_api_url(world) -> str:
    return f"{API}/boards/{world.board_a.slug}/bulk/"


def test_a_service_refusal_without_a_field_is_a_400(world):
    other = make_thread(board=world.board_a, author=world.member)  # not a bug report
    response = token_client(world.staff).post(
        thread_url(other, "bug-status"), {"status": "confirmed"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Only bug reports have a status."
    opening = world.thread.posts.get(floor=1)
    response = token_client(world.staff).post(
        post_url(opening, "hide"), {"reason": "Spam"}, format="json"
    )
    assert response.status_code == 400 and "hide the thread" in response.json()["detail"]


def test_unknown_threads_and_posts_are_404(world):
    api = token_client(world.staff)
    assert api.post(f"{API}/threads/999999/lock/", {}, format="json").status_code == 404
    assert api.post(f"{API}/posts/999999/hide/", {}, format="json").status_code == 404
    assert api.post(f"{API}/boards/nope/bulk/", {}, format="json").status_code == 404


def test_the_browser_session_acts_with_csrf(world):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(world.mod_a)
    refused = browser.post(thread_url(world.thread, "lock"), {}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get(world.thread.get_absolute_url())  # a page with a form sets the cookie
    csrf = browser.cookies["csrftoken"].value
    done = browser.post(thread_url(world.thread, "lock"), {}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 200 and _fresh(world.thread).is_locked


# The same audit row and notice as the page -------------------------------------------

# Values that name rows made by the action itself (a notice, a new thread): they differ
# between the page's run and the API's by nature.
MADE_BY_THE_ACTION = {"notice_id", "merged_into", "new_thread_id", "post_ids", "thread_id"}


def _twin(world):
    """A second bug report like world.thread (same author, title, replies) with a second
    thread like world.other, so the page acts on one pair and the API on the other."""
    thread = make_thread(
        board=world.board_a,
        author=world.author,
        title=world.thread.title,
        thread_type="bug",
        body="It drains.",
    )
    reply = make_reply(thread=thread, author=world.author, body="Log attached below.")
    make_reply(thread=thread, author=world.member, body="Same on mine.")
    other = make_thread(board=world.board_a, author=world.member, title=world.other.title)
    return thread, reply, other


def _row(row: AuditLog) -> dict:
    def plain(state):
        if not isinstance(state, dict):
            return state
        return {k: ("<made>" if k in MADE_BY_THE_ACTION else v) for k, v in state.items()}

    return {
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "action": row.action,
        "target_type": row.target_type,
        "board_id": row.board_id,
        "subject_id": row.subject_id,
        "reason": row.reason,
        "ip": row.ip,
        "before": plain(row.before),
        "after": plain(row.after),
    }


def _notices(user) -> list:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("pk")
        .values_list("kind", "title_key", "excerpt")
    )


# name: (page request, API request, set-up as staff): each given (thread, reply, other).
PARITY = {
    "pin": (
        lambda t, r, o: (thread_action_url(t, "pin"), {"reason": "Useful"}),
        lambda t, r, o: (thread_url(t, "pin"), {"reason": "Useful"}),
        None,
    ),
    "announce": (
        lambda t, r, o: (thread_action_url(t, "announce"), {}),
        lambda t, r, o: (thread_url(t, "announce"), {}),
        None,
    ),
    "unpin": (
        lambda t, r, o: (thread_action_url(t, "unpin"), {}),
        lambda t, r, o: (thread_url(t, "unpin"), {}),
        lambda t, r, o, s: services.thread_pin(thread=t, actor=s, site_wide=True),
    ),
    "lock": (
        lambda t, r, o: (thread_action_url(t, "lock"), {"reason": "Heated"}),
        lambda t, r, o: (thread_url(t, "lock"), {"reason": "Heated"}),
        None,
    ),
    "unlock": (
        lambda t, r, o: (thread_action_url(t, "unlock"), {}),
        lambda t, r, o: (thread_url(t, "unlock"), {}),
        lambda t, r, o, s: services.thread_lock(thread=t, actor=s),
    ),
    "feature": (
        lambda t, r, o: (thread_action_url(t, "feature"), {}),
        lambda t, r, o: (thread_url(t, "feature"), {}),
        None,
    ),
    "unfeature": (
        lambda t, r, o: (thread_action_url(t, "unfeature"), {}),
        lambda t, r, o: (thread_url(t, "unfeature"), {}),
        lambda t, r, o, s: services.thread_feature(thread=t, actor=s),
    ),
    "hide": (
        lambda t, r, o: (thread_action_url(t, "hide"), {"reason": "Duplicate  of #1"}),
        lambda t, r, o: (thread_url(t, "hide"), {"reason": "Duplicate  of #1"}),
        None,
    ),
    "restore": (
        lambda t, r, o: (thread_action_url(t, "restore"), {"reason": "Not a dupe"}),
        lambda t, r, o: (thread_url(t, "restore"), {"reason": "Not a dupe"}),
        lambda t, r, o, s: services.thread_hide(thread=t, actor=s, reason="Duplicate"),
    ),
    "move": (
        lambda t, r, o: (thread_action_url(t, "move"), {"to_board": "A2", "leave_notice": "on"}),
        lambda t, r, o: (thread_url(t, "move"), {"to_board": "A2", "leave_notice": True}),
        None,
    ),
    "merge": (
        lambda t, r, o: (thread_action_url(o, "merge"), {"target": t.pk, "leave_notice": "on"}),
        lambda t, r, o: (thread_url(o, "merge"), {"target": t.pk}),
        None,
    ),
    "split": (
        lambda t, r, o: (thread_action_url(t, "split"), {"title": "Logs", "posts": [r.pk]}),
        lambda t, r, o: (thread_url(t, "split"), {"title": "Logs", "posts": [r.pk]}),
        None,
    ),
    "bug-status": (
        lambda t, r, o: (
            thread_action_url(t, "bug-status"),
            {"status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM", "reason": "Thanks"},
        ),
        lambda t, r, o: (
            thread_url(t, "bug-status"),
            {"status": "fixed", "fixed_in_version": "V14.0.4.0.UNCCNXM", "reason": "Thanks"},
        ),
        None,
    ),
    "slow-mode": (
        lambda t, r, o: (thread_action_url(t, "slow-mode"), {"seconds": "300"}),
        lambda t, r, o: (thread_url(t, "slow-mode"), {"seconds": 300}),
        None,
    ),
    "post-hide": (
        lambda t, r, o: (post_action_url(r, "hide"), {"reason": "Personal data"}),
        lambda t, r, o: (post_url(r, "hide"), {"reason": "Personal data"}),
        None,
    ),
    "post-restore": (
        lambda t, r, o: (post_action_url(r, "restore"), {}),
        lambda t, r, o: (post_url(r, "restore"), {}),
        lambda t, r, o, s: services.post_hide(post=r, actor=s, reason="Personal data"),
    ),
    "helpful": (
        lambda t, r, o: (post_action_url(r, "helpful"), {"reason": "Fixed it"}),
        lambda t, r, o: (post_url(r, "helpful"), {"reason": "Fixed it"}),
        None,
    ),
    "unhelpful": (
        lambda t, r, o: (post_action_url(r, "unhelpful"), {}),
        lambda t, r, o: (post_url(r, "unhelpful"), {}),
        lambda t, r, o, s: services.post_mark_helpful(post=r, actor=s),
    ),
    "bulk-hide": (
        lambda t, r, o: (
            bulk_url(t.board),
            {"action": "hide", "threads": [t.pk, o.pk], "reason": "Spam"},
        ),
        lambda t, r, o: (
            f"{API}/boards/{t.board.slug}/bulk/",
            {"action": "hide", "threads": [t.pk, o.pk], "reason": "Spam"},
        ),
        None,
    ),
}


@pytest.mark.parametrize("action", list(PARITY))
def test_each_action_writes_the_audit_row_and_notice_the_page_writes(client, world, action):
    page_request, api_request, set_up = PARITY[action]
    page_set = (world.thread, world.reply, world.other)
    api_set = _twin(world)
    for objects in (page_set, api_set):
        if set_up:
            set_up(*objects, world.staff)

    def resolved(data):
        return {k: (world.board_a2.pk if v == "A2" else v) for k, v in data.items()}

    client.force_login(world.mod_a)
    first = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    url, data = page_request(*page_set)
    notices_before = _notices(world.author)
    assert client.post(url, resolved(data)).status_code == 302
    page_rows = [_row(r) for r in AuditLog.objects.filter(pk__gt=first).order_by("pk")]
    page_notices = _notices(world.author)[len(notices_before) :]
    assert page_rows, "the page wrote no audit row"

    middle = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first()
    url, data = api_request(*api_set)
    data = {k: (world.board_a2.slug if v == "A2" else v) for k, v in data.items()}
    notices_before = _notices(world.author)
    response = token_client(world.mod_a).post(url, data, format="json")
    assert response.status_code in (200, 201), response.content
    api_rows = [_row(r) for r in AuditLog.objects.filter(pk__gt=middle).order_by("pk")]
    api_notices = _notices(world.author)[len(notices_before) :]

    assert api_rows == page_rows
    assert api_notices == page_notices
