"""Bug and feedback triage reads: board status filters, the firmware team's triage page,
a release's fixed bugs, and similar threads suggested while a title is typed."""

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Q, Value, When

from accounts.models import Device
from forum import search
from forum.models import (
    OPEN_BUG_STATUSES,
    Board,
    BugStatus,
    FeedbackStatus,
    Post,
    Thread,
    ThreadType,
    ThreadVote,
)

# The board page's and the API's `status` filter: "<type>-<status>" (open bugs are
# "bug-open", new feedback "feedback-new"), each on (board, bug_status | feedback_status).
STATUS_FILTERS = {
    **{
        f"bug-{value or 'open'}": Q(thread_type=ThreadType.BUG, bug_status=value)
        for value in BugStatus.values
    },
    **{
        f"feedback-{value or 'new'}": Q(thread_type=ThreadType.FEEDBACK, feedback_status=value)
        for value in FeedbackStatus.values
    },
}


def status_filter_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The status select's groups: bug statuses, then feedback statuses."""
    return [
        (
            ThreadType.BUG.label,
            [(f"bug-{value or 'open'}", label) for value, label in BugStatus.choices],
        ),
        (
            ThreadType.FEEDBACK.label,
            [(f"feedback-{value or 'new'}", label) for value, label in FeedbackStatus.choices],
        ),
    ]


def release_fixed_bugs(release: Thread) -> list[Thread]:
    """The bugs a release-notes thread fixes, most hit first (1 query; none for other types)."""
    if release.thread_type != ThreadType.RELEASE:
        return []
    return list(
        Thread.objects.visible()
        .filter(fixed_in_release=release)
        .only("pk", "slug", "title", "vote_count", "fixed_in_version")
        .order_by("-vote_count", "-pk")
    )


def _open_bugs(user):
    return Thread.objects.visible().filter(
        thread_type=ThreadType.BUG,
        bug_status__in=OPEN_BUG_STATUSES,
        duplicate_of__isnull=True,
        moved_to__isnull=True,
        board__in=Board.objects.visible_to(user).values("pk"),
    )


def triage_devices(user) -> list[Device]:
    """Devices with their open bugs' "me too" count (`hits`), most hit first (1 query)."""
    hits = Count("pk", filter=Q(thread__in=_open_bugs(user)))
    counts = dict(
        ThreadVote.objects.filter(device__isnull=False)
        .values("device_id")
        .annotate(hits=hits)
        .values_list("device_id", "hits")
    )
    devices = list(Device.objects.filter(pk__in=list(counts)))
    for device in devices:
        device.hits = counts[device.pk]
    return sorted(devices, key=lambda d: (-d.hits, d.pk))


def triage_versions(user, device: Device) -> list[dict]:
    """Per firmware version of this device: "me too" on open bugs and how many bugs (1 query)."""
    return list(
        ThreadVote.objects.filter(device=device, thread__in=_open_bugs(user))
        .values("firmware_version")
        .annotate(hits=Count("pk"), bugs=Count("thread", distinct=True))
        .order_by("-hits", "firmware_version")
    )


def triage_bugs(user, device: Device, *, firmware_version: str = "") -> list[Thread]:
    """The most-hit open bugs on this device (and version): `hits` is their "me too" there,
    each with its board (1 query; TRIAGE_BUGS_SHOWN at most)."""
    votes = Q(votes__device=device)
    if firmware_version:
        votes &= Q(votes__firmware_version=firmware_version)
    return list(
        _open_bugs(user)
        .annotate(hits=Count("votes", filter=votes))
        .filter(hits__gt=0)
        .select_related("board")
        .order_by("-hits", "-vote_count", "-pk")[: settings.POPCORN["TRIAGE_BUGS_SHOWN"]]
    )


def similar_threads(user, title: str, *, exclude_id: int | None = None) -> list[Thread]:
    """Threads whose opening post shares words with a title being typed, best first.

    Through the search index (the opening post's search_text holds its title): any
    of the title's terms matches, ranked by how many it holds; the newest
    SEARCH_RANK_WINDOW matches are ranked, as search does. 2 queries at most.
    """
    query = search.parse_query(title)
    if not query:
        return []
    posts = Post.objects.visible().filter(
        floor=1,
        thread__is_hidden=False,
        thread__moved_to__isnull=True,
        thread__board__in=Board.objects.visible_to(user).values("pk"),
    )
    terms = tuple(dict.fromkeys([*query.terms, *query.phrase_bigrams]))
    if connection.vendor == "postgresql":
        posts = posts.filter(search.PostTextMatch(query.rank_tsquery()))
    else:
        any_term = Q()
        for term in terms:
            any_term |= Q(search_text__icontains=term)
        posts = posts.filter(any_term)
    window = posts.order_by("-created_at", "-id").values("pk")[:200]
    ranked = Post.objects.filter(pk__in=window)
    if connection.vendor == "postgresql":
        ranked = ranked.annotate(rank=search.PostTextRank(query.rank_tsquery()))
    else:
        ranked = ranked.annotate(
            rank=sum(
                (Case(When(search_text__icontains=term, then=1), default=0) for term in terms),
                start=Value(0),
            )
        )
    if exclude_id:
        ranked = ranked.exclude(thread_id=exclude_id)
    shown = settings.POPCORN["SIMILAR_THREADS_SHOWN"]
    rows = ranked.select_related("thread__board", "thread__device").order_by(
        "-rank", "-created_at", "-id"
    )[:shown]
    return [post.thread for post in rows]
