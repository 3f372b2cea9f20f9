"""What a notification says, kept as a key and parameters and worded when it is read.

A notification is written by one member's action and read by another, maybe in
another language, maybe after the site's translation improved: so a row stores
`title_key` and `title_params` (names, titles, codes, ISO times), never a
finished sentence, and `Message.render` words it in the language active for
the reader (Discourse's notification_type + data, rendered in the reader's
locale).

Each app keeps its own messages beside its services (`forum.notification_texts`,
`moderation.notification_texts`) and registers them from its AppConfig.ready(),
so accounts, which renders every notification, imports no other app.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Message:
    """One sentence with named %(params)s, worded in the active language.

    `template` is a gettext_lazy string, or an ngettext_lazy one whose number is
    a named parameter. Parameters named in `moments` hold ISO datetimes, shown
    in the reader's date format and the site's time zone; those in `labels`
    hold a code (a choice's value), shown by its function (the choice's label).
    """

    template: Promise
    moments: tuple[str, ...] = field(default=())
    labels: Mapping[str, Callable[[str], str]] = field(default_factory=dict)

    def render(self, params: Mapping) -> str:
        values = dict(params)
        for name in self.moments:
            values[name] = _moment(values.get(name))
        for name, label in self.labels.items():
            values[name] = label(values.get(name))
        return str(self.template % values)


def choice_label(choices) -> Callable[[str], str]:
    """A `labels` function for a TextChoices: the label of a stored code, or the code."""

    def label(code) -> str:
        try:
            return str(choices(code).label)
        except ValueError:
            return str(code)

    label.choices = choices  # read back by parse_sentence
    return label


def _moment(value) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


_REGISTRY: dict[str, Message] = {}


def register(messages: Mapping[str, Message | Promise]) -> None:
    """Add an app's messages; a key is "<app>.<what>", taken once."""
    for key, message in messages.items():
        if not isinstance(message, Message):
            message = Message(message)
        if key in _REGISTRY and _REGISTRY[key] != message:
            raise ImproperlyConfigured(f"Notification message {key!r} is registered twice.")
        _REGISTRY[key] = message


def is_known(key: str) -> bool:
    return key in _REGISTRY


def registered() -> dict[str, Message]:
    return dict(_REGISTRY)


def render(key: str, params: Mapping, *, fallback: str = "") -> str:
    """The sentence for `key` in the active language; `fallback` when the key is unknown
    (a row older than keys, or a key since removed) or its parameters do not fit."""
    message = _REGISTRY.get(key)
    if message is None:
        return fallback
    try:
        return message.render(params)
    except (KeyError, TypeError, ValueError):
        return fallback


# Reading old rows: a finished sentence back into a key -----------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# How sanctions wrote times into their sentences before keys.
_OLD_MOMENT_FORMAT = "%Y-%m-%d %H:%M"


def _pattern(source: str) -> re.Pattern:
    parts, position = [], 0
    for match in _PLACEHOLDER.finditer(source):
        parts.append(re.escape(source[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(source[position:]))
    return re.compile("".join(parts), re.DOTALL)


def _old_value(message: Message, name: str, value: str):
    if name in message.moments:
        moment = datetime.strptime(value[:16], _OLD_MOMENT_FORMAT)
        return timezone.make_aware(moment).isoformat()
    if name in message.labels:
        choices = getattr(message.labels[name], "choices", None)
        codes = {str(label): code for code, label in choices.choices} if choices else {}
        return codes[value]
    return value


def parse_sentence(sentence: str, *, prefixes: tuple[str, ...]) -> tuple[str, dict] | None:
    """(key, params) of the registered message, among keys starting with one of
    `prefixes`, that words `sentence` in the source language; None if none does.

    For migrating rows written before keys (all in English, the only catalogue
    then): the most specific match wins ("fixed in 1.2" over any status).
    """
    found: list[tuple[int, str, dict]] = []
    with translation.override(None):
        for key, message in _REGISTRY.items():
            if not key.startswith(prefixes):
                continue
            source = str(message.template)
            if not source:  # a plural message: no sentence of its own to match
                continue
            match = _pattern(source).fullmatch(sentence)
            if match is None:
                continue
            try:
                params = {
                    name: _old_value(message, name, value)
                    for name, value in match.groupdict().items()
                }
            except (KeyError, ValueError):
                continue
            found.append((len(_PLACEHOLDER.sub("", source)), key, params))
    if not found:
        return None
    _specificity, key, params = max(found, key=lambda item: item[0])
    return key, params


# Accounts' own messages: early-access programs.
ACCOUNTS_MESSAGES = {
    "accounts.program_invited": _("You are invited to the early-access program “%(program)s”"),
    "accounts.program_removed": _("You were removed from the early-access program “%(program)s”"),
    "accounts.program_requalify_removed": _(
        "You were removed from “%(program)s”: you no longer meet its criteria"
    ),
    "accounts.program_requalify_warned": _(
        "You no longer meet the criteria of “%(program)s”; "
        "if that is still so next week, your seat goes to someone else"
    ),
    "accounts.program_application_accepted": _(
        "Your application to “%(program)s” was accepted: welcome"
    ),
    "accounts.program_application_rejected": _(
        "Your application to “%(program)s” was not accepted"
    ),
    "accounts.program_week_missed": _(
        "You missed last week's tasks in “%(program)s”: see where you stand before your seat "
        "goes to someone else"
    ),
    "accounts.program_week_removed": _(
        "You were removed from “%(program)s”: its weekly tasks were missed after a warning"
    ),
}

register(ACCOUNTS_MESSAGES)
