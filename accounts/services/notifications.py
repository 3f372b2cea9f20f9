"""Notifications: other apps describe what happened (kind, a URL, a message key with
its parameters, see accounts.notification_texts); these functions decide who hears of
it and how, keep the unread counter on the user with F(), and queue email after commit.
Recipients who turned a kind off get nothing."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts import notification_texts
from accounts.models import (
    BLOCKABLE_KINDS,
    DEFAULT_DELIVERY,
    Delivery,
    Notification,
    NotificationKind,
    User,
)
from accounts.selectors.blocking import blocking, has_blocked
from accounts.selectors.notifications import delivery_for
from config.jobs import enqueue_on_commit


def _wants(kind: str, delivery: str) -> Q:
    """Users whose setting for this kind is `delivery` (or unset and the default)."""
    # has_key first: a missing key compares as NULL, and NOT (NULL = x) is NULL,
    # so a bare comparison under exclude() would drop everyone left at the default.
    chosen = Q(notification_settings__has_key=kind) & Q(
        **{f"notification_settings__{kind}": delivery}
    )
    if DEFAULT_DELIVERY[kind] == delivery:
        chosen |= ~Q(notification_settings__has_key=kind)
    return chosen


def _message(title_key: str, title_params: dict | None, target_title: str) -> dict:
    """The row's message fields; a key nobody registered is a programming error."""
    if not notification_texts.is_known(title_key):
        raise ValueError(f"Unknown notification message {title_key!r}.")
    params = dict(title_params or {})
    return {
        "title_key": title_key,
        "title_params": params,
        "target_title": (target_title or str(params.get("title", "")))[:200],
    }


def _blocked(recipient: User, kind: str, actor: User | None) -> bool:
    return (
        actor is not None
        and kind in BLOCKABLE_KINDS
        and recipient.block_count > 0  # the row is loaded: most members block nobody
        and has_blocked(blocker_id=recipient.pk, blocked_id=actor.pk)
    )


def _queue_emails(notification_ids: list[int]) -> None:
    if notification_ids:
        enqueue_on_commit("accounts.send_notification_emails", notification_ids)


@transaction.atomic
def notification_fan_out(
    *,
    recipients: QuerySet | Iterable[int],
    kind: str,
    target_url: str,
    title_key: str,
    title_params: dict | None = None,
    target_title: str = "",
    actor: User | None = None,
    excerpt: str = "",
    group_key: str = "",
) -> int:
    """Notify many members at once with bulk inserts and one counter UPDATE.

    `recipients` is a queryset of user ids (a subquery, never loaded row by
    row into Python for the counter) or a small list of ids. The actor is never
    notified of their own action. Returns how many were notified. What the
    notification says is `title_key` filled in with `title_params`, worded when
    each recipient reads it; `target_title` (default: the "title" parameter)
    names what it is about.

    With a group_key, members who still have an unread notification in that
    group are skipped, so running the same fan-out again (a redelivered task)
    adds no second row and no second count. Two runs at the very same moment
    cannot both write: the unique unread-group constraint fails the later one,
    which rolls back whole, counter included.
    """
    message = _message(title_key, title_params, target_title)
    audience = User.objects.filter(pk__in=recipients, is_active=True).exclude(
        _wants(kind, Delivery.OFF)
    )
    if actor is not None:
        audience = audience.exclude(pk=actor.pk)
        if kind in BLOCKABLE_KINDS:  # members who blocked the actor hear nothing of them
            audience = audience.exclude(blocking(actor.pk))
    if group_key:
        audience = audience.exclude(
            Exists(
                Notification.objects.filter(
                    recipient=OuterRef("pk"), group_key=group_key, is_read=False
                )
            )
        )
    rows = list(audience.values_list("pk", "notification_settings"))
    if not rows:
        return 0
    # Counted before the rows are written: afterwards the group filter above
    # would no longer match the members just notified.
    User.objects.filter(pk__in=audience.values("pk")).update(
        unread_notifications=F("unread_notifications") + 1
    )
    now = timezone.now()
    actor_name = actor.username if actor else ""
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                actor=actor,
                actor_name=actor_name,
                target_url=target_url,
                **message,
                excerpt=excerpt[:300],
                group_key=group_key,
                created_at=now,
                updated_at=now,
            )
            for recipient_id, _settings in rows
        ],
        batch_size=1000,
    )
    default = DEFAULT_DELIVERY[kind]
    _queue_emails(
        [
            notification.pk
            for notification, (_pk, chosen) in zip(created, rows, strict=True)
            if (chosen or {}).get(kind, default) == Delivery.EMAIL
        ]
    )
    return len(rows)


