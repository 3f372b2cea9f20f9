"""The demo data command: 90 days of a believable community, written through the services."""

import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from accounts.levels import level_for
from accounts.models import (
    BannedEmailDomain,
    BannedNetwork,
    CoreFlagChange,
    DailyActivity,
    DailyStats,
    Device,
    FirmwareChannel,
    InvitationCode,
    InvitationRedemption,
    MembershipState,
    Notification,
    Program,
    ProgramCandidate,
    ProgramMembership,
    User,
    WatchedWord,
)
from forum import services
from forum.models import Board, Post, Section, Thread, ThreadType
from moderation.demo.builder import TRIAGE_THREADS
from moderation.demo.catalogue import CAST
from moderation.demo.polls import POLL_THREADS
from moderation.management.commands.load_demo import Command
from moderation.models import AuditLog, Report, ReportCase

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")
CAST_BY_ROLE = {role: username for username, _p, _n, _l, role, _d in CAST}


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


def test_defaults_are_50_users_and_100_threads():
    options = Command().create_parser("manage.py", "load_demo").parse_args([])
    assert (options.users, options.threads, options.seed) == (50, 100, 2026)
    assert options.if_empty is False


class TestLoadedDemo:
    def test_prints_a_one_line_summary_of_what_it_made(self, demo_output):
        assert demo_output.strip().splitlines() == [
            f"Loaded demo data: 12 users, {Board.objects.count()} boards, "
            f"{Thread.objects.count()} threads, {Post.objects.count()} posts."
        ]
        # 24 threads started by the community, the new fan's one awaiting approval, two
        # meetups and the triage showcase's (a bug and its duplicate, release notes, two feedback).
        assert (
            User.objects.count() == 12
            and Thread.objects.count() == 25 + 2 + TRIAGE_THREADS + POLL_THREADS
        )  # 2 meetups, 2 polls

    def test_the_hot_page_has_threads_to_show(self, demo_output):
        assert Thread.objects.filter(hot_score__gt=0, is_hidden=False).count() >= 10
        assert Thread.objects.filter(like_total__gt=0).exists()

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
        # A new thread in the bug board starts as a bug report; elsewhere, as a discussion.
        assert Board.objects.get(name="Bug reports").default_thread_type == ThreadType.BUG
        assert set(
            Board.objects.exclude(name__in=["Bug reports", "Meetups"]).values_list(
                "default_thread_type", flat=True
            )
        ) == {ThreadType.DISCUSSION}
        # The meetups board starts meetups (爆米花 / 同城会).
        assert Board.objects.get(name="Meetups").default_thread_type == ThreadType.EVENT
        lounge = Board.objects.get(name="Beta testers lounge")
        assert lounge.visibility == Board.Visibility.MEMBERS
        assert set(Device.objects.values_list("codename", flat=True)) >= {
            "houji",
            "shennong",
            "aurora",
            "vermeer",
            "garnet",
        }
        # Every board got at least one (published) thread.
        assert not Board.objects.filter(thread_count=0).exists()

    def test_threads_are_in_chinese_and_english(self, demo_output):
        titles = list(Thread.objects.values_list("title", flat=True))
        assert any(HAN.search(t) for t in titles)
        assert any(not HAN.search(t) for t in titles)

    def test_floors_run_from_one_to_last_floor_without_gaps(self, demo_output):
        for thread in Thread.objects.filter(is_pending=False):
            floors = list(
                thread.posts.exclude(floor=None).order_by("floor").values_list("floor", flat=True)
            )
            assert floors == list(range(1, thread.last_floor + 1)), thread.pk
        assert Thread.objects.filter(reply_count__gt=0).exists()

    def test_an_open_public_poll_with_votes_and_a_closed_anonymous_one(self, demo_output):
        from forum.models import Poll, PollOption

        open_poll = Poll.objects.get(closed_at__isnull=True)
        assert open_poll.is_public and open_poll.max_choices == 2 and open_poll.voter_count > 3
        closed = Poll.objects.get(closed_at__isnull=False)
        assert not closed.is_public and closed.results == "on_close" and closed.voter_count > 3
        assert AuditLog.objects.filter(action="poll_close", target_id=closed.thread_id).exists()
        for poll in (open_poll, closed):
            totals = list(PollOption.objects.filter(poll=poll).values_list("vote_count", flat=True))
            services.poll_sync_counters(thread_id=poll.thread_id)
            poll.refresh_from_db()
            assert totals == list(
                PollOption.objects.filter(poll=poll).values_list("vote_count", flat=True)
            )

    def test_counters_are_what_the_repair_path_recounts(self, demo_output):
        def counters():
            return (
                list(Board.objects.order_by("pk").values_list("thread_count", "post_count")),
                list(Thread.objects.order_by("pk").values_list("reply_count", "last_floor")),
            )

        before = counters()
        for board in Board.objects.all():
            services.board_sync_counters(board=board)
        assert counters() == before

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
        for username, password, *_rest in CAST:
            assert User.objects.get(username=username).check_password(password), username
        names = list(User.objects.values_list("username", "display_name"))
        assert any(HAN.search(display) for _, display in names)
        assert any(not HAN.search(display) for _, display in names)
        assert all(username.isascii() for username, _ in names)
        for user in User.objects.all():
            assert EmailAddress.objects.filter(
                user=user, email=user.email, verified=True, primary=True
            ).exists()
            assert user.devices.exists()

    def test_a_few_threads_are_pinned_and_featured_through_the_audited_verbs(self, demo_output):
        pinned = Thread.objects.filter(is_pinned=True)
        assert 1 <= pinned.count() <= 6
        logged = AuditLog.objects.filter(action=AuditLog.Action.THREAD_PIN)
        assert set(logged.values_list("target_id", flat=True)) == set(
            pinned.values_list("pk", flat=True)
        )
        featured = Thread.objects.filter(is_featured=True)
        assert featured.exists()
        assert (
            AuditLog.objects.filter(
                action=AuditLog.Action.THREAD_FEATURE, target_id__in=featured.values("pk")
            ).count()
            == featured.count()
        )
        # Featuring paid the authors, as it does live.
        assert all(t.author.reputation_entries.filter(reason="featured").exists() for t in featured)

    def test_the_cast_has_its_roles_and_levels(self, demo_output):
        users = {u.username: u for u in User.objects.filter(username__in=[c[0] for c in CAST])}
        assert set(users) == {c[0] for c in CAST}
        assert users["admin"].is_staff and users["admin"].is_superuser
        assert users["globalmod"].is_global_moderator and not users["globalmod"].is_staff
        assert users["boardmod"].moderated_board_links.filter(board__slug="xiaomi-14-bugs").exists()
        assert users["sectionmod"].moderated_section_links.filter(section__slug="redmi").exists()
        assert AuditLog.objects.filter(action=AuditLog.Action.MODERATOR_ADD).count() == 2

        # The core fan was flagged by the daily job, not by hand, and is Senior or above.
        core = users["corefan"]
        assert core.is_core and level_for(core.reputation).rank >= 3
        change = CoreFlagChange.objects.get(user=core, new=True)
        assert change.changed_by_name == "accounts.update_core_flags"
        # The inviter earned the Active level, has codes, and the new fan came through one.
        demo = users["demo"]
        assert level_for(demo.reputation).key in ("active", "senior")
        assert InvitationCode.objects.filter(creator=demo).count() == 2
        newfan = users["newfan"]
        assert InvitationRedemption.objects.filter(invitee=newfan, inviter=demo).exists()
        assert level_for(newfan.reputation).key == "newcomer"
        assert newfan.date_joined > timezone.now() - timedelta(days=1)
        assert not users["demo"].is_staff and not users["corefan"].is_staff

    def test_the_queues_have_work_waiting(self, demo_output):
        assert ReportCase.objects.filter(is_open=True).count() >= 2
        held = Post.objects.filter(is_pending=True)
        assert held.count() >= 2
        assert held.filter(author__username="newfan").exists()
        # Earlier ones were handled through the queues, and logged.
        for action in ("REPORT_UPHOLD", "REPORT_DISMISS", "POST_APPROVE", "POST_REJECT"):
            assert AuditLog.objects.filter(action=getattr(AuditLog.Action, action)).exists()
        assert AuditLog.objects.filter(action=AuditLog.Action.USER_WARN).exists()
        assert AuditLog.objects.filter(action=AuditLog.Action.THREAD_BUG_STATUS).exists()

    def test_the_watched_words_and_bans_are_kept_and_used(self, demo_output):
        words = dict(WatchedWord.objects.filter(kind="word").values_list("pattern", "action"))
        chinese = {pattern: action for pattern, action in words.items() if HAN.search(pattern)}
        assert set(chinese.values()) == {"block", "replace", "approve", "flag"}
        assert WatchedWord.objects.filter(kind="regex").exists()
        network = BannedNetwork.objects.get()
        assert network.network == "203.0.113.0/24" and network.expires_at > timezone.now()
        assert BannedEmailDomain.objects.get().domain == "mailinator.com"
        keeper = User.objects.get(username=CAST_BY_ROLE["global_moderator"])
        logged = AuditLog.objects.filter(actor=keeper, action__in=["watched_word_add", "ban_add"])
        assert logged.count() == WatchedWord.objects.count() + 2
        # A fan's reply holding the flagged word is published and in the reports queue.
        flagged = Post.objects.get(source__contains="刷机包", is_pending=False, floor__gt=1)
        assert Report.objects.filter(post=flagged, reporter=None, case__is_open=True).exists()

    def test_the_programme_has_every_kind_of_member(self, demo_output):
        program = Program.objects.get()
        states = set(
            ProgramMembership.objects.filter(program=program).values_list("state", flat=True)
        )
        assert {MembershipState.INVITED, MembershipState.ACCEPTED, MembershipState.REMOVED} <= (
            states
        )
        waiting = ProgramCandidate.objects.filter(program=program).exclude(
            user__in=ProgramMembership.objects.filter(program=program).values("user")
        )
        assert waiting.exists()
        assert (
            program.seats_taken
            == ProgramMembership.objects.filter(
                program=program, state=MembershipState.ACCEPTED
            ).count()
        )
        assert Board.objects.filter(program=program).exists()

    def test_the_programme_is_open_with_applications(self, demo_output):
        from accounts.models import ApplicationState, ProgramApplication

        program = Program.objects.get()
        assert program.apply_rules.accepting_applications
        states = list(
            ProgramApplication.objects.filter(program=program).values_list("state", flat=True)
        )
        assert states.count(ApplicationState.PENDING) >= 1
        assert states.count(ApplicationState.ACCEPTED) == 1
        rejected = ProgramApplication.objects.filter(
            program=program, state=ApplicationState.REJECTED, automatic=False
        ).get()
        assert rejected.decision_reason and rejected.criteria
        accepted = ProgramApplication.objects.get(program=program, state="accepted")
        assert accepted.membership.state == MembershipState.ACCEPTED

    def test_history_is_spread_over_90_days(self, demo_output):
        days = set(Post.objects.datetimes("created_at", "day"))
        assert len(days) >= 30
        first = min(days)
        assert timezone.now() - first > timedelta(days=80)
        assert DailyStats.objects.count() == 90
        assert DailyStats.objects.filter(dau__gt=0).count() >= 80
        assert DailyStats.objects.filter(new_posts__gt=0).count() >= 20
        assert DailyActivity.objects.dates("day", "day").count() >= 85
        # Reputation, audit rows and notifications carry their own days, not the load's.
        assert AuditLog.objects.dates("created_at", "day").count() >= 10
        assert Notification.objects.dates("created_at", "day").count() >= 20

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
    assert load("--if-empty", users=8, threads=9).startswith("Loaded demo data: 8 users")
    assert (
        Thread.objects.count() == 9 + 1 + 2 + TRIAGE_THREADS + POLL_THREADS
    )  # the new fan's, two meetups, the showcase, two polls


