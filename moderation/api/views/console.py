"""The staff console over the API (moderation.views.console): the dashboard's figures,
daily/weekly/monthly actives as a series over a date range (from the daily stats tables
the console reads), the member list with every console filter, and core-user flags and
their locks. Staff only."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from rest_framework.response import Response

from accounts.models import Device, Program, User
from config.api_schema import api_doc
from config.http import client_ip
from moderation import selectors, services
from moderation.api import serializers as s
from moderation.api.views._common import (
    STAFF_TAG,
    SignedInListView,
    SignedInView,
    form_valid,
    pk_or_invalid,
    valid,
)
from moderation.forms.console import ChartRangeForm, CoreUserFilterForm
from moderation.permissions import check_can_use_console

STAFF = "Staff (the console's rule)."


def member_filter_form(data) -> CoreUserFilterForm:
    """The console's filter form from the API's fields: the same fields, rules and
    messages, with a device named by codename and a program by slug (the form, and the
    export job that re-applies it, take their ids)."""
    given = {
        name: data.get(name)
        for name in CoreUserFilterForm.base_fields
        if data.get(name) not in (None, "")
    }
    if "device" in given:
        given["device"] = str(pk_or_invalid(Device.objects.all(), codename=given["device"]))
    if "program" in given:
        given["program"] = str(pk_or_invalid(Program.objects.all(), slug=given["program"]))
    return CoreUserFilterForm(given)


class Dashboard(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="The console's figures",
        permission=STAFF,
        responses={200: s.DashboardOut},
        errors=(403,),
        description="Members active today so far, yesterday's site figures (DAU, WAU, MAU, "
        "stickiness, sign-ups, …) and each section's.",
    )
    def get(self, request):
        check_can_use_console(request.user)
        board = selectors.dashboard()
        return Response(
            s.DashboardOut(
                {
                    "today": board.today,
                    "live_actives": board.live_actives,
                    "yesterday": board.yesterday,
                    "sections": board.sections,
                }
            ).data
        )


class Actives(SignedInListView):
    serializer_class = s.DailyStatsOut
    ordering = ("day",)

    def get_queryset(self):
        check_can_use_console(self.request.user)
        form = ChartRangeForm(self.request.query_params)  # the page's range and its rules
        form_valid(form)
        first, last = form.range(settings.POPCORN["CONSOLE_CHART_DAYS"])
        return selectors.daily_stats_between(first, last)

    @api_doc(
        tag=STAFF_TAG,
        summary="Daily, weekly and monthly actives by day",
        permission=STAFF,
        parameters=[s.ActivesQuery],
        responses={200: s.DailyStatsOut(many=True)},
        errors=(400, 403),
        description=(
            "One row per computed day from `start` to `end`, oldest first: DAU, WAU and MAU "
            "(members active that day, in the 7 and 30 days ending it), stickiness, engaged "
            "members, sign-ups, threads, posts and likes. Without a range: the console's "
            "default (the last days up to yesterday); at most two years at once."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Members(SignedInListView):
    serializer_class = s.ConsoleMemberOut

    @property
    def ordering(self):
        return selectors.members_ordering(self._sort)

    def get_queryset(self):
        check_can_use_console(self.request.user)
        form = member_filter_form(self.request.query_params)  # the page's filter and rules
        form_valid(form)
        self._sort = form.ordering()
        return selectors.members_filtered(form.filters(), sort=self._sort)

    @api_doc(
        tag=STAFF_TAG,
        summary="The console's member list",
        permission=STAFF,
        parameters=[s.MemberFilterQuery],
        responses={200: s.ConsoleMemberOut(many=True)},
        errors=(400, 403),
        description=(
            "Every filter of the console (level, reputation, days active and posts in 30 "
            "days, device, join dates, core users, program) and its sorts. An export of "
            "the same filter: POST /api/v1/staff/exports/."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MemberCount(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="How many members the console's filter matches",
        permission=STAFF,
        parameters=[s.MemberFilterQuery],
        responses={200: s.MemberCountOut},
        errors=(400, 403),
        description="The count the console shows on its export button; the same filter "
        "as GET /api/v1/staff/members/ (`sort` is ignored).",
    )
    def get(self, request):
        check_can_use_console(request.user)
        form = member_filter_form(request.query_params)
        form_valid(form)
        return Response({"count": selectors.members_filtered(form.filters()).count()})


def _console_member(pk: int) -> User:
    return get_object_or_404(selectors.members_filtered({}), pk=pk)


class MemberDetail(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="A member in the console",
        permission=STAFF,
        responses={200: s.ConsoleMemberDetailOut},
        errors=(403, 404),
        description="Their 30-day figures, core flag and its lock.",
    )
    def get(self, request, member_id):
        check_can_use_console(request.user)
        return Response(s.ConsoleMemberDetailOut(_console_member(member_id)).data)


class CoreFlagHistory(SignedInListView):
    serializer_class = s.CoreFlagChangeOut
    ordering = ("-created_at", "-id")

    def get_queryset(self):
        check_can_use_console(self.request.user)
        member = get_object_or_404(User, pk=self.kwargs["member_id"])
        return selectors.core_flag_history(member)

    @api_doc(
        tag=STAFF_TAG,
        summary="A member's core flag history",
        permission=STAFF,
        responses={200: s.CoreFlagChangeOut(many=True)},
        errors=(400, 403, 404),
        description="Each change of the flag or its lock, by staff or the daily job, newest first.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CoreLock(SignedInView):
    @api_doc(
        tag=STAFF_TAG,
        summary="Lock a member's core flag on or off, or unlock it",
        permission=STAFF,
        request=s.CoreLockIn,
        responses={200: s.ConsoleMemberDetailOut},
        errors=(400, 403, 404),
        description="A locked flag is left alone by the daily job. Writes the flag's history "
        "and one audit row, as the page does.",
    )
    def post(self, request, member_id):
        check_can_use_console(request.user)
        member = get_object_or_404(User, pk=member_id)
        data = valid(s.CoreLockIn, request.data)
        services.core_flag_lock(
            user=member,
            actor=request.user,
            lock=data["lock"],
            reason=data["reason"],
            ip=client_ip(request),
        )
        return Response(s.ConsoleMemberDetailOut(_console_member(member.pk)).data)
