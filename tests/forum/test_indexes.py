"""The thread page reads one floor range through the (thread, floor) index."""

import pytest
from django.db import connection

from forum.models import Post
from tests.factories import BoardFactory, UserFactory, bulk_replies, make_thread
from tests.utils import postgresql_only

pytestmark = pytest.mark.django_db


@postgresql_only
def test_page_500_of_a_long_thread_is_an_index_range_scan_not_an_offset():
    author = UserFactory()
    thread = make_thread(board=BoardFactory(), author=author)
    bulk_replies(thread, 9_999, authors=[author])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE forum_post")

    plan = Post.objects.filter(thread=thread).floor_range(9_981, 10_000).explain()
    assert "post_unique_floor" in plan, plan
    assert "Seq Scan" not in plan and "OFFSET" not in plan.upper()
    sql = str(Post.objects.filter(thread=thread).floor_range(9_981, 10_000).query)
    assert "OFFSET" not in sql.upper()
