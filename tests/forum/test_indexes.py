"""The thread page reads one floor range through the (thread, floor) index."""

import pytest
from django.db import connection

from accounts.models import User
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


MEMBERS = 100_000


@postgresql_only
def test_the_thread_pages_posts_query_stays_on_its_indexes_at_100000_members():
    """The exact queryset the thread page reads (forum.selectors.page_posts), EXPLAINed
    with 100,000 members: the posts through (thread, floor), their authors by primary key,
    never a scan or a hash over the members' table; only the page's columns are read."""
    from forum.selectors import page_posts

    members = User.objects.bulk_create(
        (
            User(username=f"crowd{n}", email=f"crowd{n}@example.com", password="!")
            for n in range(MEMBERS)
        ),
        batch_size=5_000,
    )
    thread = make_thread(board=BoardFactory(), author=UserFactory())
    bulk_replies(thread, 1_999, authors=members[::97])  # 1,031 different authors
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")
        cursor.execute("ANALYZE forum_post")
    assert User.objects.count() >= MEMBERS

    for first in (1, 981, 1_981):  # page 1, page 50, the last page
        posts = page_posts(thread, first, first + 19)
        plan = posts.explain()
        assert "post_unique_floor" in plan, plan
        assert "accounts_user_pkey" in plan, plan
        assert "Seq Scan" not in plan and "Hash" not in plan, plan
        sql = str(posts.query)
        assert "OFFSET" not in sql.upper()
        for column in ('"forum_post"."source"', '"forum_post"."search_text"'):
            assert column not in sql
        assert '"accounts_user"."password"' not in sql and '"accounts_user"."email"' not in sql
        assert [p.floor for p in posts] == list(range(first, first + 20))
