"""The console's forms for watched words and bans: they type what is sent; the rules (a
regular expression that compiles and cannot run away, a CIDR range, a domain name, an
expiry ahead) are the services', whose field errors land on these forms' fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import WatchedWord, WatchedWordAction, WatchedWordKind

EXPIRY_HELP = _("Leave empty for a ban without end. It stops applying at this moment.")


class WatchedWordForm(forms.Form):
    pattern = forms.CharField(
        label=_("Word or pattern"),
        max_length=100,
        help_text=_(
            "A word matches anywhere in Chinese text and as a whole word in Latin text; "
            "“*” in a wildcard stands for any letters; a regular expression is matched "
            "against the text lower-cased."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=WatchedWordKind.choices, initial=WatchedWordKind.WORD
    )
    action = forms.ChoiceField(label=_("Action"), choices=WatchedWordAction.choices)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("For the other moderators: why it is on the list."),
    )

    @classmethod
    def for_word(cls, word: WatchedWord, data=None) -> "WatchedWordForm":
        return cls(
            data,
            initial={
                "pattern": word.pattern,
                "kind": word.kind,
                "action": word.action,
                "note": word.note,
            },
        )


class _BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Shown to whoever is refused, and kept in the log."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        help_text=EXPIRY_HELP,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class BannedNetworkForm(_BanForm):
    network = forms.CharField(
        label=_("Address range"),
        max_length=49,
        help_text=_("An IPv4 or IPv6 address or CIDR range, such as 203.0.113.0/24."),
    )
    field_order = ["network", "reason", "expires_at"]


class BannedDomainForm(_BanForm):
    domain = forms.CharField(
        label=_("Email domain"),
        max_length=253,
        help_text=_("Its subdomains are banned too."),
    )
    field_order = ["domain", "reason", "expires_at"]
