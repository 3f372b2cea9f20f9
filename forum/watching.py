"""Watching threads and boards, and telling watchers about new posts. (issue 3: to be built)"""


def on_post_created(*, post, thread, author, started_thread: bool) -> None:
    return None
