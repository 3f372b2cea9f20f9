"""Invitation pages: sign-up with a code, /join/<code> links, and the member's own codes."""

from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions, selectors, services
from accounts.forms import InvitationCreateForm, InvitationSendForm
from accounts.models import InvitationCode
from config.paging import page_number

# Where a /join/ link leaves its code until the visitor signs up.
SESSION_KEY = "invitation_code"


class SignupView(AllauthSignupView):
    """allauth's sign-up, with the code from a /join/ link filled in.

    If the code was used up between the form's check and the account's
    creation, the sign-up is rolled back and the form comes back with the
    error on the code field and everything else as typed.
    """

    def get_initial(self):
        initial = super().get_initial()
        if code := self.request.session.get(SESSION_KEY):
            initial["invitation_code"] = code
        return initial

    def form_valid(self, form):
        try:
            response = super().form_valid(form)
        except services.InvitationUnavailable as exc:
            form.add_error("invitation_code", ValidationError(exc.message, code=exc.reason))
            return self.form_invalid(form)
        self.request.session.pop(SESSION_KEY, None)
        return response


signup = SignupView.as_view()


def join(request, code):
    """The link in an invitation: keep the code and go to sign-up, or say what is wrong."""
    if request.user.is_authenticated:
        messages.info(request, _("You already have an account, so you need no invitation."))
        return redirect("forum:index")
    try:
        invitation = selectors.invitation_check(code)
    except selectors.InvitationUnavailable as exc:
        request.session.pop(SESSION_KEY, None)
        return render(
            request,
            "accounts/invitations/join_invalid.html",
            {
                "message": exc.message,
                "signup_open": permissions.registration_mode() != permissions.INVITE_ONLY,
            },
            status=404 if exc.reason == "unknown" else 410,
        )
    request.session[SESSION_KEY] = invitation.code
    messages.success(
        request,
        _("%(name)s invited you. Choose a username and password to join.")
        % {"name": invitation.creator_name or _("A member")},
    )
    return redirect("account_signup")


def _render_page(request, *, form, denied, status=200, send_error=None):
    overview = selectors.invitations_overview(
        request.user,
        codes_page=page_number(request, "codes"),
        invitees_page=page_number(request, "invitees"),
    )
    return render(
        request,
        "accounts/invitations/list.html",
        {
            "overview": overview,
            "form": form,
            "denied": denied,
            "send_error": send_error,
            "registration_mode": permissions.registration_mode(),
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
def invitation_list(request):
    """The member's codes, quota and invitees; a POST creates a code."""
    user = request.user
    denied = permissions.invite_denied_reason(user)
    form = InvitationCreateForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if denied:
            status = 403
        elif form.is_valid():
            try:
                code = services.invitation_create(
                    creator=user,
                    max_uses=form.cleaned_data["max_uses"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                    email=form.cleaned_data["email"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            except PermissionDenied as exc:
                denied, status = str(exc), 403
            else:
                if code.sent_to:
                    messages.success(
                        request,
                        _("Code %(code)s created and sent to %(email)s.")
                        % {"code": code.code, "email": code.sent_to},
                    )
                else:
                    messages.success(
                        request,
                        _("Code %(code)s created. Copy its link and share it.")
                        % {"code": code.code},
                    )
                return redirect("accounts:invitations")
    return _render_page(request, form=form, denied=denied, status=status)


@login_required
@require_POST
def invitation_send(request, pk):
    code = get_object_or_404(InvitationCode, pk=pk, creator=request.user)
    form = InvitationSendForm(request.POST)
    error, status = None, 400
    if form.is_valid():
        try:
            services.invitation_send(
                code=code, sender=request.user, email=form.cleaned_data["email"]
            )
        except ValidationError as exc:
            error = " ".join(exc.message_dict.get("email", exc.messages))
        except PermissionDenied as exc:
            error, status = str(exc), 403
        else:
            messages.success(
                request,
                _("Invitation %(code)s sent to %(email)s.")
                % {"code": code.code, "email": form.cleaned_data["email"]},
            )
            return redirect("accounts:invitations")
    else:
        error = " ".join(form.errors["email"])
    return _render_page(
        request,
        form=InvitationCreateForm(user=request.user),
        denied=permissions.invite_denied_reason(request.user),
        status=status,
        send_error={
            "code_id": code.pk,
            "code": code.code,
            "message": error,
            "email": request.POST.get("email", ""),
        },
    )


@login_required
@require_POST
def invitation_revoke(request, pk):
    code = get_object_or_404(InvitationCode, pk=pk, creator=request.user)
    if services.invitation_revoke(code=code, actor=request.user):
        messages.success(
            request, _("Code %(code)s revoked: nobody else can join with it.") % {"code": code.code}
        )
    return redirect("accounts:invitations")
