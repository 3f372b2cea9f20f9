"""The console's watched words and bans: list, add, edit and remove watched words; list,
add and lift banned address ranges and email domains. Global moderators and staff
(moderation.permissions.can_manage_screening): anonymous visitors go to sign in, anyone
else gets 403 before any form is read. Every change is one audited service call."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import BannedEmailDomain, BannedNetwork, WatchedWord
from config.http import client_ip
from moderation import selectors, services
from moderation.forms.screening import BannedDomainForm, BannedNetworkForm, WatchedWordForm
from moderation.permissions import check_can_manage_screening

WORDS = "moderation:watched_words"
BANS = "moderation:bans"


def screening_keepers(view):
    @login_required
    @wraps(view)
    def checked(request, *args, **kwargs):
        check_can_manage_screening(request.user)
        return view(request, *args, **kwargs)

    return checked


def _saved(form, save) -> bool:
    """Run the service with the form's data; its field errors go onto the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


def _words_page(request, form, status=200):
    return render(
        request,
        "moderation/screening/words.html",
        {"words": list(selectors.watched_words()), "form": form},
        status=status,
    )


@screening_keepers
@require_http_methods(["GET", "POST"])
def watched_words(request):
    """The list, and the form that adds an entry (posted here)."""
    if request.method == "GET":
        return _words_page(request, WatchedWordForm())
    form = WatchedWordForm(request.POST)
    if _saved(
        form,
        lambda data: services.watched_word_create(
            actor=request.user, ip=client_ip(request), **data
        ),
    ):
        messages.success(request, _("Watched word added. It applies at once."))
        return redirect(WORDS)
    return _words_page(request, form, status=400)


@screening_keepers
@require_http_methods(["GET", "POST"])
def watched_word_edit(request, pk):
    word = get_object_or_404(WatchedWord, pk=pk)
    form = WatchedWordForm.for_word(word, request.POST if request.method == "POST" else None)
    if request.method == "POST" and _saved(
        form,
        lambda data: services.watched_word_update(
            actor=request.user, word=word, ip=client_ip(request), **data
        ),
    ):
        messages.success(request, _("Watched word saved."))
        return redirect(WORDS)
    status = 400 if form.is_bound else 200
    return render(
        request, "moderation/screening/word_form.html", {"form": form, "word": word}, status=status
    )


@screening_keepers
@require_POST
def watched_word_delete(request, pk):
    word = get_object_or_404(WatchedWord, pk=pk)
    services.watched_word_delete(actor=request.user, word=word, ip=client_ip(request))
    messages.success(request, _("Watched word removed."))
    return redirect(WORDS)


def _bans_page(request, *, network_form=None, domain_form=None, status=200):
    return render(
        request,
        "moderation/screening/bans.html",
        {
            "networks": list(selectors.banned_networks()),
            "domains": list(selectors.banned_domains()),
            "network_form": network_form or BannedNetworkForm(prefix="network"),
            "domain_form": domain_form or BannedDomainForm(prefix="domain"),
            "now": timezone.now(),
        },
        status=status,
    )


@screening_keepers
@require_http_methods(["GET"])
def bans(request):
    return _bans_page(request)


@screening_keepers
@require_POST
def banned_network_add(request):
    form = BannedNetworkForm(request.POST, prefix="network")
    if _saved(
        form,
        lambda data: services.banned_network_create(
            actor=request.user, ip=client_ip(request), **data
        ),
    ):
        messages.success(request, _("Address range banned."))
        return redirect(BANS)
    return _bans_page(request, network_form=form, status=400)


@screening_keepers
@require_POST
def banned_domain_add(request):
    form = BannedDomainForm(request.POST, prefix="domain")
    if _saved(
        form,
        lambda data: services.banned_domain_create(
            actor=request.user, ip=client_ip(request), **data
        ),
    ):
        messages.success(request, _("Email domain banned."))
        return redirect(BANS)
    return _bans_page(request, domain_form=form, status=400)


@screening_keepers
@require_POST
def banned_network_lift(request, pk):
    ban = get_object_or_404(BannedNetwork, pk=pk)
    services.ban_delete(actor=request.user, ban=ban, ip=client_ip(request))
    messages.success(request, _("Ban lifted."))
    return redirect(BANS)


@screening_keepers
@require_POST
def banned_domain_lift(request, pk):
    ban = get_object_or_404(BannedEmailDomain, pk=pk)
    services.ban_delete(actor=request.user, ban=ban, ip=client_ip(request))
    messages.success(request, _("Ban lifted."))
    return redirect(BANS)
