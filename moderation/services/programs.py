"""Staff actions on early-access programs, the only way in: each checks the actor is
staff, does the work through accounts' unexported _programs_unchecked (and forum's
for the private board), and appends the audit row in the same transaction."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import transaction

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import (
    APPLY_RULE_FIELDS,
    PROGRAM_FIELDS,
    ApplicationState,
    Device,
    Program,
    ProgramMembership,
    User,
)
from accounts.services import _program_apply_unchecked, _programs_unchecked
from accounts.services._programs_unchecked import KEEP, Keep
from forum.models import Board
from forum.services import _moderation_unchecked as forum_unchecked
from moderation.models import AuditLog
from moderation.permissions import check_can_manage_programs
from moderation.services.audit import audit_record

Action = AuditLog.Action


def _program_audit(
    *,
    actor: User,
    program: Program,
    action: str,
    ip: str | None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditLog.TargetType.PROGRAM,
        target_id=program.pk,
        target_label=program.name[:200],
        before=before,
        after=after,
        ip=ip,
    )


def _snapshot(program: Program, board: Board | None) -> dict:
    data = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    for name in ("starts_at", "ends_at"):
        data[name] = data[name].astimezone(UTC).isoformat() if data[name] else None
    data["devices"] = sorted(program.devices.values_list("pk", flat=True))
    data["board"] = board.pk if board else None
    return data


def _current_board(program: Program) -> Board | None:
    return Board.objects.filter(program=program).first()


@transaction.atomic
def program_create(
    *,
    actor: User,
    name: str,
    slug: str,
    seats: int,
    description: str = "",
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    status: str = Program.Status.DRAFT,
    min_reputation: int = 0,
    min_level: str = "",
    min_days_active_30d: int = 0,
    min_posts_30d: int = 0,
    requires_device: bool = False,
    min_account_age_days: int = 0,
    exclude_suspended: bool = True,
    requalify_weekly: bool = False,
    devices: Iterable[Device] = (),
    board: Board | None = None,
    ip: str | None = None,
) -> Program:
    """Create a programme (staff only); its fields are accounts' PROGRAM_FIELDS."""
    fields = {
        "name": name,
        "slug": slug,
        "seats": seats,
        "description": description,
        "ends_at": ends_at,
        "status": status,
        "min_reputation": min_reputation,
        "min_level": min_level,
        "min_days_active_30d": min_days_active_30d,
        "min_posts_30d": min_posts_30d,
        "requires_device": requires_device,
        "min_account_age_days": min_account_age_days,
        "exclude_suspended": exclude_suspended,
        "requalify_weekly": requalify_weekly,
    }
    if starts_at is not None:  # otherwise the model's default: now
        fields["starts_at"] = starts_at
    check_can_manage_programs(actor)
    program = _programs_unchecked.create(created_by=actor, devices=devices, **fields)
    forum_unchecked.set_program_board(program=program, board=board)
    _program_audit(
        actor=actor,
        program=program,
        action=Action.PROGRAM_CREATE,
        ip=ip,
        after=_snapshot(program, board),
    )
    return program


@transaction.atomic
def program_update(
    *,
    program: Program,
    actor: User,
    name: str | Keep = KEEP,
    slug: str | Keep = KEEP,
    seats: int | Keep = KEEP,
    description: str | Keep = KEEP,
    starts_at: datetime | Keep = KEEP,
    ends_at: datetime | Keep | None = KEEP,
    status: str | Keep = KEEP,
    min_reputation: int | Keep = KEEP,
    min_level: str | Keep = KEEP,
    min_days_active_30d: int | Keep = KEEP,
    min_posts_30d: int | Keep = KEEP,
    requires_device: bool | Keep = KEEP,
    min_account_age_days: int | Keep = KEEP,
    exclude_suspended: bool | Keep = KEEP,
    requalify_weekly: bool | Keep = KEEP,
    devices: Iterable[Device] | None = None,
    board: Board | None = None,
    ip: str | None = None,
) -> Program:
    """Change a programme (staff only); fields left at KEEP stay as they are.

    `board` is the programme's private board afterwards (None: none).
    """
    given = {
        "name": name,
        "slug": slug,
        "seats": seats,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": status,
        "min_reputation": min_reputation,
        "min_level": min_level,
        "min_days_active_30d": min_days_active_30d,
        "min_posts_30d": min_posts_30d,
        "requires_device": requires_device,
        "min_account_age_days": min_account_age_days,
        "exclude_suspended": exclude_suspended,
        "requalify_weekly": requalify_weekly,
    }
    fields = {key: value for key, value in given.items() if value is not KEEP}
    check_can_manage_programs(actor)
    # From the database: a bound ModelForm has already written the new values
    # onto the instance the view holds.
    stored = Program.objects.get(pk=program.pk)
    before = _snapshot(stored, _current_board(stored))
    program = _programs_unchecked.update(program=program, devices=devices, **fields)
    forum_unchecked.set_program_board(program=program, board=board)
    after = _snapshot(program, board)
    changed = {k for k in after if after[k] != before.get(k)}
    _program_audit(
        actor=actor,
        program=program,
        action=Action.PROGRAM_UPDATE,
        ip=ip,
        before={k: before.get(k) for k in sorted(changed)},
        after={k: after[k] for k in sorted(changed)},
    )
    return program


