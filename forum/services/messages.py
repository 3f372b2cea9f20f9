"""Private messages (私信): starting a conversation, sending, reading, leaving.

The rules are the forum's: suspended and silenced members send nothing
(forum.permissions.messaging_denied_reason), new members may start
NEW_USER_CONVERSATIONS_PER_DAY conversations a day (a per-day row taken with a
conditional UPDATE, so two starts at once at the cap cannot both pass), and a member
who blocked the sender receives nothing from them: no unread mark, no notification,
and the message is not shown to them. A moderator warning (is_warning) goes through
blocks. Markdown is rendered once here and sanitised like posts.

Unread state: each participant row has `has_unread`; User.unread_conversations counts
those rows, changed with F() in the same transaction and only by a row that flips, so
the header reads the user row and nothing else. The conversation's participant rows
are locked while a message is sent, so a send and a read cannot count twice.
conversations_sync_unread is the repair path (sync_counters).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import NotificationKind, User
from config.jobs import enqueue_on_commit
from forum import rendering
from forum.models import (
    Conversation,
    ConversationDailyCount,
    ConversationParticipant,
    Message,
)
from forum.permissions import can_send_warning, check_can_message
from forum.rendering import RENDER_VERSION
from forum.services.limits import is_new_member
from forum.services.mentions import render_source

EXCERPT_LENGTH = 200


def _rules() -> dict:
    return settings.POPCORN


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message.")]})
    most = _rules()["MESSAGE_MAX_LENGTH"]
    if len(body) > most:
        raise ValidationError(
            {"body": [_("At most %(most)d characters, please.") % {"most": most}]}
        )
    return body


def _clean_subject(subject: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValidationError({"subject": [_("Give the conversation a subject.")]})
    return subject[:200]


def _screened(author: User, texts: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The bans and watched words, as for posts: the texts to store and the words to flag
    the message for. A message waits for nobody, so words that would hold a post for
    approval refuse it; moderators and staff are not flagged."""
    account_services.check_address_allowed()
    screened = account_services.text_screen(texts)
    if screened.approve:
        raise ValidationError(
            {"body": [account_services.blocked_message(word) for word in screened.approve]}
        )
    moderator = author.is_staff or author.is_global_moderator
    return screened.texts, [] if moderator else screened.flag


def _flag_on_commit(message: Message, words: list[str]) -> None:
    if words:
        enqueue_on_commit("moderation.flag_watched_message", message.pk, words)


def _take_daily_slot(user: User) -> None:
    """New members' daily cap of new conversations, in the caller's transaction.

    The day's row is created if missing (the unique constraint settles a race), then
    taken with UPDATE ... WHERE started < cap: the second of two starts at once waits
    for the first's row lock and re-reads the count, so it cannot pass the cap.
    """
    cap = _rules()["NEW_USER_CONVERSATIONS_PER_DAY"]
    day = timezone.localdate()
    ConversationDailyCount.objects.bulk_create(
        [ConversationDailyCount(user=user, day=day)], ignore_conflicts=True
    )
    taken = ConversationDailyCount.objects.filter(user=user, day=day, started__lt=cap).update(
        started=F("started") + 1
    )
    if not taken:
        raise ValidationError(
            {
                "recipients": [
                    _(
                        "New members may start %(cap)d conversations a day: "
                        "try again tomorrow, or reply in one you have."
                    )
                    % {"cap": cap}
                ]
            },
            code="conversation_cap",
        )


def _recipients(author: User, usernames, *, is_warning: bool) -> list[User]:
    names = []
    for name in usernames:
        name = (name or "").strip().lstrip("@")
        if name and name not in names and name != author.username:
            names.append(name)
    most = _rules()["MESSAGE_MAX_PARTICIPANTS"] - 1
    if not names:
        raise ValidationError({"recipients": [_("Name at least one member to write to.")]})
    if len(names) > most:
        raise ValidationError(
            {"recipients": [_("At most %(most)d members per conversation.") % {"most": most}]}
        )
    users = list(User.objects.filter(username__in=names, is_active=True))
    found = {user.username for user in users}
    missing = [name for name in names if name not in found]
    if missing:
        raise ValidationError(
            {"recipients": [_("No such member: %(names)s") % {"names": ", ".join(missing)}]}
        )
    if not is_warning:
        blockers = set(
            User.objects.filter(pk__in=[user.pk for user in users])
            .filter(account_selectors.blocking(author.pk))
            .values_list("username", flat=True)
        )
        if blockers:
            raise ValidationError(
                {
                    "recipients": [
                        _("%(names)s does not accept messages from you.")
                        % {"names": ", ".join(sorted(blockers))}
                    ]
                }
            )
    return users


