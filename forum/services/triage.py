"""Bug and feedback triage: "me too" on bug reports and votes on feedback.

One ThreadVote row per member and thread, by a unique constraint: a double tap
or two phones meet in the constraint, never in a check-then-insert. vote_count
moves with F() in the same savepoint as the row, so a lost race leaves neither;
thread_sync_vote_count recounts it from the rows (the repair path). The
thread's row is updated first, which also serialises a vote with a moderator
closing the thread as a duplicate (that locks the row and moves the votes).
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import Device, NotificationKind, User
from forum import caching
from forum.models import Thread, ThreadVote
from forum.permissions import sanction_denied_reason, vote_denied_reason
from forum.validators import clean_fields, validate_firmware_version


@transaction.atomic
def thread_vote(
    *, thread: Thread, user: User, device: Device | None = None, firmware_version: str = ""
) -> bool:
    """Say "me too" on a bug report (or vote for feedback) with the device and firmware
    version it was hit on; False when this member already did."""
    reason = vote_denied_reason(user, thread)
    if reason:
        raise PermissionDenied(reason)
    cleaned = clean_fields({"firmware_version": (validate_firmware_version, firmware_version)})
    try:
        with transaction.atomic():  # a savepoint: a lost race takes back the count too
            counted = Thread.objects.filter(pk=thread.pk, duplicate_of__isnull=True).update(
                vote_count=F("vote_count") + 1
            )
            if not counted:  # closed as a duplicate a moment ago
                raise PermissionDenied(vote_denied_reason(user, _refreshed(thread)))
            ThreadVote.objects.create(
                thread=thread,
                user=user,
                device=device,
                firmware_version=cleaned["firmware_version"],
            )
    except IntegrityError:
        return False
    caching.bump_pages_on_commit(thread_ids=[thread.pk], board_ids=[thread.board_id])
    return True


def _refreshed(thread: Thread) -> Thread:
    thread.refresh_from_db(fields=["duplicate_of"])
    return thread


@transaction.atomic
def thread_unvote(*, thread: Thread, user: User) -> bool:
    """Take a "me too" back; False when there was none."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to say “me too”."))
    sanctioned = sanction_denied_reason(user, posting=False)
    if sanctioned:
        raise PermissionDenied(sanctioned)
    deleted, _per_model = ThreadVote.objects.filter(thread=thread, user=user).delete()
    if not deleted:
        return False
    Thread.objects.filter(pk=thread.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
    caching.bump_pages_on_commit(thread_ids=[thread.pk], board_ids=[thread.board_id])
    return True


def thread_sync_vote_count(*, thread: Thread | int) -> None:
    """Repair path: recount vote_count from the rows, in one statement."""
    pk = thread if isinstance(thread, int) else thread.pk
    votes = (
        ThreadVote.objects.filter(thread=OuterRef("pk"))
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Thread.objects.filter(pk=pk).update(vote_count=Coalesce(Subquery(votes), 0))


def votes_sync_all() -> int:
    """Repair path for every voted thread at once (set-based); returns threads touched."""
    votes = (
        ThreadVote.objects.filter(thread=OuterRef("pk"))
        .values("thread")
        .annotate(n=Count("pk"))
        .values("n")
    )
    touched = Q(vote_count__gt=0) | Q(pk__in=ThreadVote.objects.values("thread_id"))
    return Thread.objects.filter(touched).update(vote_count=Coalesce(Subquery(votes), 0))


def bug_notify_fixed(*, thread: Thread) -> int:
    """Tell everyone who said "me too" that the bug is fixed, and in which version.

    Set-based (a subquery of voters, one bulk insert); the group key makes a
    redelivered task notify nobody twice.
    """
    if not thread.fixed_in_version:
        return 0
    return account_services.notification_fan_out(
        recipients=ThreadVote.objects.filter(thread=thread).values("user_id"),
        kind=NotificationKind.BUG_UPDATE,
        target_url=thread.get_absolute_url(),
        title_key="forum.bug_fixed",
        title_params={"title": thread.title, "version": thread.fixed_in_version},
        group_key=f"bug_fixed:{thread.pk}:{thread.fixed_in_version}"[:100],
    )
