"""Weekly programme tasks counted in forum's tables, registered with accounts (ForumConfig)
so accounts' weekly job and a member's programme page can ask without importing forum."""

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from forum.models import Attachment, Thread, ThreadType


def bug_reports_with_log(program_id: int, start: datetime, end: datetime) -> QuerySet:
    """Rows (user_id, n): visible bug reports started in the programme's board between
    `start` and `end` whose opening post carries a log file."""
    log = Attachment.objects.filter(
        post__thread=OuterRef("pk"), post__floor=1, kind=Attachment.Kind.LOG
    )
    return (
        Thread.objects.filter(
            board__program_id=program_id,
            thread_type=ThreadType.BUG,
            created_at__gte=start,
            created_at__lt=end,
            is_hidden=False,
            is_pending=False,
            author__isnull=False,
        )
        .filter(Exists(log))
        .annotate(user_id=F("author_id"))
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
