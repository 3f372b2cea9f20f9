from django.db import models
from django.db.models import Q


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Boards this user may read, as one filter (subqueries, no extra query).

        A board with an early-access program is private to the program's
        accepted members, its moderators and staff (forum.permissions.can_view_board).
        """
        from .models import Board

        if user.is_authenticated and user.is_staff:
            return self
        if not user.is_authenticated:
            return self.filter(visibility=Board.Visibility.EVERYONE, program__isnull=True)
        boards = self.exclude(visibility=Board.Visibility.STAFF)
        if user.is_global_moderator:
            return boards
        return boards.filter(
            Q(program__isnull=True) | Q(program__in=_accepted_programs(user)) | moderated_by(user)
        )


def _accepted_programs(user):
    from accounts.selectors import accepted_programs_of

    return accepted_programs_of(user)


def moderated_by(user) -> Q:
    """Boards this user moderates by role: their boards and their sections' boards."""
    from .models import BoardModerator, SectionModerator

    return Q(pk__in=BoardModerator.objects.filter(user=user).values("board_id")) | Q(
        section_id__in=SectionModerator.objects.filter(user=user).values("section_id")
    )


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may read: neither hidden nor awaiting approval."""
        return self.filter(is_hidden=False, is_pending=False)

    def not_moved(self):
        """Real threads, without the "Moved: …" notices left behind by moves and merges."""
        return self.filter(moved_to__isnull=True)

    def for_board(self, board):
        return self.filter(board=board)

    def listing_order(self):
        return self.order_by("-is_pinned", "-last_posted_at", "-id")


class PostQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may read: neither hidden nor awaiting approval."""
        return self.filter(is_hidden=False, is_pending=False)

    def floor_range(self, first: int, last: int):
        return self.filter(floor__gte=first, floor__lte=last).order_by("floor")
