"""The staff-side mechanics of programme applications: set the rules, questions and quiz
bank; accept or reject an application. Not exported: moderation's verbs
(program_apply_rules_set, program_application_accept/reject) check the actor is staff,
call these and append the audit row in the same transaction; nothing else may.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    APPLY_RULE_FIELDS,
    ApplicationState,
    NotificationKind,
    Program,
    ProgramApplication,
    ProgramApplyRules,
    ProgramQuestion,
    ProgramQuizItem,
    User,
)

from .notifications import notification_create
from .program_apply import accept_application, program_page_url
from .programs import ProgramStateError


def _validate_quiz(quiz: list[dict]) -> None:
    for number, item in enumerate(quiz, start=1):
        choices = item.get("choices") or []
        if not str(item.get("text", "")).strip():
            raise ValidationError({"quiz": [_("Quiz question %(n)d has no text.") % {"n": number}]})
        if not 2 <= len(choices) <= 6 or not all(str(c).strip() for c in choices):
            raise ValidationError(
                {"quiz": [_("Quiz question %(n)d needs 2 to 6 choices.") % {"n": number}]}
            )
        if not isinstance(item.get("answer"), int) or not 0 <= item["answer"] < len(choices):
            raise ValidationError(
                {"quiz": [_("Quiz question %(n)d: mark one choice right.") % {"n": number}]}
            )


@transaction.atomic
def set_rules(
    *,
    program: Program,
    fields: dict,
    questions: list[str] | None = None,
    quiz: list[dict] | None = None,
) -> ProgramApplyRules:
    """Create or change a programme's application rules; `questions` / `quiz` given
    replace the form's questions / the quiz bank (applications keep their snapshots)."""
    unknown = set(fields) - set(APPLY_RULE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    Program.objects.select_for_update().filter(pk=program.pk).first()
    rules, _created = ProgramApplyRules.objects.get_or_create(program=program)
    for name, value in fields.items():
        setattr(rules, name, value)
    errors = {}
    if rules.quiz_pass_mark > rules.quiz_per_day:
        errors["quiz_pass_mark"] = [_("The pass mark cannot exceed the questions a day.")]
    if rules.weekly_missed_limit < 1:
        errors["weekly_missed_limit"] = [_("At least one missed week.")]
    if questions is not None:
        questions = [q.strip() for q in questions if q and q.strip()]
        if any(len(q) > 300 for q in questions):
            errors["questions"] = [_("A question has at most 300 characters.")]
        if len(questions) > 20:
            errors["questions"] = [_("At most 20 questions.")]
    if quiz is not None:
        try:
            _validate_quiz(quiz)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    bank_size = len(quiz) if quiz is not None else program.quiz_items.count()
    if rules.accepting_applications and rules.quiz_per_day > bank_size and "quiz" not in errors:
        errors["quiz_per_day"] = [
            _("The quiz bank has %(n)d questions: fewer than the questions a day.")
            % {"n": bank_size}
        ]
    if errors:
        raise ValidationError(errors)
    rules.updated_at = timezone.now()
    rules.save()
    if questions is not None:
        ProgramQuestion.objects.filter(program=program).delete()
        ProgramQuestion.objects.bulk_create(
            [
                ProgramQuestion(program=program, position=i, text=text)
                for i, text in enumerate(questions)
            ]
        )
    if quiz is not None:
        ProgramQuizItem.objects.filter(program=program).delete()
        ProgramQuizItem.objects.bulk_create(
            [
                ProgramQuizItem(
                    program=program,
                    text=str(item["text"]).strip()[:300],
                    choices=[str(c).strip()[:200] for c in item["choices"]],
                    answer=item["answer"],
                )
                for item in quiz
            ]
        )
    return rules


def _tell(application: ProgramApplication, actor: User, key: str, reason: str = "") -> None:
    program = application.program
    notification_create(
        recipient=application.user,
        kind=NotificationKind.EARLY_ACCESS,
        target_url=program_page_url(program)
        if key == "accounts.program_application_accepted"
        else program_apply_url(program),
        title_key=key,
        title_params={"program": program.name},
        target_title=program.name,
        actor=actor,
        excerpt=reason[:300],
    )


def program_apply_url(program: Program) -> str:
    from django.urls import reverse

    return reverse("accounts:program_apply", kwargs={"slug": program.slug})


@transaction.atomic
def accept(*, application: ProgramApplication, actor: User) -> ProgramApplication:
    application = accept_application(application=application, actor=actor)
    _tell(application, actor, "accounts.program_application_accepted")
    return application


@transaction.atomic
def reject(*, application: ProgramApplication, actor: User, reason: str) -> ProgramApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why, for the applicant.")]})
    moved = ProgramApplication.objects.filter(
        pk=application.pk, state=ApplicationState.PENDING
    ).update(
        state=ApplicationState.REJECTED,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_reason=reason[:500],
    )
    if not moved:
        raise ProgramStateError(_("This application was decided already."))
    application.refresh_from_db()
    _tell(application, actor, "accounts.program_application_rejected", reason)
    return application
