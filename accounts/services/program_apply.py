"""Programmes members apply to, the member's side and the jobs: apply (form answers and
the day's quiz, scored with the criteria), automatic acceptance within the seats, the
weekly tasks' job, the score history and its deductions for moderation outcomes.

An accepted application takes its seat with the same conditional UPDATE an accepted
invitation does (programs.take_seat), in the transaction that moves the application
from pending and makes the membership: the last seat goes to exactly one, and a
refusal rolls everything back. Staff decisions are in _program_apply_unchecked,
reached only through moderation's audited verbs.
"""

import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import (
    ApplicationState,
    MembershipState,
    NotificationKind,
    Program,
    ProgramApplication,
    ProgramApplyRules,
    ProgramMembership,
    ProgramScoreEntry,
    ProgramStanding,
    ProgramWeek,
    ScoreReason,
    User,
)
from accounts.selectors.program_apply import (
    apply_rules,
    criteria_report,
    quiz_draw,
    task_counts,
    week_bounds,
    week_start,
)
from accounts.selectors.programs import open_programs

from .notifications import notification_fan_out
from .programs import ProgramStateError, _free_seats, _knob, take_seat

State = MembershipState


def program_page_url(program: Program) -> str:
    return reverse("accounts:program_mine", kwargs={"slug": program.slug})


def _apply_refusal(program: Program, user: User) -> str | None:
    now = timezone.now()
    rows = ProgramMembership.objects.filter(program=program, user=user)
    live = rows.filter(Q(state=State.ACCEPTED) | Q(state=State.INVITED, expires_at__gt=now)).first()
    if live is not None and live.state == State.ACCEPTED:
        return _("You are already a member of this program.")
    if live is not None:
        return _("You have an invitation to this programme: accept it instead.")
    cooling = rows.filter(cooling_off_until__gt=now).order_by("-cooling_off_until").first()
    if cooling is not None:
        return _("You can apply to this programme again after %(date)s.") % {
            "date": date_format(timezone.localtime(cooling.cooling_off_until), "DATETIME_FORMAT")
        }
    return None


def _open_rules(program: Program) -> ProgramApplyRules:
    rules = apply_rules(program)
    if rules is None or not rules.accepting_applications or not program.is_open:
        raise ProgramStateError(
            _("“%(name)s” is not open for applications.") % {"name": program.name}
        )
    return rules


def apply_refusal(program: Program, user: User) -> str | None:
    """Why this member cannot apply now, or None (for the pages' and API's offer)."""
    try:
        _open_rules(program)
    except ProgramStateError as exc:
        return exc.messages[0]
    return _apply_refusal(program, user)


def _quiz_day(given: date | None) -> date:
    """The day whose quiz was answered: today, or yesterday for a form opened before midnight."""
    today = timezone.localdate()
    if given is None:
        return today
    if given not in (today, today - timedelta(days=1)):
        raise ValidationError({"quiz_day": [_("This quiz has expired: reload the form.")]})
    return given


