"""Read state for one viewer: unread markers and where to start reading."""

from forum.models import Thread, ThreadRead


def attach_unread(threads: list[Thread], *, user, board_marked_at) -> None:
    """Set `unread_count` and `is_unread` on each thread, for one viewer.

    Their read positions for all the threads come in one query. A thread with
    no activity since the board was marked read is read; one they have opened
    has last_floor - last_read_floor new posts; one never opened is new.
    """
    read_floors = dict(
        ThreadRead.objects.filter(user=user, thread__in=[t.pk for t in threads]).values_list(
            "thread_id", "last_read_floor"
        )
    )
    for thread in threads:
        read_floor = read_floors.get(thread.pk)
        if board_marked_at is not None and thread.last_posted_at <= board_marked_at:
            thread.unread_count = 0
            thread.is_unread = False
        elif read_floor is not None:
            thread.unread_count = max(0, thread.last_floor - read_floor)
            thread.is_unread = thread.unread_count > 0
        else:
            thread.unread_count = None  # never opened: "new", however long
            thread.is_unread = True


def first_unread_floor(user, thread: Thread) -> int:
    """The floor after the viewer's read position (their last floor if all read), or 1."""
    if not user.is_authenticated:
        return 1
    read_floor = (
        ThreadRead.objects.filter(user=user, thread=thread)
        .values_list("last_read_floor", flat=True)
        .first()
    )
    if read_floor is None:
        return 1
    return max(1, min(read_floor + 1, thread.last_floor))


def thread_read_floor(user, thread: Thread) -> int:
    """The highest floor the viewer has read in the thread (0: never opened)."""
    if not user.is_authenticated:
        return 0
    floor = (
        ThreadRead.objects.filter(user=user, thread=thread)
        .values_list("last_read_floor", flat=True)
        .first()
    )
    return floor or 0
