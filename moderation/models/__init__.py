"""Moderation's tables: the audit log, warnings, reports and member exports."""

from moderation.models.audit import AppendOnlyError, AuditLog, AuditLogQuerySet
from moderation.models.exports import UserExport
from moderation.models.reports import (
    MessageReport,
    Report,
    ReportCase,
    ReportReason,
    ReportStatus,
)
from moderation.models.sanctions import Warning
from moderation.models.webhooks import WebhookDelivery

__all__ = [
    "AppendOnlyError",
    "AuditLog",
    "AuditLogQuerySet",
    "MessageReport",
    "Report",
    "ReportCase",
    "ReportReason",
    "ReportStatus",
    "UserExport",
    "Warning",
    "WebhookDelivery",
]
