"""Every URL of the site, fuzzed: no request may answer 5xx.

The URL resolver is walked, so a new page is fuzzed without being listed here.
Each route is filled with real ids and slugs from a small world, then with
hostile ones (0, 2^63 - 1, 2^63, 2^64, forty nines, NUL); each address is asked
for plainly and with hostile query strings, posted to with every form field the
project declares set to bare words, huge integers, NUL bytes, very long strings
and bytes that are not UTF-8, and asked for with odd headers, as a visitor, a
member and staff. On SQLite and on PostgreSQL alike (CI runs both).
"""

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import InvitationCode, Notification, Program, ProgramMembership
from forum.models import Post
from moderation import services as moderation_services
from moderation.models import ReportCase, UserExport
from moderation.views import actions, approvals, sanctions
from tests.browser.world import build_world

BIG = [str(2**63 - 1), str(2**63), str(2**64), "9" * 40]
HOSTILE_IDS = ["0", *BIG]
# Routes whose POST would end the session the next requests need.
SKIP = {"account_logout"}
ACTION_NAMES = {
    "moderation:thread_action": sorted(actions.THREAD_ACTIONS),
    "moderation:post_action": sorted(actions.POST_ACTIONS),
    "moderation:approval_action": sorted(approvals.APPROVAL_ACTIONS),
    "moderation:member_action": sorted(sanctions.ACTIONS),
}


@dataclass
class Route:
    name: str
    parts: list  # literal strings and (param, converter) pairs


def _regex_parts(regex: str) -> list:
    """A RegexPattern's literal text and named groups (enough for the site's few)."""
    regex = regex.lstrip("^").rstrip("$").replace("/?", "/").replace("\\", "")
    parts, at = [], 0
    for match in re.finditer(r"\(\?P<(\w+)>[^)]*\)(\{[^}]*\})?", regex):
        parts.append(regex[at : match.start()])
        parts.append((match.group(1), "regex"))
        at = match.end()
    parts.append(regex[at:])
    return parts


def _route_parts(route: str) -> list:
    parts, at = [], 0
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        parts.append(route[at : match.start()])
        parts.append((match.group(2), match.group(1) or "str"))
        at = match.end()
    parts.append(route[at:])
    return parts


def _parts(pattern) -> list:
    if hasattr(pattern, "_route"):
        return _route_parts(str(pattern))
    return _regex_parts(pattern.regex.pattern)


def walk(patterns=None, prefix=(), namespace="") -> list[Route]:
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        parts = [*prefix, *_parts(entry.pattern)]
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            routes += walk(entry.url_patterns, parts, ns)
        elif isinstance(entry, URLPattern):
            routes.append(Route(f"{namespace}{entry.name or '?'}", parts))
    return routes


@dataclass
class Ids:
    """Real ids and names from the world, by what a route's parameter points at."""

    values: dict = field(default_factory=dict)

    def valid(self, route: Route, param: str) -> str:
        name = route.name
        if param == "action":
            return ACTION_NAMES.get(name, ["hide"])[0]
        if name.startswith("admin:") and param == "object_id":
            return self.values.get(name.rsplit("_", 1)[0], "1")
        keyed = self.values.get(f"{name}.{param}")
        return keyed if keyed is not None else self.values.get(param, "1")


