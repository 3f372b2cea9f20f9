"""The demo data command: a believable community, written through the services."""

import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count

from accounts.models import DailyStats, Device, FirmwareChannel, Program, ProgramCandidate, User
from forum import services
from forum.management.commands.load_demo import Command
from forum.models import Board, Post, Section, Thread

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def load(*args, users=12, threads=24):
    out = StringIO()
    call_command("load_demo", f"--users={users}", f"--threads={threads}", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (User, EmailAddress, Device, Section, Board, Thread, Post)
    }


def thread_rows():
    return list(Thread.objects.order_by("pk").values_list("title", "author_name", "last_floor"))


class Rollback(Exception):
    pass


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """One load shared by the read-only tests of a class, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load()
        transaction.set_rollback(True)


def test_defaults_are_50_users_and_300_threads():
    options = Command().create_parser("manage.py", "load_demo").parse_args([])
    assert (options.users, options.threads, options.seed) == (50, 300, 2026)
    assert options.if_empty is False


class TestLoadedDemo:
    def test_prints_a_one_line_summary_of_what_it_made(self, demo_output):
        assert demo_output.strip().splitlines() == [
            f"Loaded demo data: 12 users, {Board.objects.count()} boards, 24 threads, "
            f"{Post.objects.count()} posts."
        ]
        assert User.objects.count() == 12 and Thread.objects.count() == 24

    def test_every_section_has_its_boards(self, demo_output):
        boards = {
            section.name: set(section.boards.values_list("name", flat=True))
            for section in Section.objects.all()
        }
        assert boards["Xiaomi 14 series"] == {
            "Stable firmware",
            "Beta firmware",
            "Bug reports",
            "Guides",
        }
        assert len(boards["Redmi"]) >= 2
        assert {"Announcements", "Off-topic", "Beta testers lounge"} <= boards["Community"]

        assert Board.objects.get(name="Stable firmware").channel == FirmwareChannel.STABLE
        assert Board.objects.get(name="Beta firmware").channel == FirmwareChannel.BETA
        assert Board.objects.get(name="Announcements").posting == Board.Posting.STAFF
        lounge = Board.objects.get(name="Beta testers lounge")
        assert lounge.visibility == Board.Visibility.MEMBERS
        assert set(Device.objects.values_list("codename", flat=True)) >= {
            "houji",
            "shennong",
            "aurora",
            "vermeer",
            "garnet",
        }
        # Every board got at least one thread.
        assert not Board.objects.filter(thread_count=0).exists()

    def test_threads_are_in_chinese_and_english(self, demo_output):
        titles = list(Thread.objects.values_list("title", flat=True))
        assert any(HAN.search(t) for t in titles)
        assert any(not HAN.search(t) for t in titles)

    def test_floors_run_from_one_to_last_floor_without_gaps(self, demo_output):
        for thread in Thread.objects.all():
            floors = list(thread.posts.order_by("floor").values_list("floor", flat=True))
            assert floors == list(range(1, thread.last_floor + 1)), thread.pk
            assert thread.reply_count == thread.last_floor - 1
        assert Thread.objects.filter(reply_count__gt=0).exists()

    def test_counters_match_the_rows(self, demo_output):
        for board in Board.objects.annotate(
            real_threads=Count("threads", distinct=True), real_posts=Count("threads__posts")
        ):
            assert board.thread_count == board.real_threads, board.name
            assert board.post_count == board.real_posts, board.name
        for user in User.objects.annotate(
            real_threads=Count("threads", distinct=True), real_posts=Count("posts", distinct=True)
        ):
            assert (user.thread_count, user.post_count) == (user.real_threads, user.real_posts)

    def test_announcements_are_all_by_staff(self, demo_output):
        announcements = Thread.objects.filter(board__name="Announcements")
        assert announcements.exists()
        assert not announcements.filter(author__is_staff=False).exists()

    def test_posts_are_rendered_and_some_quote_an_earlier_floor(self, demo_output):
        assert not Post.objects.filter(html="").exists()
        quotes = Post.objects.filter(source__startswith="> **")
        assert quotes.exists()
        for post in quotes:
            quoted = re.match(r"> \*\*[\w.-]+\*\* wrote on #(\d+):\n> ", post.source)
            assert int(quoted.group(1)) < post.floor
            assert "<blockquote>" in post.html
        assert Post.objects.filter(html__contains="<pre><code").exists()

    def test_logins_and_verified_emails(self, demo_output):
        admin = User.objects.get(username="admin")
        assert admin.is_staff and admin.is_superuser and admin.check_password("popcorn-admin")
        demo = User.objects.get(username="demo")
        assert not demo.is_staff and demo.check_password("popcorn-demo")
        names = list(User.objects.values_list("username", "display_name"))
        assert any(HAN.search(display) for _, display in names)
        assert any(not HAN.search(display) for _, display in names)
        assert all(username.isascii() for username, _ in names)
        for user in User.objects.all():
            assert EmailAddress.objects.filter(
                user=user, email=user.email, verified=True, primary=True
            ).exists()
            assert user.devices.exists()

    def test_a_few_threads_are_pinned(self, demo_output):
        assert 1 <= Thread.objects.filter(is_pinned=True).count() <= 6

    def test_if_empty_does_nothing_when_the_forum_has_boards(self, demo_output):
        before = snapshot()
        assert "not loaded" in load("--if-empty")
        assert snapshot() == before

    def test_without_if_empty_a_second_load_is_refused(self, demo_output):
        before = snapshot()
        with pytest.raises(CommandError, match="demo data already loaded"):
            load()
        assert snapshot() == before


def test_if_empty_loads_into_an_empty_forum():
    assert load("--if-empty", users=4, threads=9).startswith("Loaded demo data: 4 users")
    assert Thread.objects.count() == 9


def test_the_same_seed_gives_the_same_community():
    load("--seed=7", users=6, threads=12)
    first = thread_rows()
    # Load again from empty inside a savepoint, then roll it back.
    with pytest.raises(Rollback), transaction.atomic():
        Thread.objects.all().delete()
        Board.objects.all().delete()
        Section.objects.all().delete()
        Program.objects.all().delete()
        User.objects.all().delete()
        load("--seed=7", users=6, threads=12)
        second = thread_rows()
        raise Rollback
    assert second == first


def test_a_failure_part_way_leaves_nothing_behind(monkeypatch):
    calls = []
    real_post_reply = services.post_reply

    def failing_post_reply(**kwargs):
        calls.append(1)
        if len(calls) == 5:
            raise RuntimeError("disk full")
        return real_post_reply(**kwargs)

    monkeypatch.setattr(services, "post_reply", failing_post_reply)
    with pytest.raises(RuntimeError, match="disk full"):
        load(threads=9)
    assert len(calls) == 5
    assert set(snapshot().values()) == {0}


def test_refuses_when_demo_usernames_are_taken():
    User.objects.create_user("admin", "someone@example.com", "x")
    with pytest.raises(CommandError, match="admin"):
        load()
    assert not Board.objects.exists() and User.objects.count() == 1


def test_demo_loads_with_the_live_posting_limits_on(settings):
    # The limits and the approval hold are for live posting; seeding steps around them.
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}
    load(users=6, threads=30)
    assert Thread.objects.count() == 30
    assert not Post.objects.filter(is_pending=True).exists()
    # Members earned reputation through the same services as live posting.
    assert User.objects.filter(reputation__gt=0).exists()


def test_demo_has_a_history_for_the_console_and_a_program_with_candidates():
    load(users=12, threads=24)
    assert DailyStats.objects.count() == 90
    assert DailyStats.objects.filter(dau__gt=0).exists()
    program = Program.objects.get()
    assert ProgramCandidate.objects.filter(program=program).exists()
