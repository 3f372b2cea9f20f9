"""Moderators' pages cost a fixed number of queries, whatever the threads and posts shown.

Listing data is bulk-made (hidden threads and "Moved" notices among them); the
pages only read it.
"""

import pytest

from tests.factories import bulk_replies, bulk_threads, make_thread

pytestmark = pytest.mark.django_db


# session + user (2) + board (1) + the boards mod_a moderates (1) + COUNT (1)
# + page of threads (1) + devices (1) + announcements (1) + the board's moderators (1)
# + move targets for the bulk bar (1) + the verified-email check of "New thread" (1)
# + the viewer's read rows for the threads shown (1)
BOARD_PAGE_BOARD_MODERATOR = 12
# staff: no reach query (the flag is on the user row) and no email check
BOARD_PAGE_STAFF = 10


@pytest.mark.parametrize("count", [5, 50])
def test_board_page_as_a_moderator_does_not_grow_with_threads(
    client, world, django_assert_num_queries, count
):
    bulk_threads(world.board_a, count, hide_every=5)
    client.force_login(world.mod_a)
    with django_assert_num_queries(BOARD_PAGE_BOARD_MODERATOR):
        response = client.get(world.board_a.get_absolute_url())
    assert response.context["can_moderate"]
    assert len(response.context["page"].object_list) == min(count + 2, 30)
    with django_assert_num_queries(BOARD_PAGE_BOARD_MODERATOR):
        client.get(world.board_a.get_absolute_url() + "?page=2")
    client.force_login(world.staff)
    with django_assert_num_queries(BOARD_PAGE_STAFF):
        client.get(world.board_a.get_absolute_url())


# session + user (2) + thread (1) + reach (1) + posts (1)
# + verified-email check of the reply form (1) + move targets (1) + the posts' attachments (1)
# + the viewer's likes among the posts (1) + the read-position upsert (1)
# + the authors' shown medals (1) + the moderator's draft of a reply, to fill the form (1).
# History: 12 with medals; 13 once drafts added the draft read; 12 since the view counter
# went to the cache (forum.services.view_counts: no UPDATE of the thread's row on a read).
THREAD_PAGE_BOARD_MODERATOR = 12


@pytest.mark.parametrize("posts", [3, 60])
def test_thread_page_as_a_moderator_does_not_grow_with_posts(
    client, world, django_assert_num_queries, posts
):
    thread = make_thread(board=world.board_a, author=world.author)
    bulk_replies(thread, posts - 1, authors=[world.member], hide_every=4)
    client.force_login(world.mod_a)
    with django_assert_num_queries(THREAD_PAGE_BOARD_MODERATOR):
        response = client.get(thread.get_absolute_url())
    assert response.context["can_moderate"]
    assert len(response.context["page"].posts) == min(posts, 20)
