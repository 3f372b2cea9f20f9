"""Weekly tasks, warnings before removal, and the score history with moderation deductions."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import MembershipState, Notification, Program, ProgramMembership
from forum.models import Thread, ThreadType
from moderation import services as moderation_services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

from .programs_apply_world import apply, open_program
from .programs_world import programme_staff

pytestmark = pytest.mark.django_db


def _member(program, **user_fields):
    application = apply(program, UserFactory(**user_fields))
    moderation_services.program_application_accept(application=application, actor=programme_staff())
    application.refresh_from_db()
    return application.membership


def _joined_long_ago(membership):
    ProgramMembership.objects.filter(pk=membership.pk).update(
        responded_at=timezone.now() - timedelta(days=60)
    )


def _bug_report(board, author, *, when, log=True, thread_type=ThreadType.BUG):
    files = [SimpleUploadedFile("radio.log", b"modem crashed\n", content_type="text/plain")]
    thread = make_thread(
        board=board,
        author=author,
        thread_type=thread_type,
        attachments=files if log else (),
    )
    Thread.objects.filter(pk=thread.pk).update(created_at=when)
    return thread


@pytest.fixture
def world():
    board = BoardFactory()
    program = open_program(
        program={"board": board}, weekly_bug_reports_with_log=1, weekly_missed_limit=2
    )
    return program, board


def test_the_week_records_done_and_missed_warns_then_removes_only_after_a_warning(world):
    program, board = world
    busy, idle = _member(program), _member(program)
    for m in (busy, idle):
        _joined_long_ago(m)
    this_week = account_selectors.week_start(timezone.localdate())
    week1, week2 = this_week - timedelta(days=14), this_week - timedelta(days=7)
    begin1, _end = account_selectors.week_bounds(week1)
    begin2, _end = account_selectors.week_bounds(week2)
    _bug_report(board, busy.user, when=begin1 + timedelta(days=2))
    _bug_report(board, idle.user, when=begin1 + timedelta(days=2), log=False)  # no log
    _bug_report(board, idle.user, when=begin1 + timedelta(days=2), thread_type="discussion")

    first = account_services.program_week_close(program=program, week=week1)
    assert first == {"recorded": 2, "done": 1, "warned": 1, "removed": 0}
    assert account_services.program_week_close(program=program, week=week1)["recorded"] == 0
    idle.standing.refresh_from_db()
    assert idle.standing.missed_weeks == 1 and idle.standing.warned_at is not None
    assert Notification.objects.filter(
        recipient=idle.user, title_key="accounts.program_week_missed"
    ).exists()
    busy.standing.refresh_from_db()
    assert busy.standing.score == 105  # 100 on joining, 5 for the week

    _bug_report(board, busy.user, when=begin2 + timedelta(days=1))
    second = account_services.program_week_close(program=program, week=week2)
    assert second["removed"] == 1 and second["done"] == 1
    idle.refresh_from_db()
    assert idle.state == MembershipState.REMOVED and "weekly tasks" in idle.end_reason
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    assert Notification.objects.filter(
        recipient=idle.user, title_key="accounts.program_week_removed"
    ).exists()


def test_nobody_is_removed_without_a_warning_from_an_earlier_week(world):
    program, _board = world
    rules = program.apply_rules
    rules.weekly_missed_limit = 1
    rules.save()
    member = _member(program)
    _joined_long_ago(member)
    week = account_selectors.week_start(timezone.localdate()) - timedelta(days=14)
    result = account_services.program_week_close(program=program, week=week)
    assert result["removed"] == 0 and result["warned"] == 1
    result = account_services.program_week_close(program=program, week=week + timedelta(days=7))
    assert result["removed"] == 1


def test_members_who_joined_during_the_week_are_not_judged_on_it(world):
    program, _board = world
    _member(program)  # joined now
    week = account_selectors.week_start(timezone.localdate()) - timedelta(days=7)
    assert account_services.program_week_close(program=program, week=week)["recorded"] == 0


def test_this_weeks_progress_counts_bug_reports_with_a_log(world):
    program, board = world
    member = _member(program)
    progress = account_selectors.member_progress(
        account_selectors.my_membership(member.user, program)
    )
    assert progress.tasks[0]["have"] == 0 and not progress.tasks[0]["passed"]
    _bug_report(board, member.user, when=timezone.now())
    progress = account_selectors.member_progress(
        account_selectors.my_membership(member.user, program)
    )
    assert progress.tasks[0] == progress.tasks[0] | {"have": 1, "need": 1, "passed": True}
    assert progress.deadline > timezone.now()


def test_moderation_outcomes_deduct_as_the_rules_say_once_each(
    world, django_capture_on_commit_callbacks
):
    program, _board = world
    rules = program.apply_rules
    rules.deduct_removed_post, rules.deduct_silence = 10, 7
    rules.save()
    member = _member(program)
    moderator = StaffFactory()
    thread = make_thread(board=BoardFactory(), author=UserFactory())
    reply = make_reply(thread=thread, author=member.user)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_hide(post=reply, actor=moderator, reason="spam")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.post_restore(post=reply, actor=moderator)
        moderation_services.post_hide(post=reply, actor=moderator, reason="spam again")
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.user_silence(
            actor=moderator,
            user=member.user,
            until=timezone.now() + timedelta(days=1),
            reason="flame war",
        )
    member.standing.refresh_from_db()
    assert member.standing.score == 100 - 10 - 7
    reasons = list(member.score_entries.values_list("reason", "delta"))
    assert sorted(reasons) == sorted([("joined", 100), ("removed_post", -10), ("silence", -7)])
    # Upheld reports cost nothing here (rule 0), and other members nothing at all.
    outsider = UserFactory()
    assert (
        account_services.program_score_moderation(
            user_id=outsider.pk, reason="upheld_report", source="case:1"
        )
        == 0
    )


def test_the_score_repair_path_sums_the_entries(world):
    program, _board = world
    member = _member(program)
    member.standing.__class__.objects.filter(pk=member.pk).update(score=-999)
    assert account_services.program_scores_repair(program=program) == 1
    member.standing.refresh_from_db()
    assert member.standing.score == 100
