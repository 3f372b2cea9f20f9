"""What happens after a post is written, in one place.

forum.services calls post_created() inside the posting transaction; each
feature reacts in its own module (the author's read position; watching and
fan-out of reply / new-thread notifications; mentions and quotes). Work that
may be large (10,000 watchers) is queued with transaction.on_commit, never
done in the request.
"""

from accounts.models import User
from forum.models import Post, Thread
from forum.services import mentions, reading, watching


def post_created(*, post: Post, thread: Thread, author: User, started_thread: bool) -> None:
    reading.on_post_created(post=post, thread=thread, author=author)
    watching.on_post_created(post=post, thread=thread, author=author, started_thread=started_thread)
    mentions.on_post_created(post=post, thread=thread, author=author)
