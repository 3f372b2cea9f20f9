"""Request helpers that views in every app need: who is asking, and where to go back to."""

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


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


def message_refusal(request, errors) -> None:
    """Show why an action was refused: a ValidationError, a form's errors or a list."""
    if isinstance(errors, ValidationError):
        errors = errors.messages
    elif hasattr(errors, "values"):  # a form's errors
        errors = [message for field in errors.values() for message in field]
    messages.error(request, " ".join(str(e) for e in errors))
