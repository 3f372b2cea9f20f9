"""Read state: how far each member has read each thread, and "mark board read".

A ThreadRead row holds the highest floor a member has seen in a thread; a
BoardRead row says every thread with no activity after marked_at counts as
read. The board page turns both into unread markers (selectors.py).
"""

from django.db import connections, router
from django.utils import timezone

from accounts.models import User
from forum.models import Board, BoardRead, Post, Thread, ThreadRead
from forum.permissions import check_can_view_board

# The SQL function keeping the higher of two values, per database vendor.
_HIGHER_OF = {"postgresql": "GREATEST", "sqlite": "max"}


def _read_upsert_sql(connection) -> str:
    higher = _HIGHER_OF.get(connection.vendor)
    if higher is None:
        raise NotImplementedError(f"thread_mark_read has no upsert for {connection.vendor}")
    qn = connection.ops.quote_name
    table = qn(ThreadRead._meta.db_table)
    user, thread, floor, updated = (
        qn(ThreadRead._meta.get_field(name).column)
        for name in ("user", "thread", "last_read_floor", "updated_at")
    )
    # Identifiers come from the model, values are parameters. The WHERE skips the
    # write (and on PostgreSQL a dead row version) when re-reading earlier pages.
    return (
        f"INSERT INTO {table} ({user}, {thread}, {floor}, {updated}) "  # noqa: S608
        f"VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({user}, {thread}) DO UPDATE SET "
        f"{floor} = {higher}({table}.{floor}, EXCLUDED.{floor}), "
        f"{updated} = EXCLUDED.{updated} "
        f"WHERE {table}.{floor} < EXCLUDED.{floor}"
    )


def thread_mark_read(*, user: User, thread: Thread, floor: int) -> None:
    """Record that `user` has seen `thread` up to `floor`, in one statement.

    The read position never moves backwards: reading page 1 after page 3 keeps
    page 3's floor, however the two requests interleave, because the database
    keeps the higher value inside the upsert itself.
    """
    if floor < 1:
        return
    connection = connections[router.db_for_write(ThreadRead)]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_read_upsert_sql(connection), [user.pk, thread.pk, floor, now])


def board_mark_read(*, user: User, board: Board) -> None:
    """Count every thread of the board with no activity from now on as read."""
    check_can_view_board(user, board)
    BoardRead.objects.bulk_create(
        [BoardRead(user=user, board=board, marked_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "board"],
        update_fields=["marked_at"],
    )


def on_post_created(*, post: Post, thread: Thread, author: User) -> None:
    # Authors have read their own post: it must not show as unread to them.
    thread_mark_read(user=author, thread=thread, floor=post.floor)
