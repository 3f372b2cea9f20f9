"""Moderation's tables: the audit log, warnings, reports and member exports."""

from moderation.models.audit import AppendOnlyError, AuditLog, AuditLogQuerySet, UserExport, Warning
from moderation.models.reports import Report, ReportCase, ReportReason, ReportStatus

__all__ = [
    "AppendOnlyError",
    "AuditLog",
    "AuditLogQuerySet",
    "Report",
    "ReportCase",
    "ReportReason",
    "ReportStatus",
    "UserExport",
    "Warning",
]
