"""The moderation log: staff read all of it, moderators their boards' rows."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode

from config.paging import page_number
from moderation import selectors
from moderation.forms.audit import AuditLogFilterForm
from moderation.permissions import check_can_read_log


@login_required
def audit_log(request):
    check_can_read_log(request.user)
    rows = selectors.audit_log_visible_to(request.user)
    form = AuditLogFilterForm(request.GET or None, boards=selectors.audit_log_boards(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_log_page(
        rows, page=page_number(request), **{k: v for k, v in filters.items() if v}
    )
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "moderation/audit/log.html",
        {"form": form, "page": page, "filter_query": urlencode(kept) + "&" if kept else ""},
    )
