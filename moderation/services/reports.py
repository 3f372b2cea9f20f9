"""Members report posts; moderators uphold (hide the post) or dismiss each case.

A report is one row per (post, reporter), by a unique constraint. Reports of
one post share a ReportCase, whose counters move with F() under its row lock,
so a report arriving while a moderator resolves the case lands either in the
round being resolved or opens the next one, never in between.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import NotificationKind, ReputationReason, User
from accounts.services import reputation_grant
from config.errors import Conflict
from forum.models import Post
from forum.permissions import check_can_moderate
from moderation.models import AuditLog, Report, ReportCase, ReportReason, ReportStatus
from moderation.permissions import report_denied_reason
from moderation.selectors.reports import report_refused_until
from moderation.services import sanctions
from moderation.services.audit import audit_record, required_reason
from moderation.services.posts import post_hide
from moderation.services.program_scores import UPHELD_REPORT, score_after_commit
from moderation.services.threads import thread_hide


class AlreadyReported(ValidationError, Conflict):
    """A second report of the same post by the same member: a form error, an API 409."""


def case_count_report(case: ReportCase, now) -> None:
    """A new report on `case` (its row locked): reopen it if it was closed, then count it."""
    if not case.is_open:
        ReportCase.objects.filter(pk=case.pk).update(
            is_open=True,
            open_count=0,
            first_reported_at=now,
            resolution="",
            resolved_by=None,
            resolved_by_name="",
            resolution_note="",
            resolved_at=None,
        )
    ReportCase.objects.filter(pk=case.pk).update(
        open_count=F("open_count") + 1,
        report_count=F("report_count") + 1,
        last_reported_at=now,
    )


def report_create(*, post: Post, reporter: User, reason: str, text: str = "") -> Report:
    """File a report; a second report of the same post by the same member is refused.

    `post` comes with thread__board loaded. PermissionDenied when the member may
    not report it; ValidationError (field messages) for bad input, a repeat, or
    a reporter who is rate-limited.
    """
    denied = report_denied_reason(reporter, post)
    if denied:
        raise PermissionDenied(denied)
    text = " ".join((text or "").split())[:500]
    if reason not in ReportReason.values:
        raise ValidationError({"reason": [_("Choose why you are reporting it.")]})
    if reason == ReportReason.OTHER and not text:
        raise ValidationError({"text": [_("Tell the moderators what is wrong.")]})
    refused_until = report_refused_until(reporter)
    if refused_until is not None:
        raise ValidationError(
            _(
                "Moderators dismissed several of your recent reports, so you cannot "
                "report again until %(when)s."
            )
            % {"when": date_format(timezone.localtime(refused_until), "DATETIME_FORMAT")}
        )
    now = timezone.now()
    with transaction.atomic():
        ReportCase.objects.bulk_create(
            [ReportCase(post=post, is_open=False, first_reported_at=now, last_reported_at=now)],
            ignore_conflicts=True,
        )
        case = ReportCase.objects.select_for_update().get(post=post)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    case=case,
                    post=post,
                    reporter=reporter,
                    reporter_name=reporter.username,
                    reason=reason,
                    text=text,
                    created_at=now,
                )
        except IntegrityError:
            raise AlreadyReported(_("You have already reported this post.")) from None
        case_count_report(case, now)
    return report


def _lock_case(case: ReportCase | int) -> ReportCase:
    pk = case if isinstance(case, int) else case.pk
    return (
        ReportCase.objects.select_for_update(of=("self",))
        .select_related("post__thread__board", "post__author")
        .get(pk=pk)
    )


def _close(*, case: ReportCase, actor: User, status: str, note: str) -> list[Report]:
    """Close the case's open reports with `status`; returns them."""
    now = timezone.now()
    reports = list(case.reports.filter(status=ReportStatus.OPEN).order_by("pk"))
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(status=status, resolved_at=now)
    ReportCase.objects.filter(pk=case.pk).update(
        is_open=False,
        open_count=0,
        resolution=status,
        resolved_by=actor,
        resolved_by_name=actor.username,
        resolution_note=note[:500],
        resolved_at=now,
    )
    return reports


