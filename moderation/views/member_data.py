"""A member's data: their archive and deleting their account (settings), and the same
for staff on a member's request (the console's member page)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services as accounts_services
from accounts.models import MemberArchive, User
from config.http import client_ip
from moderation import permissions, services
from moderation.forms.member_data import DeleteMemberForm, DeleteOwnAccountForm
from moderation.selectors.member_data import member_archives, ready_archive

ARCHIVES_SHOWN = 5


def _archives(member):
    archives = member_archives(member, limit=ARCHIVES_SHOWN)
    for archive in archives:
        if archive.status == MemberArchive.Status.READY:
            archive.link = accounts_services.archive_token(archive)
    return archives


@login_required
def my_data(request):
    form = DeleteOwnAccountForm(member=request.user)
    return render(
        request,
        "moderation/member_data/mine.html",
        {"archives": _archives(request.user), "form": form},
    )


@login_required
@require_POST
def my_archive_request(request):
    _archive, created = services.member_archive_request(
        actor=request.user, member=request.user, ip=client_ip(request)
    )
    if created:
        messages.success(request, _("Your archive is being prepared; it appears here when ready."))
    else:
        messages.info(request, _("Your archive is already being prepared."))
    return redirect("member_data:mine")


@login_required
@require_POST
def my_account_delete(request):
    form = DeleteOwnAccountForm(request.POST, member=request.user)
    if not form.is_valid():
        context = {"archives": _archives(request.user), "form": form}
        return render(request, "moderation/member_data/mine.html", context, status=400)
    services.member_delete(actor=request.user, member=request.user, ip=client_ip(request))
    logout(request)
    messages.success(request, _("Your account has been deleted. Goodbye, and thank you."))
    return redirect("forum:index")


@login_required
def archive_download(request, token):
    """A signed link that expires; and only for the member, or staff."""
    archive_id = accounts_services.archive_id_from_token(token)
    if archive_id is None:
        raise Http404
    archive = ready_archive(archive_id)
    if archive is None:
        raise Http404
    permissions.check_member_data(request.user, archive.member)
    response = FileResponse(
        archive.file.open("rb"), as_attachment=True, filename=archive.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def staff_archive_request(request, pk):
    member = get_object_or_404(User, pk=pk)
    services.member_archive_request(actor=request.user, member=member, ip=client_ip(request))
    messages.success(request, _("The member's archive is being prepared."))
    return redirect("moderation:console_member", pk=member.pk)


@login_required
@require_POST
def staff_account_delete(request, pk):
    member = get_object_or_404(User, pk=pk)
    form = DeleteMemberForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("moderation:console_member", pk=member.pk)
    services.member_delete(
        actor=request.user,
        member=member,
        reason=form.cleaned_data["reason"],
        ip=client_ip(request),
    )
    messages.success(request, _("The account was deleted."))
    return redirect("moderation:console_member", pk=member.pk)
