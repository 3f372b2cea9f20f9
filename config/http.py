"""Request helpers that views in every app need: who is asking, where to go back to,
and how a refusal says why."""

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# Where a refused htmx action's reason goes: the message area of every page (base.html).
REFUSAL_TARGET = "#toasts"


def _address(value: str | None) -> str | None:
    """An IP address as written in a header: bare, `1.2.3.4:port` or `[v6]:port`."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The visitor's address, as the proxies we trust saw it.

    REMOTE_ADDR is whoever opened the connection: the visitor when nothing is in
    front of us, the nearest proxy otherwise. With TRUSTED_CLIENT_IP_HEADER set
    (`X-Real-IP`, `CF-Connecting-IP`), that header is the address. With
    TRUSTED_PROXY_COUNT = n, X-Forwarded-For's n-th entry from the right is: each
    of our n proxies appended the address it was reached from, and anything to
    the left of theirs the client may have written. A header that is missing,
    too short or not an address leaves REMOTE_ADDR. allauth's rate limits use the
    same answer (accounts.adapters), so sign-in, sign-up, Popcorn's limits and
    the audit log all count the same visitor.
    """
    header = settings.TRUSTED_CLIENT_IP_HEADER
    proxies = settings.TRUSTED_PROXY_COUNT
    found = None
    if header:
        found = _address(request.headers.get(header))
    elif proxies > 0:
        hops = request.headers.get("X-Forwarded-For", "").split(",")
        if len(hops) >= proxies:
            found = _address(hops[-proxies])
    return found or _address(request.META.get("REMOTE_ADDR"))


_request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


def request_ip() -> str | None:
    """The address of the request being served (set by ClientAddressMiddleware), for
    services that refuse by address without being handed the request."""
    return _request_ip.get()


@contextmanager
def serving_address(ip: str | None) -> Iterator[None]:
    """Serve what runs inside as a request from `ip` (the middleware; tests, jobs)."""
    token = _request_ip.set(ip)
    try:
        yield
    finally:
        _request_ip.reset(token)


def is_safe_path(request, target: str) -> bool:
    """Whether `target` is a path on this site: the only `next` Popcorn follows.

    Only absolute paths count: a bare word (`abc`, `0`) would be taken by
    `redirect()` for a URL name and fail, and `//host` or a scheme leaves the site.
    """
    return (
        isinstance(target, str)
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def safe_next(request, fallback: str, *, value: str | None = None) -> str:
    """The `next` the request carries (or `value`) if it is a path on this site, else
    `fallback`. Every view that sends a visitor back, and allauth (accounts.adapters),
    go through here."""
    target = value if value is not None else request.POST.get("next", "")
    return target if is_safe_path(request, target) else fallback


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def errors_text(errors) -> str:
    """A ValidationError, a form's errors or a list, as one line to show."""
    if isinstance(errors, ValidationError):
        errors = errors.messages
    elif hasattr(errors, "values"):  # a form's errors
        errors = [message for field in errors.values() for message in field]
    return " ".join(str(e) for e in errors)


def message_refusal(request, errors) -> None:
    """Show why an action was refused: a ValidationError, a form's errors or a list."""
    messages.error(request, errors_text(errors))


def refusal_toast(request, reason: str, *, status: int = 403) -> HttpResponse:
    """A refused htmx action: its reason, swapped into the page's message area.

    htmx swaps no 4xx response by itself; base.html's script swaps one that names its
    target with HX-Retarget, so the status stays the truth and the member reads why.
    """
    response = render(request, "refusal_toast.html", {"reason": reason}, status=status)
    response["HX-Retarget"] = REFUSAL_TARGET
    response["HX-Reswap"] = "innerHTML"
    return response


def refusal_page(request, reason: str, *, status: int = 403) -> HttpResponse:
    """The reason on a page of its own, or in the page's message area for htmx."""
    if is_htmx(request):
        return refusal_toast(request, reason, status=status)
    return render(request, "403.html", {"reason": reason}, status=status)


def refuse(request, reason: str, *, back: str) -> HttpResponse:
    """A refused action says why: htmx shows the reason in the page's message area, a
    plain form goes back where it came from (`back`, a path) with it as a message."""
    if is_htmx(request):
        return refusal_toast(request, reason)
    messages.error(request, reason)
    return redirect(back)


def permission_denied(request, exception=None) -> HttpResponse:
    """handler403: every PermissionDenied says why (its message), for htmx requests too."""
    reason = str(exception or "") or _("You are not allowed to do that.")
    return refusal_page(request, reason)
