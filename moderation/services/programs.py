"""Staff actions on early-access programs: accounts.programs does the work, this
module checks the actor is staff first and appends the audit row in the same
transaction, and sets the program's private board through forum.services."""

from datetime import UTC

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import programs as program_services
from accounts.models import Program, ProgramMembership, User
from forum import services as forum_services
from forum.models import Board
from moderation.models import AuditLog
from moderation.selectors.console import can_use_console
from moderation.services.actions import audit_record

Action = AuditLog.Action


def can_manage_programs(user) -> bool:
    # The same people as the rest of the staff console.
    return can_use_console(user)


def check_can_manage_programs(user) -> None:
    if not can_manage_programs(user):
        raise PermissionDenied(_("Early-access programs are managed by staff."))


def _program_audit(*, actor, program: Program, action: str, ip, before=None, after=None):
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
    data = {name: getattr(program, name) for name in program_services.PROGRAM_FIELDS}
    for name in ("starts_at", "ends_at"):
        data[name] = data[name].astimezone(UTC).isoformat() if data[name] else None
    data["devices"] = sorted(program.devices.values_list("pk", flat=True))
    data["board"] = board.pk if board else None
    return data


def _current_board(program: Program) -> Board | None:
    return Board.objects.filter(program=program).first()


@transaction.atomic
def program_create(
    *, actor, devices=(), board: Board | None = None, ip: str | None = None, **fields
) -> Program:
    check_can_manage_programs(actor)
    program = program_services.program_create(created_by=actor, devices=devices, **fields)
    forum_services.program_board_set(program=program, board=board)
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
    actor,
    devices=None,
    board: Board | None = None,
    ip: str | None = None,
    **fields,
) -> Program:
    check_can_manage_programs(actor)
    # From the database: a bound ModelForm has already written the new values
    # onto the instance the view holds.
    stored = Program.objects.get(pk=program.pk)
    before = _snapshot(stored, _current_board(stored))
    program = program_services.program_update(program=program, devices=devices, **fields)
    forum_services.program_board_set(program=program, board=board)
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
    *, program: Program, user: User, actor, ip: str | None = None
) -> ProgramMembership:
    check_can_manage_programs(actor)
    membership = program_services.program_invite(program=program, user=user, actor=actor)
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
    *, program: Program, actor, user_ids=None, ip: str | None = None
) -> int:
    """ "Invite all" (user_ids None) or "invite selected" among the program's candidates."""
    check_can_manage_programs(actor)
    count = program_services.program_invite_candidates(
        program=program, actor=actor, user_ids=user_ids
    )
    _program_audit(
        actor=actor,
        program=program,
        action=Action.PROGRAM_INVITE_MANY,
        ip=ip,
        after={
            "invited": count,
            "chosen": "all candidates" if user_ids is None else len(list(user_ids)),
        },
    )
    return count


@transaction.atomic
def program_remove(
    *, membership: ProgramMembership, actor, reason: str = "", ip: str | None = None
) -> ProgramMembership:
    check_can_manage_programs(actor)
    before = membership.state
    membership = program_services.program_remove(membership=membership, actor=actor, reason=reason)
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
def program_flag_now(*, program: Program, actor) -> int:
    """Refresh one program's candidates on demand (the daily job does the same)."""
    check_can_manage_programs(actor)
    return program_services.program_flag_candidates(program=program)
