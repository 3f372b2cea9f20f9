"""The thread page reads one floor range through the (thread, floor) index."""

import pytest
from django.db import connection

from forum.models import Post, Thread
from tests.factories import BoardFactory, UserFactory, make_thread
from tests.utils import postgresql_only

pytestmark = pytest.mark.django_db


@postgresql_only
def test_page_500_of_a_long_thread_is_an_index_range_scan_not_an_offset():
    author = UserFactory()
    thread = make_thread(board=BoardFactory(), author=author)
    Post.objects.bulk_create(
        Post(thread=thread, floor=f, author=author, author_name="a", source="x", html="x")
        for f in range(2, 10_001)
    )
    Thread.objects.filter(pk=thread.pk).update(last_floor=10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forum_post")

    plan = Post.objects.filter(thread=thread).floor_range(9_981, 10_000).explain()
    assert "post_unique_floor" in plan, plan
    assert "Seq Scan" not in plan and "OFFSET" not in plan.upper()
    sql = str(Post.objects.filter(thread=thread).floor_range(9_981, 10_000).query)
    assert "OFFSET" not in sql.upper()
