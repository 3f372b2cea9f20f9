"""The job registry and `manage.py run_jobs`: what it lists, what it runs, what it refuses.

Jobs run here in-process (CELERY_TASK_ALWAYS_EAGER in the test settings), so every
run has its effect on the test database before call_command returns.
"""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import DailyActivity, DailyStats, User
from config.celery import app
from tests.factories import UserFactory, make_thread

pytestmark = pytest.mark.django_db

D = date(2024, 5, 1)

# Every job run_jobs offers (the by-hand ones), and which of them take a date.
BY_HAND = {
    "accounts.activity_partitions": True,
    "accounts.compute_daily_actives": True,
    "accounts.programs_close_weeks": True,
    "accounts.programs_expire_invitations": False,
    "accounts.programs_flag_candidates": True,
    "accounts.programs_requalify_members": True,
    "accounts.reconcile_reputation": False,
    "accounts.update_core_flags": True,
    "accounts.award_medals": False,
    "config.outbox_resend": False,
    "forum.delete_expired_uploads": False,
    "forum.fold_thread_views": False,
    "forum.rescore_hot_threads": False,
    "forum.send_meetup_reminders": False,
    "moderation.delete_old_exports": False,
    "moderation.expire_member_archives": False,
    "forum.sync_vote_counts": False,
    "moderation.purge_expired_bans": False,
    "moderation.retry_triage_webhooks": False,
    "moderation.tidy_expired_sanctions": False,
}


def run_jobs(*argv: str) -> str:
    out = StringIO()
    call_command("run_jobs", *argv, stdout=out)
    return out.getvalue()


def visits(day: date, members: int) -> None:
    """`members` distinct members visited on `day`."""
    for user in UserFactory.create_batch(members):
        DailyActivity.objects.create(user=user, day=day, visited=True)


def dau_by_day() -> dict[date, int]:
    return dict(DailyStats.objects.values_list("day", "dau"))


# Listing -------------------------------------------------------------------------------


def test_with_no_job_it_lists_exactly_the_by_hand_jobs_with_their_date_options():
    out = run_jobs()
    names = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert names == sorted(BY_HAND)  # sorted, each once
    for line in out.splitlines():
        if line and not line.startswith(" "):
            assert line.endswith("[--date D | --from D --to D]") == BY_HAND[line.split()[0]]
    # Each name is followed by the first line of its docstring.
    assert "accounts.reconcile_reputation\n    Nightly: repair any member whose total" in out


def test_a_job_that_needs_the_sites_arguments_is_registered_but_not_listed_or_run():
    assert "moderation.write_user_export" in app.tasks  # a real task...
    assert "moderation.write_user_export" not in run_jobs()  # ...kept out of run_jobs
    with pytest.raises(CommandError) as refused:
        run_jobs("moderation.write_user_export")
    assert "unknown job 'moderation.write_user_export'" in str(refused.value)


# Running -------------------------------------------------------------------------------


def test_a_dated_job_runs_for_the_given_date_only():
    visits(D - timedelta(days=1), 1)
    visits(D, 2)
    out = run_jobs("accounts.compute_daily_actives", "--date", D.isoformat())
    assert dau_by_day() == {D: 2}
    prefix = f"accounts.compute_daily_actives {D.isoformat()}: "
    assert out.startswith(prefix)
    assert json.loads(out.removeprefix(prefix)) == {
        "day": "2024-05-01",
        "dau": 2,
        "wau": 3,
        "mau": 3,
    }


def test_a_range_runs_the_job_once_for_every_day_in_order():
    for offset, members in ((0, 1), (1, 2), (2, 3)):
        visits(D + timedelta(days=offset), members)
    last = D + timedelta(days=2)
    out = run_jobs(
        "accounts.compute_daily_actives", "--from", D.isoformat(), "--to", last.isoformat()
    )
    assert dau_by_day() == {D: 1, D + timedelta(days=1): 2, last: 3}
    days = [line.split()[1].rstrip(":") for line in out.splitlines()]
    assert days == ["2024-05-01", "2024-05-02", "2024-05-03"]


def test_a_one_day_range_is_that_day_and_a_rerun_rewrites_the_same_row():
    visits(D, 2)
    run_jobs("accounts.compute_daily_actives", "--from", D.isoformat(), "--to", D.isoformat())
    visits(D, 1)  # a late visit, then the backfill again
    run_jobs("accounts.compute_daily_actives", "--date", D.isoformat())
    assert dau_by_day() == {D: 3}


def test_an_undated_job_runs_and_prints_its_result():
    drifted = UserFactory()
    make_thread(author=drifted)
    User.objects.filter(pk=drifted.pk).update(reputation=999)
    out = run_jobs("accounts.reconcile_reputation")
    assert out.strip() == "accounts.reconcile_reputation : 1"  # one member repaired
    assert User.objects.get(pk=drifted.pk).reputation == 2  # back to what the ledger says
    assert run_jobs("accounts.reconcile_reputation").strip() == "accounts.reconcile_reputation : 0"


def test_enqueue_sends_the_job_to_the_queue_once_per_day():
    visits(D, 2)
    out = run_jobs("accounts.compute_daily_actives", "--date", D.isoformat(), "--enqueue")
    assert out.startswith(f"accounts.compute_daily_actives {D.isoformat()} queued as ")
    assert dau_by_day() == {D: 2}  # the eager test queue ran it at once


# Refusing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["accounts.nope"], "unknown job 'accounts.nope'; run_jobs with no job lists them"),
        (["accounts.compute_daily_actives", "--date", "yesterday"], "not a date"),
        (["accounts.compute_daily_actives", "--from", "2024-03-02"], "--from and --to go together"),
        (["accounts.compute_daily_actives", "--to", "2024-03-02"], "--from and --to go together"),
        (
            ["accounts.compute_daily_actives", "--from", "2024-03-02", "--to", "2024-03-01"],
            "--to is before --from",
        ),
        (
            [
                "accounts.compute_daily_actives",
                *("--date", "2024-03-01", "--from", "2024-03-01", "--to", "2024-03-02"),
            ],
            "give --date or --from/--to, not both",
        ),
        (["moderation.delete_old_exports", "--date", "2024-03-01"], "takes no date"),
        (["accounts.reconcile_reputation", "--from", "2024-03-01"], "takes no date"),
    ],
)
def test_bad_input_is_a_clear_error_and_runs_nothing(argv, message):
    visits(date(2024, 3, 1), 1)
    with pytest.raises(CommandError) as refused:
        run_jobs(*argv)
    assert message in str(refused.value)
    assert not DailyStats.objects.exists()