def _excerpt(source: str) -> str:
    return rendering.plain_text(source, limit=EXCERPT_LENGTH)


def _notify(*, conversation: Conversation, message: Message, author: User, recipient_ids) -> None:
    if not recipient_ids:
        return
    warning = conversation.is_warning and message.is_warning
    account_services.notification_fan_out(
        recipients=recipient_ids,
        # A warning is a moderator's action: delivered like one, through blocks.
        kind=NotificationKind.MODERATION if warning else NotificationKind.MESSAGE,
        target_url=conversation.get_absolute_url(),
        title_key="forum.message_warning" if warning else "forum.message",
        title_params={"title": conversation.subject},
        actor=author,
        excerpt=_excerpt(message.source),
        group_key="" if warning else f"conversation:{conversation.pk}",
    )


def conversation_start(
    *,
    author: User,
    recipients: list[str],
    subject: str,
    body: str,
    is_warning: bool = False,
) -> Conversation:
    """Start a conversation with members named by username, with its first message.

    A moderator warning (is_warning, staff and moderators only: moderation.services
    wraps this with the audit row) reaches members who blocked the sender and does not
    count against the daily cap.
    """
    check_can_message(author)
    if is_warning and not can_send_warning(author):
        raise PermissionDenied(_("Only moderators and staff send moderator warnings."))
    texts, flag = _screened(author, {"subject": _clean_subject(subject), "body": _clean_body(body)})
    subject, body = texts["subject"], texts["body"]
    users = _recipients(author, recipients, is_warning=is_warning)
    html = render_source(body)
    now = timezone.now()
    with transaction.atomic():
        exempt = is_warning or author.is_staff or author.is_global_moderator
        if not exempt and is_new_member(author):
            _take_daily_slot(author)
        conversation = Conversation.objects.create(
            subject=subject,
            starter=author,
            starter_name=author.username,
            is_warning=is_warning,
            created_at=now,
            last_message_at=now,
            last_sender_name=author.username,
            last_excerpt=_excerpt(body),
            message_count=1,
        )
        message = Message.objects.create(
            conversation=conversation,
            author=author,
            author_name=author.username,
            source=body,
            html=html,
            render_version=RENDER_VERSION,
            is_warning=is_warning,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(last_message_id=message.pk)
        conversation.last_message_id = message.pk
        ConversationParticipant.objects.bulk_create(
            [
                ConversationParticipant(
                    conversation=conversation,
                    user=author,
                    username=author.username,
                    last_message_at=now,
                    last_read_message_id=message.pk,
                    joined_at=now,
                ),
                *(
                    ConversationParticipant(
                        conversation=conversation,
                        user=user,
                        username=user.username,
                        last_message_at=now,
                        has_unread=True,
                        joined_at=now,
                    )
                    for user in users
                ),
            ]
        )
        recipient_ids = [user.pk for user in users]
        User.objects.filter(pk__in=recipient_ids).update(
            unread_conversations=F("unread_conversations") + 1
        )
        _notify(
            conversation=conversation, message=message, author=author, recipient_ids=recipient_ids
        )
        _flag_on_commit(message, flag)
    return conversation


def message_send(*, conversation: Conversation, author: User, body: str) -> Message:
    """Reply in a conversation the author takes part in (and has not left)."""
    check_can_message(author)
    texts, flag = _screened(author, {"body": _clean_body(body)})
    body = texts["body"]
    html = render_source(body)
    with transaction.atomic():
        # The participants' rows, locked: sends in one conversation take turns, and a
        # read of one of them waits, so every unread flip is counted once.
        rows = list(
            ConversationParticipant.objects.select_for_update()
            .filter(conversation_id=conversation.pk, left_at__isnull=True)
            .order_by("pk")
        )
        mine = next((row for row in rows if row.user_id == author.pk), None)
        if mine is None:
            raise PermissionDenied(_("You are not in this conversation."))
        now = timezone.now()
        warning = conversation.is_warning and can_send_warning(author)
        message = Message.objects.create(
            conversation=conversation,
            author=author,
            author_name=author.username,
            source=body,
            html=html,
            render_version=RENDER_VERSION,
            is_warning=warning,
            created_at=now,
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            last_message_at=now,
            last_message_id=message.pk,
            last_sender_name=author.username,
            last_excerpt=_excerpt(body),
            message_count=F("message_count") + 1,
        )
        others = [row for row in rows if row.user_id != author.pk]
        if others and not conversation.is_warning:
            blockers = set(
                User.objects.filter(pk__in=[row.user_id for row in others])
                .filter(account_selectors.blocking(author.pk))
                .values_list("pk", flat=True)
            )
            others = [row for row in others if row.user_id not in blockers]
        # A blocker's list does not move for a message they will not see.
        ConversationParticipant.objects.filter(
            pk__in=[mine.pk, *(row.pk for row in others)]
        ).update(last_message_at=now)
        flipping = [row.user_id for row in others if not row.has_unread]
        if flipping:
            ConversationParticipant.objects.filter(
                conversation_id=conversation.pk, user_id__in=flipping
            ).update(has_unread=True)
            User.objects.filter(pk__in=flipping).update(
                unread_conversations=F("unread_conversations") + 1
            )
        ConversationParticipant.objects.filter(pk=mine.pk).update(
            last_read_message_id=message.pk, has_unread=False
        )
        if mine.has_unread:
            User.objects.filter(pk=author.pk, unread_conversations__gt=0).update(
                unread_conversations=F("unread_conversations") - 1
            )
        _notify(
            conversation=conversation,
            message=message,
            author=author,
            recipient_ids=[row.user_id for row in others],
        )
        _flag_on_commit(message, flag)
    return message


def conversation_mark_read(*, participant: ConversationParticipant, up_to: int) -> bool:
    """Move my read marker to message `up_to`; clears my unread flag (and count) once."""
    with transaction.atomic():
        flipped = ConversationParticipant.objects.filter(pk=participant.pk, has_unread=True).update(
            has_unread=False, last_read_message_id=up_to
        )
        if flipped:
            User.objects.filter(pk=participant.user_id, unread_conversations__gt=0).update(
                unread_conversations=F("unread_conversations") - 1
            )
        elif participant.last_read_message_id < up_to:
            ConversationParticipant.objects.filter(
                pk=participant.pk, last_read_message_id__lt=up_to
            ).update(last_read_message_id=up_to)
    participant.has_unread = False
    participant.last_read_message_id = max(participant.last_read_message_id, up_to)
    return bool(flipped)


def conversation_leave(*, participant: ConversationParticipant) -> bool:
    """Leave a conversation: it leaves my list, and nothing more reaches me from it."""
    with transaction.atomic():
        row = (
            ConversationParticipant.objects.select_for_update()
            .filter(pk=participant.pk, left_at__isnull=True)
            .first()
        )
        if row is None:
            return False
        ConversationParticipant.objects.filter(pk=row.pk).update(
            left_at=timezone.now(), has_unread=False
        )
        if row.has_unread:
            User.objects.filter(pk=row.user_id, unread_conversations__gt=0).update(
                unread_conversations=F("unread_conversations") - 1
            )
    return True


def conversations_sync_unread(*, user_ids=None) -> int:
    """Repair User.unread_conversations from the participant rows, set-based."""
    unread = (
        ConversationParticipant.objects.filter(
            user=OuterRef("pk"), has_unread=True, left_at__isnull=True
        )
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    return users.exclude(unread_conversations=Coalesce(Subquery(unread), Value(0))).update(
        unread_conversations=Coalesce(Subquery(unread), Value(0))
    )
