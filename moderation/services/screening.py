"""Watched words and bans, kept by global moderators and staff: each change checked,
written (accounts.services._screening_unchecked, which bumps the cached lists' version
after the commit) and audited in one transaction. And the system's reports of posts and
messages that hold a word flagged for review."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import BannedEmailDomain, BannedNetwork, User, WatchedWord
from accounts.services import _screening_unchecked as unchecked
from forum.models import Message, Post
from moderation.models import AuditLog, MessageReport, Report, ReportCase, ReportReason
from moderation.permissions import check_can_manage_screening
from moderation.services.audit import audit_record
from moderation.services.reports import case_count_report

Action = AuditLog.Action
Target = AuditLog.TargetType
# Kept after their expiry this long (the console shows them as expired), then purged.
EXPIRED_BANS_KEEP_DAYS = 30


def _word_state(word: WatchedWord) -> dict:
    return {"pattern": word.pattern, "kind": word.kind, "action": word.action, "note": word.note}


def _audit_word(*, actor: User, action: str, word: WatchedWord, before, after, ip) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=Target.WATCHED_WORD,
        target_id=word.pk,
        target_label=word.pattern[:200],
        before=before,
        after=after,
        ip=ip,
    )


@transaction.atomic
def watched_word_create(
    *,
    actor: User,
    pattern: str,
    kind: str,
    action: str,
    note: str = "",
    ip: str | None = None,
) -> WatchedWord:
    check_can_manage_screening(actor)
    word = unchecked.watched_word_save(
        word=None, pattern=pattern, kind=kind, action=action, actor=actor, note=note
    )
    _audit_word(
        actor=actor,
        action=Action.WATCHED_WORD_ADD,
        word=word,
        before=None,
        after=_word_state(word),
        ip=ip,
    )
    return word


@transaction.atomic
def watched_word_update(
    *,
    actor: User,
    word: WatchedWord,
    pattern: str,
    kind: str,
    action: str,
    note: str = "",
    ip: str | None = None,
) -> WatchedWord:
    check_can_manage_screening(actor)
    word = WatchedWord.objects.select_for_update().get(pk=word.pk)
    before = _word_state(word)
    word = unchecked.watched_word_save(
        word=word, pattern=pattern, kind=kind, action=action, actor=actor, note=note
    )
    after = _word_state(word)
    if after != before:
        _audit_word(
            actor=actor,
            action=Action.WATCHED_WORD_CHANGE,
            word=word,
            before=before,
            after=after,
            ip=ip,
        )
    return word


@transaction.atomic
def watched_word_delete(*, actor: User, word: WatchedWord, ip: str | None = None) -> None:
    check_can_manage_screening(actor)
    _audit_word(
        actor=actor,
        action=Action.WATCHED_WORD_DELETE,
        word=word,
        before=_word_state(word),
        after=None,
        ip=ip,
    )
    unchecked.watched_word_delete(word=word)


def _ban_state(ban: BannedNetwork | BannedEmailDomain) -> dict:
    where = {"network": ban.network} if isinstance(ban, BannedNetwork) else {"domain": ban.domain}
    return {
        **where,
        "reason": ban.reason,
        "expires_at": ban.expires_at.isoformat() if ban.expires_at else None,
    }


def _audit_ban(*, actor: User, action: str, ban, before, after, ip) -> None:
    network = isinstance(ban, BannedNetwork)
    audit_record(
        actor=actor,
        action=action,
        target_type=Target.NETWORK_BAN if network else Target.DOMAIN_BAN,
        target_id=ban.pk,
        target_label=(ban.network if network else ban.domain)[:200],
        reason=ban.reason,
        before=before,
        after=after,
        ip=ip,
    )


@transaction.atomic
def banned_network_create(
    *,
    actor: User,
    network: str,
    reason: str,
    expires_at: datetime | None = None,
    ip: str | None = None,
) -> BannedNetwork:
    check_can_manage_screening(actor)
    ban = unchecked.banned_network_save(
        ban=None, network=network, reason=reason, expires_at=expires_at, actor=actor
    )
    _audit_ban(
        actor=actor, action=Action.BAN_ADD, ban=ban, before=None, after=_ban_state(ban), ip=ip
    )
    return ban


@transaction.atomic
def banned_domain_create(
    *,
    actor: User,
    domain: str,
    reason: str,
    expires_at: datetime | None = None,
    ip: str | None = None,
) -> BannedEmailDomain:
    check_can_manage_screening(actor)
    ban = unchecked.banned_domain_save(
        ban=None, domain=domain, reason=reason, expires_at=expires_at, actor=actor
    )
    _audit_ban(
        actor=actor, action=Action.BAN_ADD, ban=ban, before=None, after=_ban_state(ban), ip=ip
    )
    return ban


@transaction.atomic
def ban_update(
    *,
    actor: User,
    ban: BannedNetwork | BannedEmailDomain,
    value: str,
    reason: str,
    expires_at: datetime | None = None,
    ip: str | None = None,
):
    """Change a ban's range or domain (`value`), reason or expiry."""
    check_can_manage_screening(actor)
    ban = type(ban).objects.select_for_update().get(pk=ban.pk)
    before = _ban_state(ban)
    if isinstance(ban, BannedNetwork):
        ban = unchecked.banned_network_save(
            ban=ban, network=value, reason=reason, expires_at=expires_at, actor=actor
        )
    else:
        ban = unchecked.banned_domain_save(
            ban=ban, domain=value, reason=reason, expires_at=expires_at, actor=actor
        )
    after = _ban_state(ban)
    if after != before:
        _audit_ban(
            actor=actor, action=Action.BAN_CHANGE, ban=ban, before=before, after=after, ip=ip
        )
    return ban


