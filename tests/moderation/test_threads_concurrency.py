"""Moderators acting while fans reply, on PostgreSQL, each on its own connection."""

import threading

import pytest
from django.db import connection

from forum.models import Board, Post, Thread
from moderation import services
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread
from tests.utils import postgresql_only

REPLIES = 20


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_hides_and_restores_during_a_burst_of_replies_leave_exact_counters():
    board = BoardFactory()
    thread = make_thread(board=board)
    victims = [make_reply(thread=thread) for _ in range(5)]
    moderator = StaffFactory()
    fans = [UserFactory() for _ in range(REPLIES)]
    start = threading.Barrier(REPLIES + 1)
    errors = []

    def reply(fan):
        try:
            start.wait()
            make_reply(thread=thread, author=fan)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    def moderate():
        try:
            start.wait()
            for post in victims:
                services.post_hide(post=post, actor=moderator, reason="Spam")
            services.post_restore(post=victims[0], actor=moderator)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=reply, args=(f,)) for f in fans]
    workers.append(threading.Thread(target=moderate))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    thread = Thread.objects.get(pk=thread.pk)
    visible_replies = Post.objects.filter(thread=thread, is_hidden=False, floor__gt=1).count()
    assert visible_replies == REPLIES + 1
    assert thread.reply_count == visible_replies and thread.last_floor == REPLIES + 6
    last = Post.objects.filter(thread=thread, is_hidden=False).order_by("-floor").first()
    assert (thread.last_posted_at, thread.last_poster_name) == (last.created_at, last.author_name)
    assert Board.objects.get(pk=board.pk).post_count == 1 + visible_replies
