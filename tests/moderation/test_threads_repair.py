"""The repair path recounts from rows, by command or task, whatever the counters say."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum.models import Board, Thread
from forum.tasks import sync_board_counters
from tests.moderation.world import counters, thread_action_url

pytestmark = pytest.mark.django_db


def _corrupt(world):
    Board.objects.filter(pk=world.board_a.pk).update(thread_count=99, post_count=0)
    Thread.objects.filter(pk=world.thread.pk).update(reply_count=40, last_floor=3)


def test_the_command_recounts_threads_and_boards(world):
    expected = counters(world.board_a, world.thread)
    _corrupt(world)
    call_command("sync_counters", "--board", world.board_a.slug)
    assert counters(world.board_a, world.thread) == expected


def test_the_task_recounts_one_board(world):
    expected = counters(world.board_a, world.thread)
    _corrupt(world)
    assert sync_board_counters(world.board_a.pk) == 2
    assert counters(world.board_a, world.thread) == expected
    assert sync_board_counters(0) == 0


def test_a_post_permalink_follows_the_post_through_a_split(client, world):
    permalink = reverse("forum:post", args=[world.reply.pk])
    client.force_login(world.mod_a)
    client.post(
        thread_action_url(world.thread, "split"), {"title": "Logs", "posts": [world.reply.pk]}
    )
    new = Thread.objects.get(title="Logs")
    assert client.get(permalink)["Location"] == f"{new.get_absolute_url()}?page=1#floor-1"
