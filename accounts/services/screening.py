"""The one check of watched words and bans, for posts, titles, messages, profiles and sign-up.

Moderators keep the lists (moderation's console); this module compiles them once into
one combined regular expression per action plus the live bans, keeps that in the cache
under a version key (bumped by every change, accounts.services._screening_unchecked)
and in this process, so a cached check costs no query: one cache read of the version.

Text is matched after NFKC normalisation and casefolding, character by character so a
match maps back onto what the member wrote: full-width "ＷＥＣＨＡＴ" is "wechat", and a
Chinese word matches inside a sentence (no spaces between words). A Latin word matches
as a whole word only (ASCII letters and digits around it end the match).
"""

import contextlib
import ipaddress
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import (
    BannedEmailDomain,
    BannedNetwork,
    WatchedWord,
    WatchedWordAction,
    WatchedWordKind,
)
from config.http import request_ip

VERSION_KEY = "screening:version"
DATA_KEY = "screening:data:{version}"
DATA_SECONDS = 24 * 60 * 60
# While the cache is unreachable, the process's copy is trusted this long.
LOCAL_SECONDS = 30.0
PATTERN_MAX_LENGTH = 100
REPLACEMENT = "***"

Action = WatchedWordAction
_LATIN = re.compile(r"[a-z0-9]")
# A quantified group holding a quantifier, "(a+)+", "(\w*)*": the shape that backtracks
# exponentially in Python's re, which has no time limit.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def normalise(text: str) -> str:
    """The form patterns and texts are compared in: NFKC, casefolded."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    out, where = [], []
    for index, char in enumerate(text):
        folded = unicodedata.normalize("NFKC", char).casefold()
        out.append(folded)
        where.extend([index] * len(folded))
    return "".join(out), where


def _bounded(body: str, literal: str) -> str:
    """A Latin word matches whole: no ASCII letter or digit right before or after it."""
    head = r"(?<![a-z0-9])" if _LATIN.match(literal[:1]) else ""
    tail = r"(?![a-z0-9])" if _LATIN.match(literal[-1:]) else ""
    return f"{head}{body}{tail}"


def pattern_source(pattern: str, kind: str) -> str:
    """The regular expression one entry stands for, matched against normalised text."""
    if kind == WatchedWordKind.REGEX:
        return pattern
    if kind == WatchedWordKind.WILDCARD:
        body = r"\S*?".join(re.escape(part) for part in pattern.split("*"))
        return _bounded(body, pattern)
    return _bounded(re.escape(pattern), pattern)


def pattern_clean(pattern: str, kind: str) -> str:
    """The entry as stored (a word normalised), or a ValidationError on `pattern`."""
    pattern = (pattern or "").strip()
    if kind not in WatchedWordKind.values:
        raise ValidationError({"kind": [_("Choose a valid kind.")]})
    if not pattern:
        raise ValidationError({"pattern": [_("Write the word or pattern.")]})
    if len(pattern) > PATTERN_MAX_LENGTH:
        raise ValidationError(
            {"pattern": [_("At most %(most)d characters, please.") % {"most": PATTERN_MAX_LENGTH}]}
        )
    if kind != WatchedWordKind.REGEX:
        pattern = normalise(pattern)
        if not pattern.strip("*"):
            raise ValidationError({"pattern": [_("A pattern needs more than wildcards.")]})
        return pattern
    if _BACKREFERENCE.search(pattern) or _NESTED_QUANTIFIER.search(pattern):
        raise ValidationError(
            {
                "pattern": [
                    _(
                        "This pattern could take too long to check (a repeated group that "
                        "repeats inside, or a back-reference). Write it more simply."
                    )
                ]
            }
        )
    try:
        compiled = re.compile(f"(?:{pattern})")
    except re.error as error:
        raise ValidationError(
            {"pattern": [_("Not a valid regular expression: %(error)s") % {"error": error}]}
        ) from None
    if compiled.groupindex:
        raise ValidationError({"pattern": [_("Named groups are not allowed in a pattern.")]})
    if compiled.search(""):
        raise ValidationError({"pattern": [_("This pattern matches an empty text.")]})
    return pattern


def _combined(sources: list[str]) -> list[re.Pattern]:
    """One regular expression for all of an action's entries (several only if one of
    them, saved before a rule existed, breaks the whole)."""
    if not sources:
        return []
    try:
        return [re.compile("|".join(f"(?:{source})" for source in sources))]
    except re.error:
        compiled = []
        for source in sources:
            try:
                compiled.append(re.compile(source))
            except re.error:
                continue
        return compiled


@dataclass(frozen=True)
class _Lists:
    words: dict[str, list[re.Pattern]]
    networks: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, float | None, str], ...]
    domains: dict[str, tuple[float | None, str]]


def _stamp(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment else None


def _load_rows() -> dict:
    """The lists as plain data (what the cache holds): three queries."""
    now = timezone.now()
    return {
        "words": [
            (pattern_source(pattern, kind), action)
            for pattern, kind, action in WatchedWord.objects.order_by("pk").values_list(
                "pattern", "kind", "action"
            )
        ],
        "networks": [
            (network, _stamp(expires), reason)
            for network, expires, reason in BannedNetwork.objects.in_force(now)
            .order_by("pk")
            .values_list("network", "expires_at", "reason")
        ],
        "domains": [
            (domain, _stamp(expires), reason)
            for domain, expires, reason in BannedEmailDomain.objects.in_force(now)
            .order_by("pk")
            .values_list("domain", "expires_at", "reason")
        ],
    }


def _compile(data: dict) -> _Lists:
    by_action: dict[str, list[str]] = {action: [] for action in Action.values}
    for source, action in data["words"]:
        by_action.setdefault(action, []).append(source)
    return _Lists(
        words={action: _combined(sources) for action, sources in by_action.items()},
        networks=tuple(
            (ipaddress.ip_network(network, strict=False), expires, reason)
            for network, expires, reason in data["networks"]
        ),
        domains={domain: (expires, reason) for domain, expires, reason in data["domains"]},
    )


@dataclass
class _Local:
    version: str | None = None
    lists: _Lists | None = None
    loaded_at: float = 0.0


_local = _Local()


def _lists() -> _Lists:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if version is None:
        # No cache to agree on a version: the process's copy, while fresh enough.
        if _local.lists is not None and time.monotonic() - _local.loaded_at < LOCAL_SECONDS:
            return _local.lists
        data = _load_rows()
    elif version == _local.version and _local.lists is not None:
        return _local.lists
    else:
        key = DATA_KEY.format(version=version)
        data = cache.get(key)
        if data is None:
            data = _load_rows()
            cache.set(key, data, DATA_SECONDS)
    _local.version, _local.lists, _local.loaded_at = version, _compile(data), time.monotonic()
    return _local.lists


def screening_changed() -> None:
    """The lists changed: every process compiles them again on its next check."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    _local.version, _local.lists = None, None