@transaction.atomic
def program_invite(
    *, program: Program, user: User, actor: User, ip: str | None = None
) -> ProgramMembership:
    check_can_manage_programs(actor)
    membership = _programs_unchecked.invite(program=program, user=user, actor=actor)
    audit_record(
        actor=actor,
        action=Action.PROGRAM_INVITE,
        target_type=AuditLog.TargetType.USER,
        target_id=user.pk,
        target_label=user.username,
        after={"program": program.pk, "program_name": program.name},
        ip=ip,
    )
    return membership


@transaction.atomic
def program_invite_candidates(
    *, program: Program, actor: User, user_ids: Iterable[int] | None = None, ip: str | None = None
) -> int:
    """ "Invite all" (user_ids None) or "invite selected" among the program's candidates."""
    check_can_manage_programs(actor)
    count = _programs_unchecked.invite_candidates(program=program, actor=actor, user_ids=user_ids)
    _program_audit(
        actor=actor,
        program=program,
        action=Action.PROGRAM_INVITE_MANY,
        ip=ip,
        after={
            "invited": count,
            "chosen": "all" if user_ids is None else len(list(user_ids)),
        },
    )
    return count


@transaction.atomic
def program_remove(
    *, membership: ProgramMembership, actor: User, reason: str = "", ip: str | None = None
) -> ProgramMembership:
    check_can_manage_programs(actor)
    before = membership.state
    membership = _programs_unchecked.remove(membership=membership, actor=actor, reason=reason)
    audit_record(
        actor=actor,
        action=Action.PROGRAM_REMOVE,
        target_type=AuditLog.TargetType.USER,
        target_id=membership.user_id,
        target_label=membership.user.username,
        reason=reason,
        before={"program": membership.program_id, "state": before},
        after={"program": membership.program_id, "state": membership.state},
        ip=ip,
    )
    return membership


@transaction.atomic
def program_flag_now(*, program: Program, actor: User) -> int:
    """Refresh one program's candidates on demand (the daily job does the same)."""
    check_can_manage_programs(actor)
    return account_services.program_flag_candidates(program=program)


# Applications ---------------------------------------------------------------------------


@transaction.atomic
def program_apply_rules_set(
    *,
    program: Program,
    actor: User,
    fields: dict,
    questions: list[str] | None = None,
    quiz: list[dict] | None = None,
    ip: str | None = None,
):
    """Open a programme for applications (or change how): rules, questions, quiz bank."""
    check_can_manage_programs(actor)
    before = account_selectors.apply_rules(program)
    before_fields = {name: getattr(before, name) for name in APPLY_RULE_FIELDS} if before else {}
    rules = _program_apply_unchecked.set_rules(
        program=program, fields=fields, questions=questions, quiz=quiz
    )
    after_fields = {name: getattr(rules, name) for name in APPLY_RULE_FIELDS}
    changed = sorted(k for k in after_fields if before_fields.get(k) != after_fields[k])
    after = {k: after_fields[k] for k in changed}
    if questions is not None:
        after["questions"] = program.apply_questions.count()
    if quiz is not None:
        after["quiz"] = program.quiz_items.count()
    _program_audit(
        actor=actor,
        program=program,
        action=Action.PROGRAM_APPLY_RULES,
        ip=ip,
        before={k: before_fields.get(k) for k in changed},
        after=after,
    )
    return rules


def _application_audit(*, application, actor: User, action: str, ip, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditLog.TargetType.USER,
        target_id=application.user_id,
        target_label=application.user.username,
        reason=reason,
        before={"application": application.pk, "state": ApplicationState.PENDING},
        after={
            "application": application.pk,
            "program": application.program_id,
            "program_name": application.program.name,
        },
        ip=ip,
    )


@transaction.atomic
def program_application_accept(*, application, actor: User, ip: str | None = None):
    """Accept a pending application: a seat, or a 409 and nothing when none is free."""
    check_can_manage_programs(actor)
    application = _program_apply_unchecked.accept(application=application, actor=actor)
    _application_audit(
        application=application, actor=actor, action=Action.PROGRAM_APPLICATION_ACCEPT, ip=ip
    )
    return application


@transaction.atomic
def program_application_reject(*, application, actor: User, reason: str, ip: str | None = None):
    check_can_manage_programs(actor)
    application = _program_apply_unchecked.reject(
        application=application, actor=actor, reason=reason
    )
    _application_audit(
        application=application,
        actor=actor,
        action=Action.PROGRAM_APPLICATION_REJECT,
        ip=ip,
        reason=application.decision_reason,
    )
    return application
