"""Drafts: a member's unsent thread or reply, saved on the server as it is typed.

One draft per member and target (a board's new thread, a thread's reply), held by the
model's constraints: saving is an upsert (update_or_create: a second tab's INSERT that
loses the race reads the winner's row back and updates it). Posting deletes the draft in
the posting transaction (draft_delete_posted, called by forum.services.posting/threads).
Drafts are saved only where the member may post (forum.permissions.draft_denied_reason);
reading and discarding one's own drafts is always allowed.

The preview renders through the very function posting stores a post's HTML with
(mentions.render_source, after validate_body), so what it shows is what will be stored.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Device, User
from forum.models import Board, Draft, Thread, ThreadType
from forum.permissions import draft_denied_reason
from forum.services.mentions import render_source
from forum.validators import clean_fields, validate_body, validate_title

FIRMWARE_MAX_LENGTH = 40


def _draft_body(body: str) -> str:
    """The body as posting would keep it; empty is allowed, too long is not."""
    return validate_body(body) if (body or "").strip() else ""


def _draft_title(title: str) -> str:
    return validate_title(title) if (title or "").strip() else ""


def _draft_firmware(version: str) -> str:
    # Kept as typed (it may be half a version yet): only its length is checked.
    version = (version or "").strip()
    if len(version) > FIRMWARE_MAX_LENGTH:
        raise ValidationError(
            _("Keep the firmware version to %(limit)d characters or fewer.")
            % {"limit": FIRMWARE_MAX_LENGTH},
            code="max_length",
        )
    return version


def _thread_type(thread_type: str) -> str:
    if thread_type and (thread_type not in ThreadType.values or thread_type == ThreadType.EVENT):
        raise ValidationError(_("Choose a valid thread type."), code="invalid_choice")
    return thread_type or ""


def _target(*, board: Board | None, thread: Thread | None) -> dict:
    if (board is None) == (thread is None):
        raise ValueError("a draft is for a board's new thread or for a thread's reply")
    if thread is not None:
        return {"board": None, "thread": thread}
    return {"board": board, "thread": None}


def draft_save(
    *,
    user: User,
    body: str,
    board: Board | None = None,
    thread: Thread | None = None,
    title: str = "",
    thread_type: str = "",
    device: Device | None = None,
    firmware_version: str = "",
) -> Draft | None:
    """Save the member's draft for a new thread in `board` or a reply to `thread`.

    A draft with nothing written is no draft: it is deleted, and None returned.
    The thread fields (title, type, device, firmware) are kept for new threads only.
    """
    target = _target(board=board, thread=thread)
    reason = draft_denied_reason(user, board=board, thread=thread)
    if reason:
        raise PermissionDenied(reason)
    fields = {"body": (_draft_body, body)}
    if thread is None:
        fields |= {
            "title": (_draft_title, title),
            "thread_type": (_thread_type, thread_type),
            "firmware_version": (_draft_firmware, firmware_version),
        }
    cleaned = clean_fields(fields)
    if not cleaned["body"] and not cleaned.get("title"):
        draft_discard(user=user, board=board, thread=thread)
        return None
    values = {
        "body": cleaned["body"],
        "title": cleaned.get("title", ""),
        "thread_type": cleaned.get("thread_type", ""),
        "device": device if thread is None else None,
        "firmware_version": cleaned.get("firmware_version", ""),
        "updated_at": timezone.now(),
    }
    draft, _created = Draft.objects.update_or_create(user=user, **target, defaults=values)
    return draft


def draft_discard(*, user: User, board: Board | None = None, thread: Thread | None = None) -> bool:
    """Delete the member's draft for that target; False if there was none."""
    deleted, _rows = Draft.objects.filter(user=user, **_target(board=board, thread=thread)).delete()
    return bool(deleted)


def draft_delete_posted(*, user: User, board: Board | None = None, thread: Thread | None = None):
    """The draft a post was written from goes with it: called inside the posting transaction."""
    Draft.objects.filter(user=user, **_target(board=board, thread=thread)).delete()


def draft_preview(*, body: str) -> str:
    """The HTML a post with this body would store: the same validation and renderer.

    Empty for an empty body; a body over the post's limit is a ValidationError.
    """
    cleaned = clean_fields({"body": (_draft_body, body)})["body"]
    return render_source(cleaned) if cleaned else ""
