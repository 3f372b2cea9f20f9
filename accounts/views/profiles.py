"""The member's own profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import ProfileForm


@login_required
def profile_edit(request):
    user = request.user
    initial = {
        "display_name": user.display_name,
        "signature": user.signature,
        "devices": user.devices.all(),
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            user=user,
            display_name=form.cleaned_data["display_name"],
            signature=form.cleaned_data["signature"],
            avatar=form.cleaned_data["avatar"],
            devices=form.cleaned_data["devices"],
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect(user)
    return render(request, "accounts/profiles/edit.html", {"form": form})
