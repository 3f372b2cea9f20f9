"""The member's own medals (which three to show) and their meetup city."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import CityForm
from accounts.models import MEDALS_SHOWN_MAX
from config.http import safe_next


@login_required
def medals_settings(request):
    held = selectors.medals_of(request.user)
    errors = []
    status = 200
    if request.method == "POST":
        try:
            services.medals_choose_shown(
                user=request.user, medal_ids=_ids(request.POST.getlist("shown"))
            )
        except ValidationError as exc:
            errors = exc.message_dict.get("medals", exc.messages)
            status = 400
        else:
            messages.success(request, _("Your medals have been saved."))
            return redirect("accounts:medals")
    return render(
        request,
        "accounts/medals/settings.html",
        {"held": held, "errors": errors, "most": MEDALS_SHOWN_MAX},
        status=status,
    )


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        if not str(value).isdigit() or len(str(value)) > 18:
            raise ValidationError({"medals": [_("Choose medals from the list.")]})
        ids.append(int(value))
    return ids


@login_required
@require_POST
def city_update(request):
    form = CityForm(request.POST)
    target = safe_next(request, reverse("forum:meetups"))
    if not form.is_valid():
        messages.error(request, _("Choose one of the cities listed."))
        return redirect(target)
    city = form.cleaned_data["city"]
    services.city_update(user=request.user, city_id=city.pk if city else None)
    messages.success(request, _("Your city has been saved."))
    return redirect(target)
