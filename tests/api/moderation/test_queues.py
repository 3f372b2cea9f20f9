"""The report and approval queues over the API: each moderator's reach, cursor pages with
a fixed query count, and resolutions that do and write what the pages do."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from forum.models import Post
from moderation import services
from moderation.models import AuditLog, Report, ReportCase
from tests.api.conftest import token_client
from tests.api.moderation.conftest import MODERATE_A, ROLES, as_role, everything, report
from tests.factories import UserFactory, bulk_replies, make_reply, make_thread

pytestmark = pytest.mark.django_db

API = "/api/v1/moderation"


def _resolve(case) -> str:
    return f"{API}/reports/{case.pk}/resolve/"


@pytest.fixture
def held(settings):
    """Members below "member" (50 reputation) wait for approval."""
    settings.POPCORN = {**settings.POPCORN, "APPROVAL_BELOW_LEVEL": "member"}


# The report queue -----------------------------------------------------------------------


def test_the_report_queue_shows_open_cases_in_reach_oldest_first(world):
    first = report(world.reply, reason="abuse", text="Rude").case
    report(world.reply, reason="abuse")
    report(world.reply, reason="spam")
    chat = make_thread(board=world.board_a2, author=world.author)
    second = report(chat.posts.get(floor=1)).case
    elsewhere = make_thread(board=world.board_b, author=world.author)
    far = report(elsewhere.posts.get(floor=1)).case

    mine = token_client(world.mod_a).get(f"{API}/reports/").json()["results"]
    assert [c["id"] for c in mine] == [first.pk, second.pk]
    case = mine[0]
    assert case["open_count"] == 3 and case["post"]["id"] == world.reply.pk
    assert case["board"]["slug"] == world.board_a.slug
    assert case["author"] == {"id": world.author.pk, "username": "author"}
    assert case["reason_counts"][0] == {
        "reason": "abuse",
        "label": "Abusive or harassing",
        "count": 2,
    }
    assert [r["text"] for r in case["reports"]][:1] == ["Rude"]
    assert case["already_hidden"] is False

    everywhere = token_client(world.staff).get(f"{API}/reports/").json()["results"]
    assert [c["id"] for c in everywhere] == [first.pk, second.pk, far.pk]


@pytest.mark.parametrize("role", ["anonymous", "member", "suspended"])
def test_the_queues_are_for_moderators(world, role):
    report(world.reply)
    api = as_role(world, role)
    for url in (f"{API}/reports/", f"{API}/approvals/", f"{API}/queues/"):
        response = api.get(url)
        assert response.status_code == (401 if role == "anonymous" else 403), url
    if role != "anonymous":
        assert response.json()["detail"] == "The moderation queues are for moderators."


def _cases(world, count: int) -> None:
    reporters = [UserFactory(), UserFactory()]
    posts = bulk_replies(world.thread, count, authors=[world.author])
    now = timezone.now()
    cases = ReportCase.objects.bulk_create(
        ReportCase(post=post, open_count=2, report_count=2, first_reported_at=now) for post in posts
    )
    Report.objects.bulk_create(
        Report(case=case, post_id=case.post_id, reporter=r, reporter_name=r.username, reason="spam")
        for case in cases
        for r in reporters
    )


# The session token: its session (2) and user (1); then reach (1), the page of cases
# with post, thread, board and author (1) and their open reports (1). Staff have no
# reach query (the flag is on the user row).
SIGNED_IN = 3
# Reach, the page, its reports, and the posts' files (one query each, whatever the rows).
REPORT_QUEUE = {"mod_a": SIGNED_IN + 4, "staff": SIGNED_IN + 3}


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize("role", ["mod_a", "staff"])
def test_the_report_queue_costs_the_same_for_2_or_10_cases(
    world, django_assert_num_queries, role, count
):
    _cases(world, count)
    api = token_client(getattr(world, role))
    with django_assert_num_queries(REPORT_QUEUE[role]):
        page = api.get(f"{API}/reports/", {"page_size": 5})
    assert len(page.json()["results"]) == min(count, 5)
    if count > 5:
        with django_assert_num_queries(REPORT_QUEUE[role]):
            rest = api.get(page.json()["next"]).json()["results"]
        ids = [c["id"] for c in page.json()["results"] + rest]
        assert len(ids) == len(set(ids)) == 10


@pytest.mark.parametrize("role", ROLES)
def test_resolving_a_report_follows_the_pages_matrix(world, role):
    case = report(world.reply).case
    api = as_role(world, role)
    before = everything()
    response = api.post(
        _resolve(case), {"outcome": "hide", "reason": "Personal data"}, format="json"
    )
    if role in MODERATE_A:
        assert response.status_code == 200, response.content
        assert response.json()["resolution"] == "upheld" and response.json()["is_open"] is False
        assert Post.objects.get(pk=world.reply.pk).is_hidden
        assert api.get(f"{API}/reports/").json()["results"] == []
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert everything() == before


def _last_rows(after_pk):
    return [
        (r.actor_id, r.action, r.target_type, r.board_id, r.subject_id, r.reason, r.before, r.after)
        for r in AuditLog.objects.filter(pk__gt=after_pk).order_by("pk")
    ]


def _top():
    return AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "hide", "reason": "Personal data"},
        {"outcome": "hide", "reason": "Spam", "suspend_days": 3},
        {"outcome": "dismiss", "reason": "It is fine"},
    ],
)
def test_a_resolution_writes_what_the_page_writes(client, world, body):
    page_post = make_reply(thread=world.thread, author=world.author, body="one")
    api_post = make_reply(thread=world.thread, author=world.author, body="two")
    reporter = UserFactory()
    page_case = report(page_post, reporter=reporter).case
    api_case = report(api_post, reporter=reporter).case
    client.force_login(world.staff)
    top = _top()
    page = client.post(reverse("moderation:report_resolve", args=[page_case.pk]), body)
    assert page.status_code == 302
    page_rows = _last_rows(top)
    page_notices = Notification.objects.filter(recipient=reporter).count()
    if "suspend_days" in body:  # the author is suspended by the page: lift it for the API's turn
        services.user_lift_suspension(actor=world.staff, user=world.author)
    top = _top()
    response = token_client(world.staff).post(_resolve(api_case), body, format="json")
    assert response.status_code == 200, response.content
    api_rows = _last_rows(top)

    def plain(rows):  # the suspension's `until` is a moment of each run
        return [
            (*row[:6], row[6], {k: v for k, v in (row[7] or {}).items() if k != "until"})
            for row in rows
        ]

    assert plain(api_rows) == plain(page_rows) and page_rows
    assert Notification.objects.filter(recipient=reporter).count() == 2 * page_notices
    assert (
        ReportCase.objects.get(pk=api_case.pk).resolution
        == ReportCase.objects.get(pk=page_case.pk).resolution
    )


def test_dismissing_with_a_suspension_is_the_pages_400(world):
    case = report(world.reply).case
    before = everything()
    response = token_client(world.staff).post(
        _resolve(case), {"outcome": "dismiss", "suspend_days": 3}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["suspend_days"] == ["Suspending goes with hiding the post."]
    assert everything() == before


def test_a_board_moderator_cannot_suspend_through_a_report_and_nothing_is_hidden(world):
    case = report(world.reply).case
    before = everything()
    response = token_client(world.mod_a).post(
        _resolve(case), {"outcome": "hide", "reason": "Spam", "suspend_days": 3}, format="json"
    )
    assert response.status_code == 403
    assert everything() == before


def test_hiding_needs_a_reason_and_a_resolved_case_is_resolved(world):
    case = report(world.reply).case
    api = token_client(world.mod_a)
    refused = api.post(_resolve(case), {"outcome": "hide"}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    assert api.post(_resolve(case), {"outcome": "dismiss"}, format="json").status_code == 200
    again = api.post(_resolve(case), {"outcome": "dismiss"}, format="json")
    assert again.status_code == 400
    assert again.json()["detail"] == "These reports were already resolved."


def test_a_case_in_another_board_is_403_for_a_board_moderator(world):
    elsewhere = make_thread(board=world.board_b, author=world.author)
    case = report(make_reply(thread=elsewhere, author=world.author)).case
    before = everything()
    response = token_client(world.mod_a).post(_resolve(case), {"outcome": "dismiss"}, format="json")
    assert response.status_code == 403
    assert everything() == before
    assert token_client(world.mod_a).post(f"{API}/reports/999999/resolve/", {}).status_code == 404


# The approval queue -------------------------------------------------------------------


def test_the_approval_queue_and_approving(world, held):
    newbie = UserFactory(username="newbie")
    post = make_reply(thread=world.thread, author=newbie, body="First post!")
    elsewhere = make_thread(board=world.board_b, author=newbie, title="Hello all")
    assert post.is_pending

    api = token_client(world.mod_a)
    queue = api.get(f"{API}/approvals/").json()["results"]
    assert [p["id"] for p in queue] == [post.pk]
    assert queue[0]["author"]["username"] == "newbie" and queue[0]["is_new_thread"] is False
    assert queue[0]["board"]["slug"] == world.board_a.slug
    staff_queue = token_client(world.staff).get(f"{API}/approvals/").json()["results"]
    assert [p["is_new_thread"] for p in staff_queue] == [False, True]

    counts = api.get(f"{API}/queues/").json()
    assert counts == {"reports": 0, "approvals": 1, "total": 1}

    approved = api.post(f"{API}/approvals/{post.pk}/approve/", format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["is_pending"] is False and approved.json()["floor"] == 4
    assert AuditLog.objects.filter(action="post_approve", actor=world.mod_a).exists()
    again = api.post(f"{API}/approvals/{post.pk}/approve/", format="json")
    assert again.status_code == 400

    before = everything()
    opening = elsewhere.posts.get(floor=1)
    assert api.post(f"{API}/approvals/{opening.pk}/approve/").status_code == 403
    assert api.post(f"{API}/approvals/{opening.pk}/reject/", {"reason": "x"}).status_code == 403
    assert everything() == before


def test_rejecting_needs_a_reason_and_tells_the_author(world, held):
    newbie = UserFactory(username="newbie")
    post = make_reply(thread=world.thread, author=newbie, body="Buy cheap")
    api = token_client(world.mod_a)
    refused = api.post(f"{API}/approvals/{post.pk}/reject/", {}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    done = api.post(f"{API}/approvals/{post.pk}/reject/", {"reason": "Spam"}, format="json")
    assert done.status_code == 200 and done.json()["is_hidden"] is True
    notice = Notification.objects.filter(recipient=newbie).latest("pk")
    assert (notice.title_key, notice.excerpt) == ("moderation.reply_rejected", "Spam")
    row = AuditLog.objects.get(action="post_reject")
    assert (row.actor, row.reason, row.after) == (
        world.mod_a,
        "Spam",
        {"pending": False, "is_hidden": True},
    )


@pytest.mark.parametrize("role", ROLES)
def test_approving_follows_the_pages_matrix(world, held, role):
    post = make_reply(thread=world.thread, author=UserFactory(), body="Held")
    api = as_role(world, role)
    before = everything()
    response = api.post(f"{API}/approvals/{post.pk}/approve/", format="json")
    if role in MODERATE_A:
        assert response.status_code == 200
        assert not Post.objects.get(pk=post.pk).is_pending
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert everything() == before


# signed in (3) + reach (1) + the page of posts with thread, board and author (1)
APPROVAL_QUEUE = SIGNED_IN + 3  # reach, the page, the posts' files


@pytest.mark.parametrize("count", [2, 10])
def test_the_approval_queue_costs_the_same_for_2_or_10_posts(
    world, django_assert_num_queries, count
):
    bulk_replies(world.thread, count, authors=[world.author], is_pending=True)
    api = token_client(world.mod_a)
    with django_assert_num_queries(APPROVAL_QUEUE):
        page = api.get(f"{API}/approvals/", {"page_size": 5}).json()
    assert len(page["results"]) == min(count, 5)
    if page["next"]:
        with django_assert_num_queries(APPROVAL_QUEUE):
            api.get(page["next"])


def test_queue_counts_are_the_badges(world, held, django_assert_num_queries):
    report(world.reply)
    make_reply(thread=world.thread, author=UserFactory(), body="Held")
    api = token_client(world.mod_a)
    # signed in (3) + reach (1) + open cases (1) + held posts (1)
    with django_assert_num_queries(SIGNED_IN + 3):
        counts = api.get(f"{API}/queues/").json()
    assert counts == {"reports": 1, "approvals": 1, "total": 2}
    assert token_client(world.mod_b).get(f"{API}/queues/").json()["total"] == 0
