"""Reads of invitation codes: checking a code, the monthly quota, the member's invitations page.

A fixed number of queries, however many rows.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, IntegerField, Q, Sum, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import levels
from accounts.models import InvitationCode, InvitationRedemption, User
from accounts.permissions import invitation_config
from config.days import day_start


def normalize_code(raw: str) -> str:
    """What people paste: any case, with spaces or dashes ("abcd-efgh-jkmn")."""
    return "".join((raw or "").split()).replace("-", "").upper()[:32]


def join_path(code: str) -> str:
    return reverse("accounts:join", args=[code])


# Checking a code ---------------------------------------------------------------


class InvitationUnavailable(Exception):
    """A code that cannot admit anyone now; `reason` is unknown/revoked/used/expired."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


def invitation_unavailable(code: InvitationCode | None) -> InvitationUnavailable:
    """The error that says why `code` (None: no such code) cannot admit anyone."""
    if code is None:
        return InvitationUnavailable(
            "unknown", _("There is no invitation with this code. Check it for typos.")
        )
    status = code.status
    if status == "revoked":
        return InvitationUnavailable(
            "revoked", _("This invitation was withdrawn by the member who created it.")
        )
    if status == "used":
        return InvitationUnavailable(
            "used", _("This invitation has already been used as many times as it allows.")
        )
    when = date_format(timezone.localtime(code.expires_at), "DATE_FORMAT")
    message = _("This invitation expired on %(date)s.") % {"date": when}
    return InvitationUnavailable("expired", message)


def invitation_check(raw: str) -> InvitationCode:
    """The code if it can admit someone now; raises InvitationUnavailable saying why not.

    Sign-up forms call this to give a clear error early; the claim itself is
    made again, atomically, by invitation_redeem.
    """
    code = InvitationCode.objects.filter(code=normalize_code(raw)).first()
    if code is None or code.status != "open":
        raise invitation_unavailable(code)
    return code


# How many ------------------------------------------------------------------------


def monthly_quota(user: User, reputation: int | None = None) -> int | None:
    """People `user` may invite per month; None means no limit (staff)."""
    if user.is_staff:
        return None
    conf = invitation_config()
    rank = levels.level_for(user.reputation if reputation is None else reputation).rank
    if rank < levels.level_by_key(conf["MIN_LEVEL"]).rank:
        return 0
    quotas = conf["MONTHLY_QUOTA"]
    listed = [level for level in levels.all_levels() if level.key in quotas]
    if not listed:
        return 0
    # The nearest listed level at or below the member's; below them all, the lowest.
    at_or_below = [level for level in listed if level.rank <= rank]
    return quotas[(at_or_below[-1] if at_or_below else listed[0]).key]


def month_start(now: datetime | None = None) -> datetime:
    """The first instant of this calendar month in the site's time zone."""
    return day_start(timezone.localdate(now or timezone.now()).replace(day=1))


def quota_used(user_id: int, now: datetime | None = None) -> int:
    """Places taken this month, in one query: a code's max_uses, or its uses once revoked."""
    charged = Case(
        When(revoked_at__isnull=True, then=F("max_uses")),
        default=F("uses"),
        output_field=IntegerField(),
    )
    return (
        InvitationCode.objects.filter(
            creator_id=user_id, created_at__gte=month_start(now)
        ).aggregate(total=Sum(charged))["total"]
        or 0
    )


def quota_left(user: User) -> int | None:
    quota = monthly_quota(user)
    return None if quota is None else max(quota - quota_used(user.pk), 0)


def max_uses_allowed(user: User) -> int:
    return invitation_config()["STAFF_MAX_USES" if user.is_staff else "MAX_USES"]


# The member's invitations page -----------------------------------------------------


@dataclass
class InvitationsOverview:
    codes: Page
    invitees: Page
    invitee_count: int
    active_count: int
    quota: int | None  # None: no limit (staff)
    quota_left: int | None
    active_posts: int
    active_within: timedelta


def codes_of(user: User):
    """The member's codes, newest first (the creator's index)."""
    return InvitationCode.objects.filter(creator=user).order_by("-created_at", "-pk")


def invitees_of(user: User):
    """The members `user` invited, newest first, with the few invitee fields shown."""
    return (
        InvitationRedemption.objects.filter(inviter=user)
        .select_related("invitee")
        .only(
            "created_at",
            "activated_at",
            "invitee__username",
            "invitee__display_name",
            "invitee__post_count",
            "invitee__is_active",
        )
        .order_by("-created_at", "-pk")
    )


def invitee_totals(user: User) -> dict[str, int]:
    """{"total": invited, "active": of them became active}, in one aggregate."""
    return InvitationRedemption.objects.filter(inviter=user).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(activated_at__isnull=False))
    )


def invitations_overview(user: User, *, codes_page: int, invitees_page: int) -> InvitationsOverview:
    """The member's codes and invitees, a page of each, newest first.

    Queries: the quota sum (members only), a COUNT and a page for codes, the
    invitee totals in one aggregate and their page (with the invitee joined).
    """
    conf = invitation_config()
    per_page = conf["PER_PAGE"]
    totals = invitee_totals(user)
    invitee_paginator = Paginator(invitees_of(user), per_page)
    # The aggregate above already counted them: spare the paginator its COUNT.
    invitee_paginator.count = totals["total"]
    invitee_rows = invitee_paginator.get_page(invitees_page)
    active_within = timedelta(days=conf["ACTIVE_WITHIN_DAYS"])
    for redemption in invitee_rows:
        redemption.active_deadline = redemption.created_at + active_within
    return InvitationsOverview(
        codes=Paginator(codes_of(user), per_page).get_page(codes_page),
        invitees=invitee_rows,
        invitee_count=totals["total"],
        active_count=totals["active"],
        quota=monthly_quota(user),
        quota_left=quota_left(user),
        active_posts=conf["ACTIVE_POSTS"],
        active_within=active_within,
    )
