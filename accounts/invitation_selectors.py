"""Reads for the member's invitations page: a fixed number of queries, however many rows."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from . import invitations
from .models import InvitationCode, InvitationRedemption, User


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


def invitations_overview(user: User, *, codes_page: int, invitees_page: int) -> InvitationsOverview:
    """The member's codes and invitees, a page of each, newest first.

    Queries: the quota sum (members only), a COUNT and a page for codes, the
    invitee totals in one aggregate and their page (with the invitee joined).
    """
    conf = invitations.config()
    per_page = conf["PER_PAGE"]
    codes = InvitationCode.objects.filter(creator=user).order_by("-created_at", "-pk")
    totals = InvitationRedemption.objects.filter(inviter=user).aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(activated_at__isnull=False))
    )
    invitees = (
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
    invitee_paginator = Paginator(invitees, per_page)
    # The aggregate above already counted them: spare the paginator its COUNT.
    invitee_paginator.count = totals["total"]
    invitee_rows = invitee_paginator.get_page(invitees_page)
    active_within = timedelta(days=conf["ACTIVE_WITHIN_DAYS"])
    for redemption in invitee_rows:
        redemption.active_deadline = redemption.created_at + active_within
    return InvitationsOverview(
        codes=Paginator(codes, per_page).get_page(codes_page),
        invitees=invitee_rows,
        invitee_count=totals["total"],
        active_count=totals["active"],
        quota=invitations.monthly_quota(user),
        quota_left=invitations.quota_left(user),
        active_posts=conf["ACTIVE_POSTS"],
        active_within=active_within,
    )
