import pytest

from forum.models import Post
from forum.tasks import rerender_stale_posts
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_rerender_remakes_html_of_stale_posts_only(board):
    thread = make_thread(board=board, body="**bold**")
    Post.objects.filter(thread=thread).update(html="<p>old renderer</p>", render_version=0)
    fresh = make_thread(board=board, body="fresh").posts.get()

    assert rerender_stale_posts.apply(kwargs={"batch_size": 10}).get() == 1
    post = thread.posts.get()
    assert post.html == "<p><strong>bold</strong></p>\n"
    assert Post.objects.get(pk=fresh.pk).html == fresh.html
    assert rerender_stale_posts.apply().get() == 0  # nothing left: running again is a no-op