@transaction.atomic
def program_apply(
    *,
    user: User,
    program: Program,
    answers: dict[int, str],
    quiz: dict[int, int],
    quiz_day: date | None = None,
) -> ProgramApplication:
    """Apply to a programme with the form's answers and the quiz drawn for `quiz_day`.

    Every question must be answered and every drawn quiz question given a choice
    (errors per field: question_<id>, quiz_<id>). A quiz below the pass mark is
    rejected at once (another quiz is drawn the next day); otherwise the application
    waits for staff, or with automatic acceptance and every criterion met takes a
    free seat now. One pending application per programme and one a day: constraints.
    """
    rules = _open_rules(program)
    refusal = _apply_refusal(program, user)
    if refusal:
        raise ProgramStateError(refusal)
    day = _quiz_day(quiz_day)
    errors: dict[str, list[str]] = {}
    snapshot_answers = []
    for question in program.apply_questions.all():
        text = (answers.get(question.pk) or "").strip()
        if not text:
            errors[f"question_{question.pk}"] = [_("Answer this question.")]
        elif len(text) > 2000:
            errors[f"question_{question.pk}"] = [_("At most 2,000 characters.")]
        snapshot_answers.append({"question": question.text, "answer": text[:2000]})
    drawn = quiz_draw(program, user, day, rules.quiz_per_day)
    drawn_ids = {item.pk for item in drawn}
    if set(quiz) - drawn_ids:
        errors["quiz"] = [_("These are not the quiz questions drawn for you: reload the form.")]
    snapshot_quiz, correct = [], 0
    for item in drawn:
        chosen = quiz.get(item.pk)
        if chosen is None or not 0 <= chosen < len(item.choices):
            errors[f"quiz_{item.pk}"] = [_("Choose an answer.")]
            continue
        right = chosen == item.answer
        correct += right
        snapshot_quiz.append(
            {
                "item": item.pk,
                "question": item.text,
                "chosen": item.choices[chosen],
                "right": right,
            }
        )
    if errors:
        raise ValidationError(errors)
    criteria = criteria_report(program, user)
    passed_quiz = correct >= rules.quiz_pass_mark
    application = ProgramApplication(
        program=program,
        user=user,
        answers=snapshot_answers,
        quiz_day=day,
        quiz=snapshot_quiz,
        quiz_correct=correct,
        quiz_total=len(drawn),
        quiz_passed=passed_quiz,
        criteria=criteria,
        criteria_passed=all(row["passed"] for row in criteria),
    )
    if not passed_quiz:
        application.state = ApplicationState.REJECTED
        application.automatic = True
        application.decided_at = timezone.now()
        application.decision_reason = _(
            "Quiz: %(correct)d of %(total)d right, %(mark)d needed. "
            "You can apply again tomorrow with other questions."
        ) % {"correct": correct, "total": len(drawn), "mark": rules.quiz_pass_mark}
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ProgramStateError(
            _("You already applied to “%(name)s” today or your application is waiting.")
            % {"name": program.name}
        ) from exc
    if rules.auto_accept and application.quiz_passed and application.criteria_passed:
        try:
            with transaction.atomic():
                accept_application(application=application, actor=None, automatic=True)
        except ProgramStateError:
            pass  # no seat free (or the programme closed): it waits for staff
        application.refresh_from_db()
    return application


def _ensure_standings(memberships, rules: ProgramApplyRules | None) -> None:
    """A standing (and its "joined" entry) for each membership lacking one: two bulk INSERTs."""
    start = rules.start_score if rules else 0
    ids = list(memberships.filter(standing__isnull=True).values_list("pk", flat=True))
    if not ids:
        return
    ProgramStanding.objects.bulk_create(
        [ProgramStanding(membership_id=pk, score=start) for pk in ids], ignore_conflicts=True
    )
    ProgramScoreEntry.objects.bulk_create(
        [
            ProgramScoreEntry(
                membership_id=pk, reason=ScoreReason.JOINED, delta=start, source="joined"
            )
            for pk in ids
        ],
        ignore_conflicts=True,
    )


