"""What a member's data archive holds: their rows in every app, read by key in pages
(`id > last … LIMIT n`), so a member with 100,000 posts costs memory for one page."""

from collections.abc import Iterator

from django.db.models import F

from accounts.models import (
    CheckIn,
    InvitationCode,
    MemberArchive,
    ProgramApplication,
    ProgramMembership,
    ReputationEntry,
    User,
)
from forum.models import Bookmark, Message, Post, PostLike

PAGE = 1000


def _by_key(queryset, fields: list[str]) -> Iterator[dict]:
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values("pk", *fields)[:PAGE])
        yield from rows
        if len(rows) < PAGE:
            return
        last = rows[-1]["pk"]


def archive_profile(member: User) -> dict:
    return {
        "id": member.pk,
        "username": member.username,
        "email": member.email,
        "display_name": member.display_name,
        "signature": member.signature,
        "language": member.language,
        # The IP location (config.regions) of their last sign-in: a code, never an address.
        "region": member.region,
        "date_joined": member.date_joined,
        "last_login": member.last_login,
        "reputation": member.reputation,
        "post_count": member.post_count,
        "thread_count": member.thread_count,
        "devices": list(member.devices.values_list("codename", flat=True)),
        "notification_settings": member.notification_settings,
        "avatar": member.avatar.name if member.avatar else "",
    }


def archive_sections(member: User) -> dict[str, Iterator[dict]]:
    """Each file of the archive and its rows, in the order they are written."""
    return {
        "posts": _by_key(
            Post.objects.filter(author=member).annotate(thread_title=F("thread__title")),
            ["thread_id", "thread_title", "floor", "source", "created_at", "is_hidden", "region"],
        ),
        "likes": _by_key(PostLike.objects.filter(user=member), ["post_id", "created_at"]),
        "messages": _by_key(
            Message.objects.filter(author=member), ["conversation_id", "source", "created_at"]
        ),
        "bookmarks": _by_key(
            Bookmark.objects.filter(user=member), ["post_id", "note", "created_at"]
        ),
        "reputation": _by_key(
            ReputationEntry.objects.filter(user=member),
            ["points", "reason", "source", "target_title", "created_at"],
        ),
        "check_ins": _by_key(CheckIn.objects.filter(user=member), ["day", "streak"]),
        "invitations": _by_key(
            InvitationCode.objects.filter(creator=member),
            ["code", "max_uses", "uses", "created_at", "expires_at", "revoked_at"],
        ),
        "program_applications": _by_key(
            ProgramApplication.objects.filter(user=member).annotate(
                program_name=F("program__name")
            ),
            ["program_name", "state", "answers", "quiz_correct", "quiz_total", "submitted_at"],
        ),
        "programs": _by_key(
            ProgramMembership.objects.filter(user=member).annotate(program_name=F("program__name")),
            ["program_name", "state", "invited_at", "responded_at", "ended_at"],
        ),
    }


def member_archives(member: User, *, limit: int = 5) -> list[MemberArchive]:
    """The member's latest archives, newest first (the (member, -id) index)."""
    return list(MemberArchive.objects.filter(member=member).order_by("-id")[:limit])


def ready_archive(archive_id: int) -> MemberArchive | None:
    return (
        MemberArchive.objects.select_related("member")
        .filter(pk=archive_id, status=MemberArchive.Status.READY)
        .first()
    )
