"""The member's own profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import CityForm, ProfileForm


@login_required
def profile_edit(request):
    user = request.user
    initial = {
        "display_name": user.display_name,
        "signature": user.signature,
        "devices": user.devices.all(),
        # A member who never chose reads in what their browser asked for.
        "language": user.language or request.LANGUAGE_CODE,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=user,
                display_name=form.cleaned_data["display_name"],
                signature=form.cleaned_data["signature"],
                avatar=form.cleaned_data["avatar"],
                devices=form.cleaned_data["devices"],
                language=form.cleaned_data["language"] or None,
            )
        except ValidationError as exc:  # a watched word in the display name or signature
            form.add_error(None, exc)
        else:
            translation.activate(user.language)  # say it in the language just chosen
            messages.success(request, _("Your profile has been saved."))
            return redirect(user)
    city_form = CityForm(initial={"city": user.city_id})
    return render(request, "accounts/profiles/edit.html", {"form": form, "city_form": city_form})