def accept_application(
    *, application: ProgramApplication, actor: User | None, automatic: bool = False
) -> ProgramApplication:
    """Pending -> accepted, a membership, a seat; all or nothing (call inside a transaction).

    The application's conditional UPDATE first (its row lock settles two deciders of
    the same application), then the seat's (the programme's row settles the last seat).
    """
    now = timezone.now()
    program = application.program
    moved = ProgramApplication.objects.filter(
        pk=application.pk, state=ApplicationState.PENDING
    ).update(state=ApplicationState.ACCEPTED, decided_at=now, decided_by=actor, automatic=automatic)
    if not moved:
        raise ProgramStateError(_("This application was decided already."))
    # A pending invitation of the same member becomes the membership.
    ProgramMembership.objects.filter(
        program=program, user_id=application.user_id, state=State.INVITED, expires_at__lte=now
    ).update(state=State.EXPIRED)
    membership = ProgramMembership.objects.filter(
        program=program, user_id=application.user_id, state__in=(State.INVITED, State.ACCEPTED)
    ).first()
    if membership is not None and membership.state == State.ACCEPTED:
        raise ProgramStateError(_("This member is already in the programme."))
    if not take_seat(program.pk, now):
        if not program.is_open:
            raise ProgramStateError(_("“%(name)s” is not open.") % {"name": program.name})
        raise ProgramStateError(_("All seats in “%(name)s” are taken.") % {"name": program.name})
    if membership is not None:
        ProgramMembership.objects.filter(pk=membership.pk).update(
            state=State.ACCEPTED, responded_at=now, warned_at=None
        )
    else:
        membership = ProgramMembership.objects.create(
            program=program,
            user_id=application.user_id,
            code=secrets.token_urlsafe(16)[:22],
            invited_by=actor,
            invited_at=now,
            expires_at=now,
            state=State.ACCEPTED,
            responded_at=now,
        )
    ProgramApplication.objects.filter(pk=application.pk).update(membership=membership)
    _ensure_standings(ProgramMembership.objects.filter(pk=membership.pk), apply_rules(program))
    application.refresh_from_db()
    return application


# Score history ---------------------------------------------------------------------------

_DEDUCTIONS = {
    ScoreReason.REMOVED_POST: "deduct_removed_post",
    ScoreReason.UPHELD_REPORT: "deduct_upheld_report",
    ScoreReason.SILENCE: "deduct_silence",
}


@transaction.atomic
def program_score_moderation(*, user_id: int, reason: str, source: str) -> int:
    """A moderation outcome against a member (removed post, upheld report, silence): each
    programme they are in that deducts for it records the deduction once per source.

    Called by moderation's services after their transaction commits. Returns how many
    programmes deducted.
    """
    field = _DEDUCTIONS[reason]
    memberships = ProgramMembership.objects.filter(
        user_id=user_id, state=State.ACCEPTED, **{f"program__apply_rules__{field}__gt": 0}
    ).select_related("program__apply_rules")
    deducted = 0
    for membership in memberships:  # one member's few programmes
        rules = membership.program.apply_rules
        _ensure_standings(ProgramMembership.objects.filter(pk=membership.pk), rules)
        delta = -getattr(rules, field)
        try:
            with transaction.atomic():
                ProgramScoreEntry.objects.create(
                    membership=membership, reason=reason, delta=delta, source=source[:80]
                )
        except IntegrityError:
            continue  # this outcome counted already
        ProgramStanding.objects.filter(membership=membership).update(score=F("score") + delta)
        deducted += 1
    return deducted


def program_scores_repair(*, program: Program | None = None) -> int:
    """The repair path of standings' scores: each set to the sum of its entries (one UPDATE)."""
    rows = ProgramStanding.objects.all()
    if program is not None:
        rows = rows.filter(membership__program=program)
    total = (
        ProgramScoreEntry.objects.filter(membership_id=OuterRef("membership_id"))
        .order_by()
        .values("membership_id")
        .annotate(s=Sum("delta"))
        .values("s")
    )
    return rows.update(score=Coalesce(Subquery(total), Value(0)))


# The weekly job ------------------------------------------------------------------------------


