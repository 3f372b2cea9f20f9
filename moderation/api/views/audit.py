"""The moderation log (moderation.views.audit): staff read all of it, moderators the rows
of the boards they moderate, with the page's filters, worded in the reader's language."""

from django import forms
from django.core.exceptions import ValidationError

from config.api_schema import api_doc
from moderation import selectors
from moderation.api import serializers as s
from moderation.api.views._common import TAG, SignedInListView, valid
from moderation.permissions import check_can_read_log


class AuditLog(SignedInListView):
    serializer_class = s.AuditRowOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        user = self.request.user
        check_can_read_log(user)
        filters = dict(valid(s.AuditLogQuery, self.request.query_params))
        if filters.get("board"):
            board = selectors.audit_log_boards(user).filter(slug=filters["board"]).first()
            if board is None:
                invalid = forms.ModelChoiceField.default_error_messages["invalid_choice"]
                raise ValidationError({"board": [invalid]})
            filters["board"] = board
        return selectors.audit_log_filtered(selectors.audit_log_visible_to(user), **filters)

    @api_doc(
        tag=TAG,
        summary="The moderation log",
        permission="Staff (every row); moderators (the rows of the boards they moderate).",
        parameters=[s.AuditLogQuery],
        responses={200: s.AuditRowOut(many=True)},
        errors=(400, 403),
        description=(
            "Newest first. `action_label`, `target_label` and `changes` are worded in your "
            "language; `before` and `after` are the states as recorded."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
