"""A member's own data: the archive's rows, and erasing the account.

moderation.services.member_data holds the checked verbs (who may, the audit row) and
builds the archive's content, which spans every app; these are accounts' own writes.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    Block,
    InvitationCode,
    MemberArchive,
    Notification,
    ProgramApplication,
    User,
)

ARCHIVE_SALT = "popcorn.member-archive"


def deleted_username(member_id: int) -> str:
    return f"deleted-{member_id}"


# The archive ------------------------------------------------------------------------


def archive_create(*, member: User, requested_by: User) -> tuple[MemberArchive, bool]:
    """The archive being prepared for `member`: a new one, or the one already pending
    (the constraint allows one), and whether it is new."""
    try:
        with transaction.atomic():
            return MemberArchive.objects.create(member=member, requested_by=requested_by), True
    except IntegrityError:
        pending = MemberArchive.objects.get(member=member, status=MemberArchive.Status.PENDING)
        return pending, False


def archive_finish(*, archive_id: int, name: str, content: bytes) -> bool:
    """Store a built archive; False if it was finished already (the job ran twice)."""
    archive = MemberArchive.objects.get(pk=archive_id)
    if archive.status != MemberArchive.Status.PENDING:
        return False
    stored = ContentFile(content, name=name)
    archive.file.save(name, stored, save=False)
    done = MemberArchive.objects.filter(pk=archive_id, status=MemberArchive.Status.PENDING).update(
        status=MemberArchive.Status.READY,
        file=archive.file.name,
        size=len(content),
        finished_at=timezone.now(),
    )
    if not done:  # another run finished first: keep its file, drop ours
        archive.file.storage.delete(archive.file.name)
    return bool(done)


def archives_expire() -> int:
    """Delete the files of archives older than MEMBER_ARCHIVE_DAYS (a daily job)."""
    cutoff = timezone.now() - timedelta(days=settings.POPCORN["MEMBER_ARCHIVE_DAYS"])
    old = MemberArchive.objects.filter(status=MemberArchive.Status.READY, finished_at__lt=cutoff)
    count = 0
    for archive in old.only("pk", "file").iterator(chunk_size=500):
        if archive.file:
            archive.file.storage.delete(archive.file.name)
        count += MemberArchive.objects.filter(pk=archive.pk).update(
            status=MemberArchive.Status.EXPIRED, file=""
        )
    return count


def archive_token(archive: MemberArchive) -> str:
    return signing.TimestampSigner(salt=ARCHIVE_SALT).sign(str(archive.pk))


def archive_id_from_token(token: str) -> int | None:
    """The archive a link names, if the link is genuine and younger than its lifetime."""
    max_age = timedelta(days=settings.POPCORN["MEMBER_ARCHIVE_DAYS"])
    try:
        return int(signing.TimestampSigner(salt=ARCHIVE_SALT).unsign(token, max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None


# Erasing an account ---------------------------------------------------------------


def member_erase(*, member: User) -> str:
    """Empty every personal field of `member` and delete what only concerns them, in the
    caller's transaction; the row stays as deleted-<id> so their posts keep an author.
    Returns the old username, for the other apps' denormalised names."""
    old = member.username
    new = deleted_username(member.pk)
    if member.avatar:
        member.avatar.delete(save=False)
    User.objects.filter(pk=member.pk).update(
        username=new,
        email="",
        display_name="",
        avatar="",
        signature="",
        notification_settings={},
        city=None,
        region="",
        is_active=False,
        is_staff=False,
        is_superuser=False,
        is_global_moderator=False,
        password=make_password(None),  # unusable: no way back in
        deleted_at=timezone.now(),
    )
    member.devices.clear()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    # Signed out everywhere: their sessions, and allauth's list of them.
    for session in UserSession.objects.filter(user=member):
        session.end()
    Notification.objects.filter(recipient=member).delete()
    # Their answers to programmes' questions are theirs: the applications keep only the
    # decision (the programme's history), not what they wrote.
    ProgramApplication.objects.filter(user=member).update(answers=[])
    Block.objects.filter(blocker=member).delete()
    Block.objects.filter(blocked=member).delete()
    User.objects.filter(pk=member.pk).update(block_count=0, unread_conversations=0)
    Notification.objects.filter(actor=member).update(actor_name=new)
    InvitationCode.objects.filter(creator=member).update(creator_name=new)
    InvitationCode.objects.filter(creator=member, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    for archive in MemberArchive.objects.filter(member=member).exclude(file=""):
        archive.file.storage.delete(archive.file.name)
    MemberArchive.objects.filter(member=member).delete()
    return old