def test_fewer_users_than_the_cast_are_refused():
    with pytest.raises(CommandError, match="at least 7"):
        load(users=6)
    assert not User.objects.exists()


def test_the_same_seed_gives_the_same_community():
    load("--seed=7", users=8, threads=12)
    first = thread_rows()
    # Load again from empty inside a savepoint, then roll it back.
    with pytest.raises(Rollback), transaction.atomic():
        Thread.objects.all().delete()
        Board.objects.all().delete()
        Section.objects.all().delete()
        Program.objects.all().delete()
        User.objects.all().delete()
        for model in (WatchedWord, BannedNetwork, BannedEmailDomain):
            model.objects.all().delete()
        load("--seed=7", users=8, threads=12)
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
    # The simulated clock is gone with the failure.
    assert abs(timezone.now() - datetime.now(UTC)) < timedelta(minutes=1)


def test_refuses_when_demo_usernames_are_taken():
    User.objects.create_user("admin", "someone@example.com", "x")
    with pytest.raises(CommandError, match="admin"):
        load()
    assert not Board.objects.exists() and User.objects.count() == 1


def test_demo_loads_with_the_live_posting_limits_on(settings):
    # The rate limits count real seconds, and a simulated day passes in a blink:
    # seeding steps around them. The approval rule stays: only first posts with
    # links are held.
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}
    load(users=8, threads=30)
    assert Thread.objects.count() == 31 + 2 + TRIAGE_THREADS + POLL_THREADS  # meetups, polls
    for post in Post.objects.filter(is_pending=True):
        assert "https://" in post.source
    # Members earned reputation through the same services as live posting.
    assert User.objects.filter(reputation__gt=0).exists()