def build_ids(world) -> Ids:
    staff, member = world.staff, world.member
    thread, reply = world.thread, world.reply
    program = moderation_services.program_create(
        actor=staff, name="内测", slug="beta", seats=5, status=Program.Status.OPEN
    )
    membership = moderation_services.program_invite(program=program, user=member, actor=staff)
    code = InvitationCode.objects.create(
        code="FUZZCODE1", creator=member, max_uses=1, expires_at=timezone.now() + timedelta(days=9)
    )
    export = UserExport.objects.create(
        requested_by=staff, requested_by_name=staff.username, filters={}, streamed=False
    )
    pending = Post.objects.filter(is_pending=True).first()
    values = {
        "pk": str(thread.pk),
        "post_id": str(reply.pk),
        "floor": "2",
        "slug": world.board.slug,
        "username": member.username,
        "token": "abc",
        "code": code.code,
        "key": "abc",
        "uidb36": "1",
        "app_label": "accounts",
        "content_type_id": str(ContentType.objects.first().pk),
        "case_id": str(ReportCase.objects.first().pk),
        "forum:thread.slug": thread.slug,
        "forum:post.pk": str(reply.pk),
        "forum:attachment.pk": str(reply.pk),
        "moderation:post_action.pk": str(reply.pk),
        "moderation:approval_action.post_id": str(pending.pk if pending else reply.pk),
        "moderation:console_member.pk": str(member.pk),
        "moderation:console_core_lock.pk": str(member.pk),
        "moderation:console_export.pk": str(export.pk),
        "moderation:console_export_download.pk": str(export.pk),
        "membership_pk": str(membership.pk),
        "accounts:notification_open.pk": str(Notification.objects.first().pk),
        "accounts:invitation_send.pk": str(code.pk),
        "accounts:invitation_revoke.pk": str(code.pk),
        "accounts:program_invitation.code": membership.code,
        "accounts:program_accept.code": membership.code,
        "accounts:program_decline.code": membership.code,
        "accounts:program_leave.slug": program.slug,
    }
    for name in ("program", "program_edit", "program_invite", "program_invite_selected"):
        values[f"moderation:{name}.pk"] = str(program.pk)
    for name in ("program_invite_all", "program_flag", "program_remove"):
        values[f"moderation:{name}.pk"] = str(program.pk)
    for model in (type(staff), Post, type(thread), Program, ProgramMembership, ReportCase):
        meta = model._meta
        first = model.objects.order_by("pk").values_list("pk", flat=True).first()
        values[f"admin:{meta.app_label}_{meta.model_name}"] = str(first or 1)
    return Ids(values)


def fill(route: Route, ids: Ids, override: dict | None = None) -> str:
    override = override or {}
    out = []
    for part in route.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            param = part[0]
            out.append(override.get(param, ids.valid(route, param)))
    return "/" + "".join(out).lstrip("/")


def addresses(route: Route, ids: Ids) -> list[tuple[str, bool]]:
    """(path, whole): the valid address (fuzzed whole), then one per hostile value per
    parameter (asked for and posted to once)."""
    params = [part for part in route.parts if not isinstance(part, str)]
    valid = [fill(route, ids, {"action": action}) for action in ACTION_NAMES.get(route.name, [])]
    out = [(path, True) for path in valid or [fill(route, ids)]]
    for param, converter in params:
        hostile = HOSTILE_IDS if converter in {"int", "id", "path"} else ["x" * 300, "a\x00b"]
        if param == "action":
            hostile = ["nope"]
        out += [(fill(route, ids, {param: value}), False) for value in hostile]
    return out


def form_fields() -> list[str]:
    """Every field name a form of the project or allauth declares, and `next`."""
    import importlib
    import pkgutil

    from django import forms

    names = {"next", "language", "emails", "action", "action_add", "action_remove"}
    for package in ("accounts.forms", "forum.forms", "moderation.forms"):
        module = importlib.import_module(package)
        for info in pkgutil.iter_modules(module.__path__):
            importlib.import_module(f"{package}.{info.name}")
    import allauth.account.forms  # noqa: F401

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for form in subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in {"accounts", "forum", "moderation", "allauth"}:
            names |= set(getattr(form, "base_fields", {}))
    return sorted(names)


def query_variants(fields: list[str]) -> list[dict]:
    """Query strings: every form field (GET forms filter lists) and the lists' own keys."""
    keys = ["page", "q", "sort", "level", "after", "type", "device", "board", "tab", "next"]
    keys += ["o", "p", "e", "_changelist_filters", "all", *fields]
    return [
        dict.fromkeys(keys, "abc"),
        dict.fromkeys(keys, str(2**64)),
        {**dict.fromkeys(keys, "a\x00b"), "q\x00": "1"},
        dict.fromkeys(keys, "x" * 600),
    ]


