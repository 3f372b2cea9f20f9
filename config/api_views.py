"""What every API view shares: the base classes, cursor pagination and the throttles.

An app's api/views.py subclasses ApiView (one operation per method) or ApiListView
for a list (cursor-paginated by config.api_pagination), documents each operation with
config.api_schema.api_doc, validates with an input serializer, calls the service with
keyword arguments and renders with an output serializer. No rule lives here or in a
serializer: services raise, config.api_errors answers.
"""

import hashlib
import json

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import generics, permissions, throttling, views

from config.api_errors import error_body
from config.http import client_ip

# Throttles ------------------------------------------------------------------------------


class _PopcornRateThrottle(throttling.SimpleRateThrottle):
    """A DRF rate throttle whose rate is read from POPCORN["API_THROTTLES"] per request.

    (DRF's own THROTTLE_RATES is frozen at import, so tests and operators could not
    change it without a restart.)
    """

    rate_name = ""
    methods: frozenset[str] | None = None  # None: every method

    def __init__(self):  # the rate is looked up in allow_request, not at construction
        pass

    def allow_request(self, request, view):
        if self.methods is not None and request.method not in self.methods:
            return True
        self.rate = settings.POPCORN["API_THROTTLES"][self.rate_name]
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = self.identity(request)
        if ident is None:
            return None
        return f"api-throttle:{self.rate_name}:{ident}"

    def identity(self, request) -> str | None:
        raise NotImplementedError


class _PerMember(_PopcornRateThrottle):
    def identity(self, request):
        return f"u{request.user.pk}" if request.user.is_authenticated else None


class _PerAddress(_PopcornRateThrottle):
    def identity(self, request):
        return client_ip(request) or "unknown"


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class MemberWriteThrottle(_PerMember):
    rate_name = "write_member"
    methods = _WRITES


class AddressWriteThrottle(_PerAddress):
    rate_name = "write_address"
    methods = _WRITES


class MemberSearchThrottle(_PerMember):
    rate_name = "search_member"


class AddressSearchThrottle(_PerAddress):
    rate_name = "search_address"


WRITE_THROTTLES = [MemberWriteThrottle, AddressWriteThrottle]
SEARCH_THROTTLES = [MemberSearchThrottle, AddressSearchThrottle]


# Base views -----------------------------------------------------------------------------


class ApiView(views.APIView):
    """One resource, one method per operation; writes are throttled per member and address."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = WRITE_THROTTLES


class ApiListView(generics.ListAPIView):
    """A list, keyset-paginated (config.api_pagination): set `serializer_class` and
    `ordering`, non-null fields ending in a unique one; writes on the same address
    (POST) are throttled like ApiView's."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    throttle_classes = WRITE_THROTTLES
    ordering: tuple[str, ...] = ("-id",)


def request_fingerprint(request, payload: dict) -> str:
    """What a request asks for, as a digest: an Idempotency-Key's request must match it."""
    canonical = json.dumps(
        {"method": request.method, "path": request.path, "input": payload},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@csrf_exempt  # it writes nothing; a POST to a wrong address is a 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """Any other address under /api/v1/: the API's 404 body, not the site's HTML page."""
    return JsonResponse(error_body(_("No such API address.")), status=404)
