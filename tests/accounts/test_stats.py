"""The daily-actives job on hand-made data with known answers."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import DailyActivity, DailyStats, User
from accounts.services import stats
from accounts.tasks import compute_daily_actives
from forum import services as forum_services
from forum.models import Post, PostLike, SectionDailyStats
from tests.factories import BoardFactory, SectionFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

D = date(2024, 3, 31)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def act(user, day, **fields):
    fields.setdefault("visited", True)
    return DailyActivity.objects.create(user=user, day=day, **fields)


@pytest.fixture
def members():
    u = [UserFactory() for _ in range(8)]
    User.objects.filter(pk__in=[x.pk for x in u]).update(date_joined=at(D - timedelta(days=90)))
    User.objects.filter(pk__in=[u[0].pk, u[6].pk]).update(date_joined=at(D, 1))
    User.objects.filter(pk=u[7].pk).update(date_joined=at(D + timedelta(days=1), 0))
    act(u[0], D, posts=2, threads=1)
    act(u[0], D - timedelta(days=3))
    act(u[0], D - timedelta(days=20))
    act(u[1], D - timedelta(days=6))
    act(u[2], D - timedelta(days=7))
    act(u[3], D - timedelta(days=29))
    act(u[3], D - timedelta(days=30))
    act(u[4], D, likes_given=3)
    act(u[5], D, visited=False, likes_received=2)  # liked, did not come
    act(u[6], D - timedelta(days=30))  # outside every window
    return u


def test_daily_actives_known_answers(members):
    row = stats.daily_stats_compute(day=D)
    assert (row.dau, row.wau, row.mau) == (2, 3, 5)
    assert row.stickiness == pytest.approx(0.4)
    assert row.engaged == 2
    assert (row.new_users, row.new_threads, row.new_posts, row.likes) == (2, 1, 2, 3)


def test_running_twice_gives_the_same_row(members):
    first = stats.daily_stats_compute(day=D)
    second = stats.daily_stats_compute(day=D)
    fields = [f for f in stats.STATS_FIELDS if f != "computed_at"]
    assert DailyStats.objects.count() == 1
    assert [getattr(first, f) for f in fields] == [getattr(second, f) for f in fields]


def test_a_later_change_is_picked_up_by_a_rerun(members):
    stats.daily_stats_compute(day=D)
    act(UserFactory(), D)
    assert stats.daily_stats_compute(day=D).dau == 3
    assert DailyStats.objects.count() == 1


def test_a_run_killed_half_way_leaves_nothing_and_the_rerun_is_right(members):
    def boom(day, redo_from):
        raise RuntimeError("worker killed")

    stats.register_daily_stats_part("test.boom", boom)
    try:
        with pytest.raises(RuntimeError):
            stats.daily_stats_compute(day=D)
    finally:
        stats._parts.pop("test.boom")
    assert not DailyStats.objects.exists()
    assert stats.daily_stats_compute(day=D).dau == 2


def test_backfill_computes_every_day_of_the_range(members):
    assert stats.daily_stats_backfill(first=D - timedelta(days=3), last=D) == 4
    by_day = dict(DailyStats.objects.values_list("day", "dau"))
    expected = [1, 0, 0, 2]
    assert by_day == {D - timedelta(days=3 - n): dau for n, dau in enumerate(expected)}
    # A past day's window ends that day: u6 (D-30) is in it, u4 (on D only) is not.
    assert DailyStats.objects.get(day=D - timedelta(days=3)).mau == 5


def test_backfill_rejects_a_reversed_range():
    with pytest.raises(ValueError):
        stats.daily_stats_backfill(first=D, last=D - timedelta(days=1))


def test_the_task_and_run_jobs_compute_by_date(members, capsys):
    assert compute_daily_actives.delay(D.isoformat()).get()["dau"] == 2
    call_command(
        "run_jobs",
        "accounts.compute_daily_actives",
        "--from",
        (D - timedelta(days=1)).isoformat(),
        "--to",
        D.isoformat(),
    )
    assert set(DailyStats.objects.values_list("day", flat=True)) == {D, D - timedelta(days=1)}
    call_command("run_jobs")
    assert "accounts.update_core_flags" in capsys.readouterr().out


def test_per_section_figures_come_from_forum():
    a, b, empty = SectionFactory(), SectionFactory(), SectionFactory()
    board_a, board_b = BoardFactory(section=a), BoardFactory(section=b)
    u1, u2, u3, u4, u5 = (UserFactory() for _ in range(5))
    opening = make_thread(board=board_a, author=u1)
    reply = make_reply(thread=opening, author=u2)
    old = make_reply(thread=opening, author=u3)
    other = make_thread(board=board_b, author=u4)
    Post.objects.filter(thread__in=[opening, other]).update(created_at=at(D))
    Post.objects.filter(pk=old.pk).update(created_at=at(D - timedelta(days=10)))
    first = opening.posts.select_related("thread__board", "author").get(floor=1)
    forum_services.post_like(post=first, user=u5)
    forum_services.post_like(post=reply, user=u5)
    PostLike.objects.update(created_at=at(D, 20))

    stats.daily_stats_compute(day=D)
    rows = {r.section_id: r for r in SectionDailyStats.objects.filter(day=D)}
    assert set(rows) == {a.pk, b.pk, empty.pk}
    ra = rows[a.pk]
    assert (ra.posters, ra.posters_week, ra.posters_month) == (2, 2, 3)
    assert ra.stickiness == pytest.approx(2 / 3)
    assert (ra.new_threads, ra.new_posts, ra.likes, ra.likers) == (1, 2, 2, 1)
    rb = rows[b.pk]
    assert (rb.posters, rb.new_threads, rb.new_posts, rb.likes) == (1, 1, 1, 0)
    re = rows[empty.pk]
    assert (re.posters, re.posters_month, re.new_posts, re.stickiness) == (0, 0, 0, 0)

    stats.daily_stats_compute(day=D)  # idempotent per section too
    assert SectionDailyStats.objects.filter(day=D).count() == 3
    assert SectionDailyStats.objects.get(day=D, section=a).posters == 2


def _distinct_visitors(first: date, last: date) -> int:
    return (
        DailyActivity.objects.filter(day__gte=first, day__lte=last, visited=True)
        .values("user")
        .distinct()
        .count()
    )


def test_weekly_and_monthly_actives_from_the_gaps_equal_distinct_counts():
    # Members coming back after every gap length around the 7- and 30-day edges.
    people = [UserFactory() for _ in range(6)]
    for n, user in enumerate(people):
        step = (1, 3, 6, 7, 8, 29)[n]
        for back in range(0, 45, step):
            act(user, D - timedelta(days=back + n))
    stats.daily_stats_backfill(first=D - timedelta(days=8), last=D)
    for back in range(9):
        day = D - timedelta(days=back)
        row = DailyStats.objects.get(day=day)
        assert row.wau == _distinct_visitors(day - timedelta(days=6), day), day
        assert row.mau == _distinct_visitors(day - timedelta(days=29), day), day


def test_a_rerun_leaves_the_same_roll_up_rows(members):
    from accounts.models import DailyVisitGaps
    from forum.models import SectionPoster, SectionPosterGaps

    thread = make_thread(board=BoardFactory(), author=members[1])
    Post.objects.filter(thread=thread).update(created_at=at(D))

    def rows():
        return (
            sorted(DailyVisitGaps.objects.values_list("day", "gaps")),
            sorted(SectionPoster.objects.values_list("day", "section_id", "user_id")),
            sorted(SectionPosterGaps.objects.values_list("day", "section_id", "gaps")),
        )

    stats.daily_stats_compute(day=D)
    first = rows()
    # Thirty days of each: the window's earlier days are filled in once.
    assert len(first[0]) == 30 and first[1] == [(D, thread.board.section_id, members[1].pk)]
    stats.daily_stats_compute(day=D)
    assert rows() == first


def test_section_posters_over_a_week_and_a_month_count_each_member_once():
    section = SectionFactory()
    board = BoardFactory(section=section)
    regular, weekly, monthly = UserFactory(), UserFactory(), UserFactory()
    thread = make_thread(board=board, author=regular)
    Post.objects.filter(thread=thread).update(created_at=at(D))
    for back in (1, 2, 5):  # the regular again on three earlier days
        Post.objects.filter(pk=make_reply(thread=thread, author=regular).pk).update(
            created_at=at(D - timedelta(days=back))
        )
    for author, back in ((weekly, 6), (weekly, 20), (monthly, 29), (monthly, 30)):
        Post.objects.filter(pk=make_reply(thread=thread, author=author).pk).update(
            created_at=at(D - timedelta(days=back))
        )
    stats.daily_stats_compute(day=D)
    row = SectionDailyStats.objects.get(day=D, section=section)
    assert (row.posters, row.posters_week, row.posters_month) == (1, 2, 3)
    # The day before, through the backfill: the regular's D-1 post, weekly's D-6.
    stats.daily_stats_backfill(first=D - timedelta(days=1), last=D)
    earlier = SectionDailyStats.objects.get(day=D - timedelta(days=1), section=section)
    assert (earlier.posters, earlier.posters_week, earlier.posters_month) == (1, 2, 3)
    assert SectionDailyStats.objects.get(day=D, section=section).posters_month == 3
