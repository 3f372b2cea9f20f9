"""A program's private board: only accepted members, its moderators and staff see it,
on every page that lists or shows content, and never through the anonymous page cache."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from accounts.models import Notification
from forum.models import BoardModerator, ThreadWatch
from moderation import services as moderation_services
from tests.accounts.programs_world import invite, make_program
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

SECRET = "zanzibarbuild"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    program = make_program(seats=5)
    board = BoardFactory(name="Beta lounge", slug="beta-lounge")
    staff = StaffFactory()
    moderation_services.program_update(program=program, actor=staff, board=board)
    thread = make_thread(
        board=board, author=staff, title=f"Build {SECRET} notes", body=f"{SECRET} is out"
    )
    public = make_thread(title="Public thread")
    member = UserFactory(username="insider")
    invitation = invite(program=program, user=member, actor=None)
    account_services.program_accept(user=member, code=invitation.code)
    invited_only = UserFactory(username="invitee")
    invite(program=program, user=invited_only, actor=None)
    moderator = UserFactory(username="boardmod")
    BoardModerator.objects.create(board=board, user=moderator)
    return {
        "program": program,
        "board": board,
        "thread": thread,
        "public": public,
        "member": member,
        "invited_only": invited_only,
        "outsider": UserFactory(username="outsider"),
        "moderator": moderator,
        "global_moderator": UserFactory(username="globalmod", is_global_moderator=True),
        "staff": staff,
    }


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


READERS = ["member", "moderator", "global_moderator", "staff"]
NON_READERS = ["outsider", "invited_only", None]


def _urls(world):
    thread, board = world["thread"], world["board"]
    post = thread.posts.get(floor=1)
    return {
        "board": board.get_absolute_url(),
        "thread": thread.get_absolute_url(),
        "thread_short": reverse("forum:thread_short", args=[thread.pk]),
        "floor": reverse("forum:floor", args=[thread.pk, 1]),
        "post": reverse("forum:post", args=[post.pk]),
        "likers": reverse("forum:post_likers", args=[post.pk]),
        "board_feed": reverse("forum:board_feed", args=[board.slug]),
        "thread_feed": reverse("forum:thread_feed", args=[thread.pk]),
    }


@pytest.mark.parametrize("role", READERS)
def test_members_moderators_and_staff_read_the_private_board(world, role):
    client = _client(world[role])
    urls = _urls(world)
    assert client.get(urls["board"]).status_code == 200
    assert SECRET in client.get(urls["thread"]).content.decode()
    assert client.get(urls["post"]).status_code == 302
    assert "Beta lounge" in client.get(reverse("forum:index")).content.decode()
    search = client.get(reverse("forum:search"), {"q": SECRET})
    assert search.context["page"].paginator.count == 1


@pytest.mark.parametrize("role", NON_READERS)
def test_everyone_else_is_refused_on_every_page(world, role):
    client = _client(world[role] if role else None)
    for name, url in _urls(world).items():
        status = client.get(url).status_code
        assert status in (403, 404), f"{name} answered {status}"
    index = client.get(reverse("forum:index")).content.decode()
    assert "Beta lounge" not in index and SECRET not in index
    assert "Public thread" in index
    search = client.get(reverse("forum:search"), {"q": SECRET})
    assert search.status_code == 200 and search.context["page"].paginator.count == 0
    assert "Build" not in search.content.decode()
    latest = client.get(reverse("forum:feed_latest")).content.decode()
    assert SECRET not in latest and "Public thread" in latest
    profile = client.get(reverse("forum:member", args=[world["thread"].author.username]))
    assert SECRET not in profile.content.decode()


def test_outsiders_cannot_reply_or_watch(world):
    client = _client(world["outsider"])
    thread, board = world["thread"], world["board"]
    reply = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "let me in"})
    assert reply.status_code in (403, 404)
    assert client.post(reverse("forum:board_watch", args=[board.slug])).status_code in (403, 404)
    assert client.get(reverse("forum:thread_create", args=[board.slug])).status_code in (403, 404)
    assert thread.posts.count() == 1


def test_leaving_the_program_closes_the_board(world):
    member = world["member"]
    assert _client(member).get(world["board"].get_absolute_url()).status_code == 200
    account_services.program_leave(user=member, program=world["program"])
    assert _client(member).get(world["board"].get_absolute_url()).status_code == 403


def test_the_anonymous_cache_never_serves_the_private_board(
    world, django_capture_on_commit_callbacks
):
    board, thread = world["board"], world["thread"]
    member_client = _client(world["member"])
    for url in (board.get_absolute_url(), thread.get_absolute_url(), reverse("forum:index")):
        assert member_client.get(url).status_code == 200
    anonymous = Client()
    assert anonymous.get(board.get_absolute_url()).status_code == 403
    assert anonymous.get(thread.get_absolute_url()).status_code == 403
    assert "Beta lounge" not in anonymous.get(reverse("forum:index")).content.decode()


def test_making_a_board_private_refreshes_the_cached_front_page(
    django_capture_on_commit_callbacks,
):
    program = make_program()
    board = BoardFactory(name="Soon private")
    thread = make_thread(board=board, title="Visible for now")
    anonymous = Client()
    assert anonymous.get(thread.get_absolute_url()).status_code == 200  # cached now
    assert "Soon private" in anonymous.get(reverse("forum:index")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.program_update(program=program, actor=StaffFactory(), board=board)
    assert "Soon private" not in anonymous.get(reverse("forum:index")).content.decode()
    assert anonymous.get(thread.get_absolute_url()).status_code == 403
    assert anonymous.get(board.get_absolute_url()).status_code == 403


def test_watchers_outside_the_program_get_no_reply_notifications(
    world, django_capture_on_commit_callbacks
):
    thread = world["thread"]
    outsider, member = world["outsider"], world["member"]
    ThreadWatch.objects.create(thread=thread, user=outsider)
    ThreadWatch.objects.create(thread=thread, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        make_reply(thread=thread, author=world["staff"], body="new build")
    assert Notification.objects.filter(recipient=member).exists()
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_a_board_belongs_to_one_program_at_most(world):
    other = make_program()
    with pytest.raises(ValidationError):
        moderation_services.program_update(
            program=other, actor=world["staff"], board=world["board"]
        )
