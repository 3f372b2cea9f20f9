from django.db import models


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Board

        if user.is_authenticated and user.is_staff:
            return self
        if user.is_authenticated:
            return self.exclude(visibility=Board.Visibility.STAFF)
        return self.filter(visibility=Board.Visibility.EVERYONE)


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