def notification_create(
    *,
    recipient: User,
    kind: str,
    target_url: str,
    title_key: str,
    title_params: dict | None = None,
    target_title: str = "",
    actor: User | None = None,
    excerpt: str = "",
) -> Notification | None:
    """Notify one member; None when they turned this kind off or are the actor."""
    message = _message(title_key, title_params, target_title)
    if (actor is not None and actor.pk == recipient.pk) or not recipient.is_active:
        return None
    delivery = delivery_for(recipient, kind)
    if delivery == Delivery.OFF or _blocked(recipient, kind, actor):
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            actor=actor,
            actor_name=actor.username if actor else "",
            target_url=target_url,
            **message,
            excerpt=excerpt[:300],
        )
        User.objects.filter(pk=recipient.pk).update(
            unread_notifications=F("unread_notifications") + 1
        )
        if delivery == Delivery.EMAIL:
            _queue_emails([notification.pk])
    return notification


def notification_group_add(
    *,
    recipient: User,
    kind: str,
    group_key: str,
    target_url: str,
    title_key: str,
    title_params: dict | None = None,
    target_title: str = "",
    actor: User | None = None,
) -> Notification | None:
    """Fold into the recipient's unread notification for group_key, or start one.

    Likes on one post become "fan1 and 4 others liked …": one row, a count.
    A unique constraint on (recipient, group_key) among unread rows makes two
    racing likes meet in the same row instead of creating two. The row's
    text counts the others when read (the key's ".many" form).
    """
    message = _message(title_key, title_params, target_title)
    if (actor is not None and actor.pk == recipient.pk) or not recipient.is_active:
        return None
    if delivery_for(recipient, kind) == Delivery.OFF or _blocked(recipient, kind, actor):
        return None
    now = timezone.now()
    actor_name = actor.username if actor else ""
    unread = Notification.objects.filter(recipient=recipient, group_key=group_key, is_read=False)
    for _attempt in range(2):
        with transaction.atomic():
            if unread.update(
                count=F("count") + 1, actor=actor, actor_name=actor_name, updated_at=now
            ):
                return unread.first()
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        recipient=recipient,
                        kind=kind,
                        actor=actor,
                        actor_name=actor_name,
                        target_url=target_url,
                        **message,
                        group_key=group_key,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                continue  # someone else just created it: fold into theirs
            User.objects.filter(pk=recipient.pk).update(
                unread_notifications=F("unread_notifications") + 1
            )
            if delivery_for(recipient, kind) == Delivery.EMAIL:
                _queue_emails([notification.pk])
            return notification
    return None


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> bool:
    changed = Notification.objects.filter(pk=notification_id, recipient=user, is_read=False).update(
        is_read=True
    )
    if changed:
        User.objects.filter(pk=user.pk, unread_notifications__gt=0).update(
            unread_notifications=F("unread_notifications") - 1
        )
    return bool(changed)


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    changed = Notification.objects.filter(recipient=user, is_read=False).update(is_read=True)
    if changed:
        User.objects.filter(pk=user.pk).update(
            unread_notifications=Greatest(F("unread_notifications") - changed, 0)
        )
    return changed


def notification_settings_update(*, user: User, settings: dict[str, str]) -> None:
    valid = {
        kind: delivery
        for kind, delivery in settings.items()
        if kind in NotificationKind.values and delivery in Delivery.values
    }
    user.notification_settings = {**user.notification_settings, **valid}
    user.save(update_fields=["notification_settings"])


def notification_unsubscribe(*, user: User, kind: str) -> None:
    """Stop email for one kind (the link in every email); in-app stays on."""
    if delivery_for(user, kind) == Delivery.EMAIL:
        notification_settings_update(user=user, settings={kind: Delivery.IN_APP})


@transaction.atomic
def notification_preferences_update(
    *, user: User, settings: dict[str, str], auto_watch: bool
) -> None:
    """The settings page: a delivery per kind, and whether to watch what I take part in."""
    notification_settings_update(user=user, settings=settings)
    if user.auto_watch != auto_watch:
        user.auto_watch = auto_watch
        user.save(update_fields=["auto_watch"])