# Watched words ---------------------------------------------------------------------


def _matches(patterns: list[re.Pattern], text: str) -> list[tuple[int, int]]:
    """Spans of `text` (as written) that the patterns match in its normalised form."""
    if not patterns or not text:
        return []
    folded, where = _normalised_with_map(text)
    spans = []
    for pattern in patterns:
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                spans.append((where[match.start()], where[match.end() - 1] + 1))
    return sorted(spans)


def _words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    seen = []
    for start, end in spans:
        word = text[start:end]
        if word not in seen:
            seen.append(word)
    return seen


def _replaced(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in spans:
        if start < last:
            start = last
            if start >= end:
                continue
        out += [text[last:start], REPLACEMENT]
        last = end
    return "".join([*out, text[last:]])


@dataclass
class Screened:
    """What the watched words made of some texts: the texts to store (replacements
    done), and the words that send them for approval or flag them for review."""

    texts: dict[str, str]
    approve: list[str] = field(default_factory=list)
    flag: list[str] = field(default_factory=list)


def blocked_message(word: str) -> str:
    return _("“%(word)s” is not allowed here. Please remove it.") % {"word": word}


def text_screen(texts: dict[str, str], *, queued: bool = True) -> Screened:
    """Check texts by field name; a blocked word is a ValidationError on its field,
    naming the word. `queued=False` for texts no moderator queue can hold (profiles):
    there, words that would need approval or flag are refused as well."""
    lists = _lists()
    refusing = [*lists.words[Action.BLOCK]]
    if not queued:
        refusing += [*lists.words[Action.APPROVE], *lists.words[Action.FLAG]]
    errors = {}
    for name, text in texts.items():
        found = _words(text, _matches(refusing, text))
        if found:
            errors[name] = [blocked_message(word) for word in found]
    if errors:
        raise ValidationError(errors)
    out = {
        name: _replaced(text, _matches(lists.words[Action.REPLACE], text))
        for name, text in texts.items()
    }
    screened = Screened(texts=out)
    if queued:
        for text in out.values():
            for action, found in ((Action.APPROVE, screened.approve), (Action.FLAG, screened.flag)):
                for word in _words(text, _matches(lists.words[action], text)):
                    if word not in found:
                        found.append(word)
    return screened


def text_test(text: str) -> dict[str, list[str]]:
    """The console's test box: which words of `text` each action would catch (all of
    them, nothing refused), and the text after replacement."""
    lists = _lists()
    found = {action: _words(text, _matches(lists.words[action], text)) for action in Action.values}
    return {
        **found,
        "replaced": _replaced(text, _matches(lists.words[Action.REPLACE], text)),
    }


# Bans ------------------------------------------------------------------------------


def _live(expires: float | None) -> bool:
    return expires is None or expires > time.time()


def address_ban_reason(ip: str | None) -> str | None:
    """The reason of a live ban on a range holding `ip`, or None."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    for network, expires, reason in _lists().networks:
        if address.version == network.version and address in network and _live(expires):
            return reason
    return None


def email_ban_reason(email: str) -> str | None:
    """The reason of a live ban on the email's domain or a domain above it, or None."""
    domain = (email or "").rpartition("@")[2].strip().rstrip(".").lower()
    if not domain:
        return None
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    domains = _lists().domains
    labels = domain.split(".")
    for start in range(len(labels)):
        found = domains.get(".".join(labels[start:]))
        if found is not None and _live(found[0]):
            return found[1]
    return None


def check_address_allowed(ip: str | None = None) -> None:
    """PermissionDenied for a request from a banned range (posting, messages); by
    default the address of the request being served (config.http.request_ip)."""
    reason = address_ban_reason(ip if ip is not None else request_ip())
    if reason is not None:
        raise PermissionDenied(
            _("Posting from your network is not allowed: %(reason)s") % {"reason": reason}
        )
