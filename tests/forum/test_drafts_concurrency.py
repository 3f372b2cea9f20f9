"""Two tabs saving the same draft at once, on PostgreSQL: one row, no error."""

import pytest

from accounts.models import User
from forum import services
from forum.models import Board, Draft, Thread
from tests.factories import BoardFactory, UserFactory, make_thread
from tests.utils import postgresql_only, run_at_once


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", ["board", "thread"])
def test_two_saves_at_once_leave_one_draft(target):
    member = UserFactory()
    board = BoardFactory()
    thread = make_thread(board=board)

    def save(body, wait):
        user = User.objects.get(pk=member.pk)
        where = (
            {"board": Board.objects.get(pk=board.pk)}
            if target == "board"
            else {"thread": Thread.objects.select_related("board").get(pk=thread.pk)}
        )
        wait()
        return services.draft_save(user=user, body=body, **where)

    for _round in range(5):
        Draft.objects.all().delete()
        saved, errors = run_at_once(["from tab one", "from tab two"], save)
        assert errors == [] and len(saved) == 2
        assert Draft.objects.count() == 1
        assert Draft.objects.get().body in {"from tab one", "from tab two"}
