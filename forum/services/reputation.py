"""What forum pays in reputation, and for which source.

accounts keeps the ledger and the rules' point values; this module only says
who earned what from which thread or post, so every forum write path (and
moderation, through forum) pays the same way. Each source string is unique
per kind of reward, which is what makes the ledger refuse to pay it twice.
"""

from accounts.models import ReputationReason
from accounts.services import reputation_grant, reputation_revoke
from forum.models import BugStatus, Post, Thread


def _post_target(post: Post) -> dict:
    return {"title": post.thread.title, "url": post.get_permalink(), "floor": post.floor}


def thread_started(thread: Thread) -> None:
    reputation_grant(
        user_id=thread.author_id,
        reason=ReputationReason.THREAD,
        source=f"thread:{thread.pk}",
        title=thread.title,
        url=thread.get_absolute_url(),
    )


def reply_posted(post: Post) -> None:
    # The daily reply cap is applied by the ledger (accounts.services.reputation).
    reputation_grant(
        user_id=post.author_id,
        reason=ReputationReason.REPLY,
        source=f"post:{post.pk}",
        **_post_target(post),
    )


def like_received(post: Post, liker_id: int) -> None:
    reputation_grant(
        user_id=post.author_id,
        reason=ReputationReason.LIKE,
        source=f"like:{post.pk}:{liker_id}",
        **_post_target(post),
    )


def like_withdrawn(post: Post, liker_id: int) -> None:
    reputation_revoke(
        user_id=post.author_id, reason=ReputationReason.LIKE, source=f"like:{post.pk}:{liker_id}"
    )


def helpful_changed(post: Post, helpful: bool) -> None:
    source = f"helpful:{post.pk}"
    if helpful:
        reputation_grant(
            user_id=post.author_id,
            reason=ReputationReason.HELPFUL,
            source=source,
            **_post_target(post),
        )
    else:
        reputation_revoke(user_id=post.author_id, reason=ReputationReason.HELPFUL, source=source)


def _thread_reward(thread: Thread, reason: str, source: str, earned: bool) -> None:
    if earned:
        reputation_grant(
            user_id=thread.author_id,
            reason=reason,
            source=source,
            title=thread.title,
            url=thread.get_absolute_url(),
        )
    else:
        reputation_revoke(user_id=thread.author_id, reason=reason, source=source)


def thread_flags_changed(thread: Thread, flags: dict) -> None:
    """Featuring pays the author; so does a bug report confirmed (or fixed).

    Taking the feature away, or a report found not reproducible, takes the
    points back; setting it again later does not pay a second time.
    """
    if "is_featured" in flags:
        _thread_reward(
            thread, ReputationReason.FEATURED, f"featured:{thread.pk}", flags["is_featured"]
        )
    if "bug_status" in flags:
        status = flags["bug_status"]
        if status in (BugStatus.CONFIRMED, BugStatus.FIXED):
            _thread_reward(thread, ReputationReason.BUG_CONFIRMED, f"bug:{thread.pk}", True)
        elif status == BugStatus.NOT_REPRODUCIBLE:
            _thread_reward(thread, ReputationReason.BUG_CONFIRMED, f"bug:{thread.pk}", False)
