"""My block list: block a member by name or from their profile, unblock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import BlockForm
from accounts.models import User
from config.http import refuse, safe_next
from config.paging import keyset_page


@login_required
def block_list(request):
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = User.objects.filter(username=form.cleaned_data["username"]).first()
        if member is None:
            form.add_error("username", _("No such member."))
        else:
            try:
                services.block_add(blocker=request.user, blocked=member)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error("username", exc.message_dict.get("username", exc.messages))
            else:
                messages.success(request, _("%(name)s is blocked.") % {"name": member.username})
                return redirect("accounts:blocks")
    rows, after = keyset_page(
        selectors.blocks_of(request.user),
        ordering=("-created_at", "-id"),
        after=request.GET.get("after"),
        size=50,
    )
    return render(
        request,
        "accounts/blocking/list.html",
        {"rows": rows, "after": after, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def block(request, username):
    member = get_object_or_404(User, username=username)
    back = safe_next(request, reverse("forum:member", kwargs={"username": username}))
    try:
        services.block_add(blocker=request.user, blocked=member)
    except (PermissionDenied, ValidationError) as exc:
        reason = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        return refuse(request, reason, back=back)
    messages.success(request, _("%(name)s is blocked.") % {"name": member.username})
    return redirect(back)


@login_required
@require_POST
def unblock(request, username):
    member = get_object_or_404(User, username=username)
    services.block_remove(blocker=request.user, blocked=member)
    messages.success(request, _("%(name)s is no longer blocked.") % {"name": member.username})
    return redirect(safe_next(request, reverse("accounts:blocks")))
