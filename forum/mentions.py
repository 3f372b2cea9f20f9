"""@mentions and quotes in posts, and their notifications. (issue 3: to be built)"""


def on_post_created(*, post, thread, author) -> None:
    return None
