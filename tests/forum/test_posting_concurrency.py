"""Concurrent replies on PostgreSQL, each on its own connection."""

import pytest

from forum import services
from forum.models import Board, Post, Thread
from tests.factories import BoardFactory, UserFactory, make_thread
from tests.utils import postgresql_only, run_at_once

REPLIES = 50


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_replies_get_floors_2_to_51_without_gaps():
    board = BoardFactory()
    thread = make_thread(board=board)
    authors = [UserFactory() for _ in range(REPLIES)]

    def reply(author, wait):
        wait()  # all threads hit the database at the same moment
        services.post_reply(thread=thread, author=author, body=f"reply from {author}")

    _, errors = run_at_once(authors, reply)

    assert errors == []
    floors = sorted(Post.objects.filter(thread=thread).values_list("floor", flat=True))
    assert floors == list(range(1, REPLIES + 2))
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.reply_count == REPLIES and thread.last_floor == REPLIES + 1
    assert Board.objects.get(pk=board.pk).post_count == REPLIES + 1
