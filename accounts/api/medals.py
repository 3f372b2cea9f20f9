"""Medals and cities over the API (tags "medals", "meetups"): the definitions, a member's
medals, choosing the three to show, the cities and my city. Staff's awards are
moderation.api's."""

from django.shortcuts import get_object_or_404
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import selectors, services
from accounts.models import MEDALS_SHOWN_MAX, City, Medal, MedalRule, MemberMedal, User
from config.api_schema import api_doc
from config.api_views import ApiListView, ApiView
from config.ids import MAX_ID


class MedalOut(serializers.ModelSerializer):
    rule = serializers.ChoiceField(choices=MedalRule.choices)
    image = serializers.SerializerMethodField()

    class Meta:
        model = Medal
        fields = ["id", "slug", "name", "description", "icon", "image", "rule", "threshold"]

    def get_image(self, medal) -> str | None:
        if not medal.image:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(medal.image.url) if request else medal.image.url


class MemberMedalOut(serializers.ModelSerializer):
    medal = MedalOut()
    shown_position = serializers.IntegerField(allow_null=True)
    awarded_by = serializers.CharField(source="awarded_by_name")

    class Meta:
        model = MemberMedal
        fields = ["id", "medal", "awarded_at", "awarded_by", "reason", "shown_position"]


class ShownMedalsIn(serializers.Serializer):
    medal_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MEDALS_SHOWN_MAX,
        allow_empty=True,
    )


class CityOut(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ["id", "slug", "name"]


class MyCityIn(serializers.Serializer):
    city_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True)


class MyCityOut(serializers.Serializer):
    city = CityOut(allow_null=True)


class MedalList(ApiListView):
    serializer_class = MedalOut
    ordering = ("position", "id")

    def get_queryset(self):
        return selectors.medals_listed()

    @api_doc(
        tag="medals",
        summary="The medals",
        permission="Anyone.",
        responses={200: MedalOut(many=True)},
        errors=(400,),
        description="Each medal, its icon (text, or an image link) and the rule that awards it.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberMedalList(ApiListView):
    serializer_class = MemberMedalOut
    ordering = ("id",)

    def get_queryset(self):
        member = get_object_or_404(User, username=self.kwargs["username"])
        return MemberMedal.objects.filter(user=member).select_related("medal")

    @api_doc(
        tag="medals",
        summary="A member's medals",
        permission="Anyone.",
        responses={200: MemberMedalOut(many=True)},
        errors=(400, 404),
        description="Every medal the member holds; `shown_position` 1-3 for those shown on posts.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyShownMedals(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="medals",
        summary="Choose the medals shown next to my name",
        permission="Signed-in members (their own medals).",
        request=ShownMedalsIn,
        responses={200: MemberMedalOut(many=True)},
        errors=(400,),
        description="At most three medals I hold, in the order given; an empty list shows none.",
    )
    def put(self, request):
        data = ShownMedalsIn(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = services.medals_choose_shown(
            user=request.user, medal_ids=data.validated_data["medal_ids"]
        )
        return Response(MemberMedalOut(chosen, many=True, context={"request": request}).data)


class CityList(ApiListView):
    serializer_class = CityOut
    ordering = ("position", "id")

    def get_queryset(self):
        return selectors.cities_listed()

    @api_doc(
        tag="meetups",
        summary="The cities",
        permission="Anyone.",
        responses={200: CityOut(many=True)},
        errors=(400,),
        description="The cities meetups are held in, as members choose theirs from.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyCity(ApiView):
    permission_classes = [IsAuthenticated]

    @api_doc(
        tag="meetups",
        summary="My city",
        permission="Signed-in members (their own).",
        responses={200: MyCityOut},
    )
    def get(self, request):
        city = City.objects.filter(pk=request.user.city_id).first()
        return Response(MyCityOut({"city": city}).data)

    @api_doc(
        tag="meetups",
        summary="Set my city",
        permission="Signed-in members (their own).",
        request=MyCityIn,
        responses={200: MyCityOut},
        errors=(400,),
        description="`city_id` null clears it.",
    )
    def put(self, request):
        data = MyCityIn(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.city_update(user=request.user, city_id=data.validated_data["city_id"])
        city = City.objects.filter(pk=user.city_id).first()
        return Response(MyCityOut({"city": city}).data)
