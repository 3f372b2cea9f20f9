"""The daily check-in button (POST only), from any page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services
from config.http import safe_next


@require_POST
@login_required
def check_in_view(request):
    result = services.check_in(user=request.user)
    if not result.checked_in:
        messages.info(request, _("You have already checked in today."))
    else:
        messages.success(
            request,
            ngettext(
                "Checked in: +%(points)s reputation, %(streak)s day in a row.",
                "Checked in: +%(points)s reputation, %(streak)s days in a row.",
                result.streak,
            )
            % {"points": result.points, "streak": result.streak},
        )
    return redirect(safe_next(request, "/"))
