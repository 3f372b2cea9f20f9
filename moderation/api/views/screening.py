"""Watched words and bans over the API (moderation.views.screening): list, add, read,
change and remove watched words, banned address ranges and banned email domains. Global
moderators and staff; every write is the console's audited service call, with its field
errors (a regular expression that does not compile or could run away, a bad range or
domain, an expiry in the past) as a 400."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts.models import (
    BannedEmailDomain,
    BannedNetwork,
    WatchedWord,
    WatchedWordAction,
    WatchedWordKind,
)
from config.api_schema import api_doc
from config.http import client_ip
from moderation import selectors, services
from moderation.api.views._common import TAG, SignedInListView, SignedInView, body, valid
from moderation.permissions import check_can_manage_screening

KEEPERS = "Global moderators and staff."


# Bodies ---------------------------------------------------------------------------------


class WatchedWordOut(serializers.ModelSerializer):
    class Meta:
        model = WatchedWord
        fields = ["id", "pattern", "kind", "action", "note", "created_by_name", "updated_at"]


class WatchedWordIn(serializers.Serializer):
    pattern = serializers.CharField(max_length=100, help_text="A word, wildcard or regex.")
    kind = serializers.ChoiceField(choices=WatchedWordKind.choices, default=WatchedWordKind.WORD)
    action = serializers.ChoiceField(choices=WatchedWordAction.choices)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WatchedWordChangeIn(serializers.Serializer):
    pattern = serializers.CharField(max_length=100, required=False)
    kind = serializers.ChoiceField(choices=WatchedWordKind.choices, required=False)
    action = serializers.ChoiceField(choices=WatchedWordAction.choices, required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class _BanOut(serializers.ModelSerializer):
    in_force = serializers.SerializerMethodField()

    def get_in_force(self, ban) -> bool:
        return ban.expires_at is None or ban.expires_at > timezone.now()


class BannedNetworkOut(_BanOut):
    class Meta:
        model = BannedNetwork
        fields = ["id", "network", "reason", "expires_at", "in_force", "created_by_name"]


class BannedDomainOut(_BanOut):
    class Meta:
        model = BannedEmailDomain
        fields = ["id", "domain", "reason", "expires_at", "in_force", "created_by_name"]


class _BanIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="Null: no end."
    )


class BannedNetworkIn(_BanIn):
    network = serializers.CharField(max_length=49, help_text="An address or CIDR range.")


class BannedDomainIn(_BanIn):
    domain = serializers.CharField(max_length=253)


class _BanChangeIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class BannedNetworkChangeIn(_BanChangeIn):
    network = serializers.CharField(max_length=49, required=False)


class BannedDomainChangeIn(_BanChangeIn):
    domain = serializers.CharField(max_length=253, required=False)


# Watched words ---------------------------------------------------------------------------


class _Keepers:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_can_manage_screening(request.user)


class WatchedWords(_Keepers, SignedInListView):
    serializer_class = WatchedWordOut
    ordering = ("pk",)

    def get_queryset(self):
        return selectors.watched_words()

    @api_doc(
        tag=TAG,
        summary="Watched words",
        permission=KEEPERS,
        responses={200: WatchedWordOut(many=True)},
        errors=(400, 403),
        description="Every entry, in the order they were added.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @api_doc(
        tag=TAG,
        summary="Add a watched word",
        permission=KEEPERS,
        request=WatchedWordIn,
        responses={201: WatchedWordOut},
        errors=(400, 403),
        description=(
            "`action`: block (refused with a message naming the word), replace (stored as "
            "***), approve (held for the approval queue), flag (published and reported). "
            "Applies at once; audited."
        ),
    )
    def post(self, request):
        data = valid(WatchedWordIn, body(request))
        word = services.watched_word_create(actor=request.user, ip=client_ip(request), **data)
        return Response(WatchedWordOut(word).data, status=status.HTTP_201_CREATED)


class WatchedWordDetail(_Keepers, SignedInView):
    @api_doc(
        tag=TAG,
        summary="A watched word",
        permission=KEEPERS,
        responses={200: WatchedWordOut},
        errors=(403, 404),
    )
    def get(self, request, word_id):
        return Response(WatchedWordOut(get_object_or_404(WatchedWord, pk=word_id)).data)

    @api_doc(
        tag=TAG,
        summary="Change a watched word",
        permission=KEEPERS,
        request=WatchedWordChangeIn,
        responses={200: WatchedWordOut},
        errors=(400, 403, 404),
        description="The fields sent change; the others keep. Applies at once; audited.",
    )
    def patch(self, request, word_id):
        word = get_object_or_404(WatchedWord, pk=word_id)
        data = valid(WatchedWordChangeIn, body(request))
        word = services.watched_word_update(
            actor=request.user,
            word=word,
            pattern=data.get("pattern", word.pattern),
            kind=data.get("kind", word.kind),
            action=data.get("action", word.action),
            note=data.get("note", word.note),
            ip=client_ip(request),
        )
        return Response(WatchedWordOut(word).data)

    @api_doc(
        tag=TAG,
        summary="Remove a watched word",
        permission=KEEPERS,
        responses={204: None},
        errors=(403, 404),
        description="Stops applying at once; audited.",
    )
    def delete(self, request, word_id):
        word = get_object_or_404(WatchedWord, pk=word_id)
        services.watched_word_delete(actor=request.user, word=word, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# Bans -------------------------------------------------------------------------------------


def _ban_views(model, field: str, out, create_in, change_in, create, names: tuple[str, str]):
    """The list (with create) and the detail views of one kind of ban; the detail's path
    names the row `{field}_id` (network_id, domain_id)."""
    plural, singular = names
    param = f"{field}_id"

    def one(kwargs):
        return get_object_or_404(model, pk=kwargs[param])

    class Bans(_Keepers, SignedInListView):
        serializer_class = out
        ordering = ("-pk",)

        def get_queryset(self):
            return model.objects.all()

        @api_doc(
            tag=TAG,
            summary=f"Banned {plural}",
            permission=KEEPERS,
            responses={200: out(many=True)},
            errors=(400, 403),
            description="Newest first; `in_force` is false once expired (purged 30 days on).",
        )
        def get(self, request, *args, **kwargs):
            return super().get(request, *args, **kwargs)

        @api_doc(
            tag=TAG,
            summary=f"Ban {singular}",
            permission=KEEPERS,
            request=create_in,
            responses={201: out},
            errors=(400, 403),
            description="`reason` is shown to whoever is refused; applies at once; audited.",
        )
        def post(self, request):
            data = valid(create_in, body(request))
            ban = create(actor=request.user, ip=client_ip(request), **data)
            return Response(out(ban).data, status=status.HTTP_201_CREATED)

    class BanDetail(_Keepers, SignedInView):
        @api_doc(
            tag=TAG,
            summary=f"A banned {singular}",
            permission=KEEPERS,
            responses={200: out},
            errors=(403, 404),
        )
        def get(self, request, **kwargs):
            return Response(out(one(kwargs)).data)

        @api_doc(
            tag=TAG,
            summary=f"Change a banned {singular}",
            permission=KEEPERS,
            request=change_in,
            responses={200: out},
            errors=(400, 403, 404),
            description="The fields sent change; the others keep. Audited.",
        )
        def patch(self, request, **kwargs):
            ban = one(kwargs)
            data = valid(change_in, body(request))
            ban = services.ban_update(
                actor=request.user,
                ban=ban,
                value=data.get(field, getattr(ban, field)),
                reason=data.get("reason", ban.reason),
                expires_at=data.get("expires_at", ban.expires_at),
                ip=client_ip(request),
            )
            return Response(out(ban).data)

        @api_doc(
            tag=TAG,
            summary=f"Lift a banned {singular}",
            permission=KEEPERS,
            responses={204: None},
            errors=(403, 404),
            description="Stops applying at once; audited.",
        )
        def delete(self, request, **kwargs):
            ban = one(kwargs)
            services.ban_delete(actor=request.user, ban=ban, ip=client_ip(request))
            return Response(status=status.HTTP_204_NO_CONTENT)

    return Bans, BanDetail


BannedNetworks, BannedNetworkDetail = _ban_views(
    BannedNetwork,
    "network",
    BannedNetworkOut,
    BannedNetworkIn,
    BannedNetworkChangeIn,
    services.banned_network_create,
    ("address ranges", "address range"),
)
BannedNetworks.__name__, BannedNetworkDetail.__name__ = "BannedNetworks", "BannedNetworkDetail"
BannedDomains, BannedDomainDetail = _ban_views(
    BannedEmailDomain,
    "domain",
    BannedDomainOut,
    BannedDomainIn,
    BannedDomainChangeIn,
    services.banned_domain_create,
    ("email domains", "email domain"),
)
BannedDomains.__name__, BannedDomainDetail.__name__ = "BannedDomains", "BannedDomainDetail"
