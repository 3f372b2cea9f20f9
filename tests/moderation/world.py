"""One world for moderation tests: two sections, boards A and A2 (one section) and B,
and one member of every role. Roles are appointed the audited way, through services."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Notification, User
from forum.models import Board, Post, Thread
from moderation import services
from moderation.models import AuditLog
from tests.factories import (
    BoardFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
    make_reply,
    make_thread,
)


@dataclass
class World:
    board_a: Board
    board_a2: Board
    board_b: Board
    author: User
    member: User
    mod_a: User
    mod_b: User
    section_mod: User
    global_mod: User
    staff: User
    thread: Thread  # a bug report in A by `author`: floors 1 (author), 2 (author), 3 (member)
    reply: Post  # floor 2, by `author`
    other: Thread  # a second thread in A, by `member`

    def role(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def build_world() -> World:
    section, elsewhere = SectionFactory(), SectionFactory()
    board_a = BoardFactory(section=section, name="Xiaomi 14 bugs")
    board_a2 = BoardFactory(section=section, name="Xiaomi 14 chat")
    board_b = BoardFactory(section=elsewhere, name="Redmi bugs")
    staff = StaffFactory(username="boss")
    mod_a, mod_b, section_mod = (
        UserFactory(username="mod_a"),
        UserFactory(username="mod_b"),
        UserFactory(username="section_mod"),
    )
    services.moderator_add(user=mod_a, board=board_a, actor=staff)
    services.moderator_add(user=mod_a, board=board_a2, actor=staff)
    services.moderator_add(user=mod_b, board=board_b, actor=staff)
    services.moderator_add(user=section_mod, section=section, actor=staff)
    author, member = UserFactory(username="author"), UserFactory(username="member")
    thread = make_thread(
        board=board_a, author=author, title="Camera crashes on launch", thread_type="bug"
    )
    reply = make_reply(thread=thread, author=author, body="Log attached below.")
    make_reply(thread=thread, author=member, body="Same on mine.")
    other = make_thread(board=board_a, author=member, title="Camera crash after update")
    # The world starts with nobody told anything: the replies' follow-ups told the starter.
    Notification.objects.all().delete()
    User.objects.update(unread_notifications=0)
    return World(
        board_a=board_a,
        board_a2=board_a2,
        board_b=board_b,
        author=author,
        member=member,
        mod_a=mod_a,
        mod_b=mod_b,
        section_mod=section_mod,
        global_mod=UserFactory(username="global_mod", is_global_moderator=True),
        staff=staff,
        thread=thread,
        reply=reply,
        other=other,
    )


def thread_action_url(thread, action: str) -> str:
    return reverse("moderation:thread_action", kwargs={"pk": thread.pk, "action": action})


def post_action_url(post, action: str) -> str:
    return reverse("moderation:post_action", kwargs={"pk": post.pk, "action": action})


def bulk_url(board) -> str:
    return reverse("moderation:bulk", kwargs={"slug": board.slug})


def snapshot() -> dict:
    """Every row moderation could touch, to prove a refused action changed nothing."""
    return {
        "threads": list(Thread.objects.order_by("pk").values()),
        "posts": list(Post.objects.order_by("pk").values()),
        "boards": list(Board.objects.order_by("pk").values()),
        "users": list(
            User.objects.order_by("pk").values(
                "pk", "post_count", "thread_count", "unread_notifications"
            )
        ),
        "audit": list(AuditLog.objects.order_by("pk").values()),
        "notifications": list(Notification.objects.order_by("pk").values()),
    }


def counters(*objs) -> list:
    """The counters of boards, threads and users, fresh from the database."""
    values = []
    for obj in objs:
        obj.refresh_from_db()
        if isinstance(obj, Board):
            values.append((obj.thread_count, obj.post_count))
        elif isinstance(obj, Thread):
            values.append((obj.reply_count, obj.last_floor))
        else:
            values.append((obj.thread_count, obj.post_count))
    return values
