"""What the schemathesis fuzz (.ci/api_fuzz.py) seeds for the moderation and staff
operations, so their cases reach past the 404s: a report, a post held for approval, a
warning, daily figures, a core flag change and a written export.

.ci/api_fuzz.py calls it once its own world is made and merges the path parameters it
returns into its targets (every target must name every parameter):

    mine = seed_moderation(member=member, staff=staff, board=boards["public"])
    targets = merged_targets(targets, mine)
"""

import io
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts import services as account_services
from accounts.models import DailyStats, User
from forum import services as forum_services
from forum.models import Board, Post
from moderation import selectors
from moderation import services as moderation_services
from moderation.models import UserExport

PASSWORD = "fuzz-the-api-2026"  # the seeded test accounts'


def merged_targets(theirs: list[dict], mine: list[dict]) -> list[dict]:
    """Both lists of targets, each target completed with the other list's first one, so
    every target names every path parameter (the fuzz pins them all at once)."""
    if not theirs or not mine:
        return theirs + mine
    return [{**mine[0], **target} for target in theirs] + [
        {**theirs[0], **target} for target in mine
    ]


def seed_moderation(*, member: User, staff: User, board: Board) -> list[dict]:
    """Seed `board` (with threads and replies already) for moderation; returns targets:
    real path parameters of the moderation and staff operations."""
    reporter = User.objects.create_user(username="fuzz_reporter", password=PASSWORD)
    thread = board.threads.order_by("pk").first()
    reported = (
        Post.objects.select_related("thread__board")
        .filter(thread=thread, floor__gt=1)
        .order_by("-pk")
        .first()
    )
    report = moderation_services.report_create(post=reported, reporter=reporter, reason="spam")
    # Below the approval level (newcomer, by default): their reply waits for a moderator.
    newbie = User.objects.create_user(username="fuzz_newbie", password=PASSWORD, reputation=-50)
    EmailAddress.objects.create(
        user=newbie, email="fuzz_newbie@example.com", verified=True, primary=True
    )
    held = forum_services.post_reply(thread=thread, author=newbie, body="Held for approval 待审核")
    moderation_services.user_warn(actor=staff, user=member, reason="Off-topic", board=board)
    today = timezone.localdate()
    DailyStats.objects.bulk_create(
        DailyStats(
            day=today - timedelta(days=n),
            dau=n,
            wau=3 * n,
            mau=9 * n,
            computed_at=timezone.now(),
        )
        for n in range(1, 40)
    )
    account_services.core_flag_lock(user=member, actor=staff, lock="on", reason="Beta lead")
    export = UserExport.objects.create(
        requested_by=staff,
        requested_by_name=staff.username,
        status=UserExport.Status.DONE,
        total_rows=1,
        rows_written=1,
    )
    export.file.save("members-fuzz.csv", io.BytesIO("\ufeffid\n1\n".encode()), save=True)
    # A watched word and a ban of each kind (from addresses the fuzz never posts from).
    word = moderation_services.watched_word_create(
        actor=staff, pattern="fuzzword", kind="word", action="replace"
    )
    network = moderation_services.banned_network_create(
        actor=staff, network="198.18.0.0/15", reason="Fuzz range"
    )
    domain = moderation_services.banned_domain_create(
        actor=staff, domain="fuzz-banned.example", reason="Fuzz domain"
    )
    common = {
        "slug": board.slug,
        "case_id": report.case_id,
        "member_id": member.pk,
        "export_id": export.pk,
        "token": selectors.download_token(export),
        "thread_id": thread.pk,
        "word_id": word.pk,
        "network_id": network.pk,
        "domain_id": domain.pk,
    }
    return [
        {**common, "post_id": reported.pk, "username": member.username},
        {**common, "post_id": held.pk, "username": newbie.username},
    ]