def _tell_reporters(
    *, reports: list[Report], actor: User, post: Post, title_key: str, note: str
) -> None:
    account_services.notification_fan_out(
        recipients=[r.reporter_id for r in reports if r.reporter_id],
        kind=NotificationKind.MODERATION,
        target_url=post.get_permalink(),
        title_key=title_key,
        title_params={"title": post.thread.title},
        actor=actor,
        excerpt=note,
    )


def _check_open(case: ReportCase) -> None:
    if not case.is_open:
        raise ValidationError(_("These reports were already resolved."))


@transaction.atomic
def report_case_uphold(
    *,
    case: ReportCase,
    actor: User,
    reason: str,
    suspend_days: int | None = None,
    ip: str | None = None,
) -> ReportCase:
    """Hide the reported post (the whole thread for an opening post), optionally
    suspend its author, and tell the reporters.

    Each upheld reporter earns REPORT_UPHELD once per report, the author loses
    CONTENT_REMOVED once per post (the ledger's unique sources make both exact).
    """
    case = _lock_case(case)
    post = case.post
    check_can_moderate(actor, post.thread.board)
    _check_open(case)
    if post.is_pending:
        raise ValidationError(_("The post awaits approval: reject it in the approval queue."))
    reason = required_reason(reason)
    if suspend_days is not None and post.author_id is None:
        raise ValidationError({"suspend_days": [_("The author's account is gone.")]})
    if post.floor == 1:
        thread_hide(thread=post.thread, actor=actor, reason=reason, ip=ip)
    else:
        post_hide(post=post, actor=actor, reason=reason, ip=ip)
    reports = _close(case=case, actor=actor, status=ReportStatus.UPHELD, note=reason)
    title = post.thread.title
    for report in reports:
        if report.reporter_id:
            reputation_grant(
                user_id=report.reporter_id,
                reason=ReputationReason.REPORT_UPHELD,
                source=f"report:{report.pk}",
                title=title,
                url=post.get_permalink(),
            )
    if post.author_id:
        reputation_grant(
            user_id=post.author_id,
            reason=ReputationReason.CONTENT_REMOVED,
            source=f"removed:{post.pk}",
            title=title,
            url=post.get_permalink(),
        )
    if suspend_days:
        sanctions.user_suspend(
            actor=actor,
            user=post.author,
            until=timezone.now() + timedelta(days=suspend_days),
            reason=reason,
            ip=ip,
            board=post.thread.board,
        )
    audit_record(
        actor=actor,
        action=AuditLog.Action.REPORT_UPHOLD,
        target=post,
        reason=reason,
        before={"open_reports": len(reports)},
        after={"resolution": ReportStatus.UPHELD, "suspend_days": suspend_days},
        ip=ip,
    )
    _tell_reporters(
        reports=reports,
        actor=actor,
        post=post,
        title_key="moderation.report_upheld",
        note=reason,
    )
    score_after_commit(user_id=post.author_id, reason=UPHELD_REPORT, source=f"case:{case.pk}")
    return case


@transaction.atomic
def report_case_dismiss(
    *, case: ReportCase, actor: User, note: str = "", ip: str | None = None
) -> ReportCase:
    """Leave the post as it is; the reporters are told, and the dismissals count
    towards each reporter's limit."""
    case = _lock_case(case)
    post = case.post
    check_can_moderate(actor, post.thread.board)
    _check_open(case)
    note = " ".join((note or "").split())
    reports = _close(case=case, actor=actor, status=ReportStatus.DISMISSED, note=note)
    audit_record(
        actor=actor,
        action=AuditLog.Action.REPORT_DISMISS,
        target=post,
        reason=note,
        before={"open_reports": len(reports)},
        after={"resolution": ReportStatus.DISMISSED},
        ip=ip,
    )
    _tell_reporters(
        reports=reports,
        actor=actor,
        post=post,
        title_key="moderation.report_dismissed",
        note=note,
    )
    return case