@transaction.atomic
def ban_delete(
    *, actor: User, ban: BannedNetwork | BannedEmailDomain, ip: str | None = None
) -> None:
    check_can_manage_screening(actor)
    _audit_ban(
        actor=actor, action=Action.BAN_DELETE, ban=ban, before=_ban_state(ban), after=None, ip=ip
    )
    unchecked.ban_delete(ban=ban)


def bans_purge_expired() -> int:
    """The job: delete bans expired more than EXPIRED_BANS_KEEP_DAYS ago (they stopped
    applying at their expiry already; this only keeps the lists short)."""
    return unchecked.bans_purge_expired(
        older_than=timezone.now() - timedelta(days=EXPIRED_BANS_KEEP_DAYS)
    )


def _flag_text(words: list[str]) -> str:
    # The words themselves, no sentence: the queue shows them in the reader's language
    # under "Something else".
    return ("⚑ " + "、".join(words))[:500]


def watched_post_flag(*, post_id: int, words: list[str]) -> bool:
    """The system reports a post holding words flagged for review (after its commit):
    the post's case opens in the moderators' queue. False when the post is gone."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or not words:
        return False
    now = timezone.now()
    with transaction.atomic():
        ReportCase.objects.bulk_create(
            [ReportCase(post=post, is_open=False, first_reported_at=now, last_reported_at=now)],
            ignore_conflicts=True,
        )
        case = ReportCase.objects.select_for_update().get(post=post)
        Report.objects.create(
            case=case,
            post=post,
            reporter=None,
            reporter_name="",
            reason=ReportReason.OTHER,
            text=_flag_text(words),
            created_at=now,
        )
        case_count_report(case, now)
    return True


def watched_message_flag(*, message_id: int, words: list[str]) -> bool:
    """The system reports a private message holding words flagged for review."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None or not words:
        return False
    try:
        with transaction.atomic():
            MessageReport.objects.create(
                message=message,
                reporter=None,
                reporter_name="",
                reason=ReportReason.OTHER,
                text=_flag_text(words),
            )
    except IntegrityError:
        return False
    return True