def post_variants(fields: list[str]) -> list:
    """Form bodies: dicts for the test client, or raw bytes (not UTF-8)."""
    raw = "&".join(f"{name}=%FF%FE%C3" for name in fields).encode() + b"&next=\xff\xfe"
    return [
        dict.fromkeys(fields, "abc"),
        {**{key: ["0", str(2**63)] for key in fields}, "next": "0"},
        dict.fromkeys(fields, "9" * 40),
        {**dict.fromkeys(fields, "a\x00b"), "next": "/\x00"},
        dict.fromkeys(fields, "x" * 3000),
        {**dict.fromkeys(fields, "\u202e\ufeff<b>"), "next": "//evil.example/"},
        raw,
    ]


HOSTILE_HEADERS = {
    "HTTP_X_FORWARDED_FOR": "abc, , 999.1.1.1,",
    "HTTP_X_REAL_IP": "\x00",
    "HTTP_HX_REQUEST": "true",
    "HTTP_ACCEPT_LANGUAGE": "xx-" + "y" * 300 + ", *;q=abc",
    "HTTP_REFERER": "javascript:alert(1)",
    "HTTP_COOKIE": "messages=abc; sessionid=\x7f; csrftoken=" + "x" * 300,
    "HTTP_IF_MODIFIED_SINCE": "yesterday",
    "HTTP_RANGE": "bytes=abc",
}


class Fuzzer:
    def __init__(self):
        self.requests = 0
        self.failures: list[str] = []
        self.errors: list[BaseException] = []

    def _record(self, sender, request=None, **kwargs):
        import sys

        self.errors.append(sys.exc_info()[1])

    def ask(self, client, method: str, path: str, **extra):
        self.errors.clear()
        self.requests += 1
        response = getattr(client, method)(path, **extra)
        if response.status_code >= 500:
            cause = repr(self.errors[0])[:160] if self.errors else "no exception"
            self.failures.append(f"{response.status_code} {method.upper()} {path[:120]}: {cause}")
        return response


@pytest.mark.django_db
def test_no_url_answers_5xx_to_hostile_input(settings, caplog):
    settings.ALLOWED_HOSTS = ["testserver"]
    for name in ("django.request", "django.security"):
        caplog.set_level(logging.CRITICAL, logger=name)
    world = build_world()
    ids = build_ids(world)
    routes = [route for route in walk() if route.name not in SKIP]
    fields = form_fields()
    queries, bodies = query_variants(fields), post_variants(fields)
    fuzzer = Fuzzer()
    got_request_exception.connect(fuzzer._record)
    try:
        for role in (None, world.member, world.staff):
            client = Client(raise_request_exception=False)
            for route in routes:
                if route.name.startswith("admin:") and role is not world.staff:
                    continue
                if role is not None:
                    client.force_login(role)
                for path, whole in addresses(route, ids):
                    fuzzer.ask(client, "get", path)
                    fuzzer.ask(client, "post", path, data=bodies[0])
                    if not whole:
                        continue
                    for query in queries:
                        fuzzer.ask(client, "get", path, data=query)
                    for body in bodies[1:]:
                        if isinstance(body, bytes):
                            kind = "application/x-www-form-urlencoded"
                            fuzzer.ask(client, "post", path, data=body, content_type=kind)
                        else:
                            fuzzer.ask(client, "post", path, data=body)
                    fuzzer.ask(client, "get", path, **HOSTILE_HEADERS)
                    fuzzer.ask(client, "post", path, data=bodies[0], **HOSTILE_HEADERS)
    finally:
        got_request_exception.disconnect(fuzzer._record)
    causes = Counter(failure.split(": ", 1)[1] for failure in fuzzer.failures)
    print(
        f"\nfuzz {timezone.now():%Y-%m-%d}: {fuzzer.requests} requests over {len(routes)} routes, "
        f"{len(fuzzer.failures)} answered 5xx; causes: {dict(causes.most_common(20))}"
    )
    assert fuzzer.requests > 5000
    assert fuzzer.failures == [], "\n".join(fuzzer.failures[:40])
