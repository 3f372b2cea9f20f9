"""The triage filters and sorts ride on their indexes (PostgreSQL's plans)."""

import pytest
from django.db import connection

from forum import selectors
from forum.models import Thread, ThreadType, ThreadVote
from tests.factories import BoardFactory, DeviceFactory, bulk_threads, bulk_users
from tests.utils import postgresql_only

pytestmark = pytest.mark.django_db


@pytest.fixture
def many():
    # Few boards of many threads: with 300 a board, sorting its rows cost the planner
    # about as much as the index walk, and which it picked changed with the statistics.
    boards = [BoardFactory() for _ in range(4)]
    for board in boards:
        bulk_threads(board, 1500)
    Thread.objects.update(thread_type=ThreadType.BUG)
    device, common = DeviceFactory(codename="houji"), DeviceFactory(codename="fuxi")
    users = bulk_users(50)
    threads = list(Thread.objects.order_by("pk")[:400])
    # Most votes come from another device; the triaged one has a few.
    ThreadVote.objects.bulk_create(
        ThreadVote(
            thread=t,
            user=u,
            device=device if n < 2 and i < 20 else common,
            firmware_version="V14.0.3.0",
        )
        for i, t in enumerate(threads)
        for n, u in enumerate(users[:25])
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forum_thread")
        cursor.execute("ANALYZE forum_threadvote")
    return boards[0], device


@postgresql_only
@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "thread_board_votes"),
        ({"status": "bug-confirmed"}, "thread_board_bug_st"),
    ],
)
def test_the_board_sorted_by_votes_uses_its_index(many, filters, index):
    board, _device = many
    threads = selectors.board_threads(board, **filters).order_by("-vote_count", "-id")[:30]
    plan = threads.explain()
    assert index in plan, plan


@postgresql_only
def test_a_feedback_status_filter_reads_an_index(many):
    board, _device = many
    threads = selectors.board_threads(board, status="feedback-adopted").order_by("-vote_count")
    plan = threads[:30].explain()
    assert "Seq Scan on forum_thread" not in plan, plan


@postgresql_only
def test_the_triage_versions_read_the_votes_by_device(many):
    _board, device = many
    rows = ThreadVote.objects.filter(device=device).values("firmware_version")
    plan = rows.explain()
    assert "threadvote_triage" in plan, plan