@transaction.atomic
def program_week_close(*, program: Program, week: date) -> dict[str, int]:
    """Record the week starting `week` (a Monday) for the programme's members, once.

    Members who joined before the week began are judged. Set-based over the members (at
    most the seats): one count of the week's tasks, one bulk INSERT of week rows (a
    second run writes none: the (membership, week) constraint), and UPDATEs for the
    standings: done -> missed count reset, points added; missed -> counted, warned;
    removed only when the missed weeks reach the programme's limit AND a warning was
    given at an earlier week's close, so nobody is removed without having been warned.
    """
    rules = apply_rules(program)
    if rules is None or not rules.has_weekly_tasks:
        return {"recorded": 0, "done": 0, "warned": 0, "removed": 0}
    now = timezone.now()
    begin, end = week_bounds(week)
    members = ProgramMembership.objects.filter(
        program=program, state=State.ACCEPTED, responded_at__lt=begin
    )
    _ensure_standings(members, rules)
    member_rows = list(members.values_list("pk", "user_id"))
    counts = task_counts(program.pk, begin, end, user_ids=[u for _pk, u in member_rows])
    done_by = dict(counts.values_list("user_id", "n")) if counts is not None else {}
    need = rules.weekly_bug_reports_with_log
    ProgramWeek.objects.bulk_create(
        [
            ProgramWeek(
                membership_id=pk,
                week_start=week,
                bug_reports_with_log=done_by.get(user_id, 0),
                met=done_by.get(user_id, 0) >= need,
                recorded_at=now,
            )
            for pk, user_id in member_rows
        ],
        ignore_conflicts=True,
    )
    written = ProgramWeek.objects.filter(
        membership__program=program, week_start=week, recorded_at=now
    )
    done_ids = list(written.filter(met=True).values_list("membership_id", flat=True))
    missed_ids = list(written.filter(met=False).values_list("membership_id", flat=True))
    standings = ProgramStanding.objects.filter(membership__program=program)
    if done_ids:
        ProgramScoreEntry.objects.bulk_create(
            [
                ProgramScoreEntry(
                    membership_id=pk,
                    reason=ScoreReason.WEEK_DONE,
                    delta=rules.weekly_points,
                    source=f"week:{week.isoformat()}",
                )
                for pk in done_ids
            ],
            ignore_conflicts=True,
        )
        standings.filter(membership_id__in=done_ids).update(
            missed_weeks=0, score=F("score") + rules.weekly_points
        )
    removed = warned = 0
    if missed_ids:
        missed = standings.filter(membership_id__in=missed_ids)
        missed.update(missed_weeks=F("missed_weeks") + 1)
        due = missed.filter(
            missed_weeks__gte=rules.weekly_missed_limit,
            warned_at__isnull=False,
            warning_week__lt=week,
        ).values("membership_id")
        removed_ids = list(
            ProgramMembership.objects.filter(pk__in=due, state=State.ACCEPTED).values_list(
                "pk", flat=True
            )
        )
        if removed_ids:
            removed = ProgramMembership.objects.filter(
                pk__in=removed_ids, state=State.ACCEPTED
            ).update(
                state=State.REMOVED,
                ended_at=now,
                cooling_off_until=now + timedelta(days=_knob("PROGRAM_COOLING_OFF_REMOVED_DAYS")),
                end_reason=_("Missed the programme's weekly tasks after a warning."),
            )
            _free_seats(program.pk, removed)
            notification_fan_out(
                recipients=ProgramMembership.objects.filter(pk__in=removed_ids).values("user_id"),
                kind=NotificationKind.EARLY_ACCESS,
                target_url=reverse("accounts:programs"),
                title_key="accounts.program_week_removed",
                title_params={"program": program.name},
                target_title=program.name,
            )
        to_warn = missed.exclude(membership_id__in=removed_ids)
        warned = to_warn.update(warned_at=now, warning_week=week)
        if warned:
            notification_fan_out(
                recipients=ProgramMembership.objects.filter(
                    pk__in=to_warn.values("membership_id")
                ).values("user_id"),
                kind=NotificationKind.EARLY_ACCESS,
                target_url=program_page_url(program),
                title_key="accounts.program_week_missed",
                title_params={"program": program.name},
                target_title=program.name,
            )
    if done_ids:
        standings.filter(membership_id__in=done_ids).update(warned_at=None, warning_week=None)
    return {
        "recorded": len(done_ids) + len(missed_ids),
        "done": len(done_ids),
        "warned": warned,
        "removed": removed,
    }


def close_all_weeks(*, today: date | None = None) -> dict[int, dict[str, int]]:
    """Weekly (Monday): record last week for every open programme with weekly tasks."""
    week = week_start(today or timezone.localdate()) - timedelta(days=7)
    programs = open_programs().filter(apply_rules__weekly_bug_reports_with_log__gt=0)
    return {program.pk: program_week_close(program=program, week=week) for program in programs}
