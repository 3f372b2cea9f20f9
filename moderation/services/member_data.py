"""A member's data, as the law asks: an archive of it, and erasing the account.

The member does both from their settings; staff do both on a member's request, and
that is audited. Erasing keeps the posts (others replied to them) under the name
deleted-<id> and empties everything personal, in one transaction across the apps.
The audit log keeps moderators' names on their past actions: it is append-only.
"""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from accounts import services as accounts_services
from accounts.models import MemberArchive, User
from config.jobs import enqueue_on_commit
from forum import services as forum_services
from moderation.models import AuditLog, Report, ReportCase, UserExport, Warning
from moderation.permissions import check_member_data
from moderation.selectors.member_data import archive_profile, archive_sections
from moderation.services.audit import audit_record

ARCHIVE_JOB = "moderation.build_member_archive"


def member_archive_request(
    *, actor: User, member: User, ip: str | None = None
) -> tuple[MemberArchive, bool]:
    """Queue an archive of `member`'s data (or return the one being prepared)."""
    check_member_data(actor, member)
    with transaction.atomic():
        archive, created = accounts_services.archive_create(member=member, requested_by=actor)
        if created:
            enqueue_on_commit(ARCHIVE_JOB, archive.pk)
            if actor.pk != member.pk:
                audit_record(
                    actor=actor,
                    action=AuditLog.Action.MEMBER_ARCHIVE,
                    target_type=AuditLog.TargetType.USER,
                    target_id=member.pk,
                    target_label=member.username,
                    subject_id=member.pk,
                    ip=ip,
                )
    return archive, created


def member_archive_build(archive_id: int) -> bool:
    """The job: write the archive (a ZIP of JSON files) and store it. Safe to run twice:
    a finished archive is left as it is."""
    archive = MemberArchive.objects.select_related("member").get(pk=archive_id)
    if archive.status != MemberArchive.Status.PENDING:
        return False
    member = archive.member
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("profile.json", _json(archive_profile(member)))
        for name, rows in archive_sections(member).items():
            with zipped.open(f"{name}.json", "w") as out:
                out.write(b"[")
                for n, row in enumerate(rows):
                    out.write((b",\n" if n else b"\n") + _json(row))
                out.write(b"\n]\n")
    name = f"popcorn-{member.pk}-{archive.pk}.zip"
    return accounts_services.archive_finish(
        archive_id=archive.pk, name=name, content=buffer.getvalue()
    )


def _json(value) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


@transaction.atomic
def member_delete(*, actor: User, member: User, reason: str = "", ip: str | None = None) -> User:
    """Erase `member`'s account; returns the member as they now are (deleted-<id>)."""
    check_member_data(actor, member)
    by_self = actor.pk == member.pk
    old = accounts_services.member_erase(member=member)
    new = accounts_services.deleted_username(member.pk)
    changed = forum_services.member_forum_erase(member=member, old_name=old, new_name=new)
    Report.objects.filter(reporter=member).update(reporter_name=new)
    ReportCase.objects.filter(resolved_by=member).update(resolved_by_name=new)
    Warning.objects.filter(by=member).update(by_name=new)
    UserExport.objects.filter(requested_by=member).update(requested_by_name=new)
    member = User.objects.get(pk=member.pk)
    audit_record(
        # Their own deletion is recorded under the name they leave behind.
        actor=member if by_self else actor,
        action=AuditLog.Action.MEMBER_DELETE,
        target_type=AuditLog.TargetType.USER,
        target_id=member.pk,
        target_label=new,
        subject_id=member.pk,
        reason=reason,
        after={"posts": changed["posts"], "threads": changed["threads"], "by_self": by_self},
        ip=ip,
    )
    return member


def member_archives_expire() -> int:
    return accounts_services.archives_expire()
