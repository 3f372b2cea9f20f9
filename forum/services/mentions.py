"""@mentions and quotes in posts: rendering them, quoting a post, and notifying.

Notifications go out on creation only (events.post_created), never on edit,
so fixing a typo does not ping everyone again. A member who is both quoted and
mentioned in one post hears of it once, as a quote.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import NotificationKind, User
from forum import rendering
from forum.models import Post, Thread
from forum.permissions import can_view_thread

EXCERPT_LENGTH = 200


def _known_usernames(candidates) -> frozenset[str]:
    if not candidates:
        return frozenset()
    return frozenset(
        User.objects.filter(username__in=candidates).values_list("username", flat=True)
    )


def render_source(source: str) -> str:
    """A post's HTML with mentions of existing members linked: one query at most."""
    known = _known_usernames(rendering.mention_candidates(source))
    return rendering.render_markdown(source, known_usernames=known)


def quote_markdown(post: Post) -> str:
    """A Markdown quote of a post that names its author and links back to its floor.

    Quotes inside the quoted post are dropped, so quotes do not nest ever deeper.
    """
    url = reverse("forum:floor", kwargs={"pk": post.thread_id, "floor": post.floor})
    # In the quoter's language: the quote becomes part of their post.
    wrote = _("wrote on #%(floor)s") % {"floor": post.floor}
    lines = [f"> **@{post.author_name}** [{wrote}]({url}):"]
    lines += [f"> {line}".rstrip() for line in rendering.strip_blockquotes(post.source).split("\n")]
    return "\n".join(lines) + "\n\n"


def excerpt(source: str) -> str:
    """A short plain-text preview of a post for notifications, without what it quotes."""
    return rendering.plain_text(source, limit=EXCERPT_LENGTH)


def _readers(users, thread) -> list[int]:
    """Ids of the users who may read the thread: a notification must not leak it."""
    return [user.pk for user in users if user.is_active and can_view_thread(user, thread)]


def on_post_created(*, post: Post, thread: Thread, author: User) -> None:
    limit = settings.POPCORN["MAX_MENTIONS_NOTIFIED"]
    notice = {
        "actor": author,
        "target_url": post.get_absolute_url(),
        "title_params": {"title": thread.title},
        "excerpt": excerpt(post.source),
    }
    quoted_authors = _quoted_authors(post=post, author=author, limit=limit)
    quoted_ids = _readers(quoted_authors, thread)
    if quoted_ids:
        account_services.notification_fan_out(
            recipients=quoted_ids, kind=NotificationKind.QUOTE, title_key="forum.quote", **notice
        )

    skip = {author.pk, *(user.pk for user in quoted_authors)}
    mentioned = [user for user in _mentioned_users(post=post) if user.pk not in skip]
    mentioned_ids = _readers(mentioned, thread)[:limit]
    if mentioned_ids:
        account_services.notification_fan_out(
            recipients=mentioned_ids,
            kind=NotificationKind.MENTION,
            title_key="forum.mention",
            **notice,
        )


def _quoted_authors(*, post, author, limit: int) -> list[User]:
    """Authors of the floors this post quotes (one query), each once, not the poster."""
    floors = [place for place in rendering.quoted_floors(post.source) if place[0] and place[1]]
    if not floors:
        return []
    wanted = Q()
    for thread_id, floor in floors[:limit]:
        wanted |= Q(thread_id=thread_id, floor=floor)
    quoted = (
        Post.objects.visible()
        .filter(wanted, author__isnull=False)
        .select_related("author", "thread__board")
    )
    authors: dict[int, User] = {}
    for quoted_post in quoted:
        # Only posts the replier could read count: a link to a floor they cannot
        # see proves no quote, and must not ping its author.
        if quoted_post.author_id != author.pk and can_view_thread(author, quoted_post.thread):
            authors.setdefault(quoted_post.author_id, quoted_post.author)
    return list(authors.values())


def _mentioned_users(*, post) -> list[User]:
    """Members named outside quotes, in order of first mention (one query)."""
    candidates = rendering.mention_candidates(post.source)
    if not candidates:
        return []
    users = {user.username: user for user in User.objects.filter(username__in=candidates)}
    names = rendering.mentioned_usernames(
        post.source, known_usernames=frozenset(users), outside_quotes=True
    )
    return [users[name] for name in names]
