"""Request helpers that views in every app need: who is asking, and where to go back to."""

import ipaddress

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str | None:
    # REMOTE_ADDR is what the trusted proxy in front of us set; never a client header.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


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
