import itertools
from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from accounts.models import DailyActivity, Device, User
from forum import services
from forum.models import Board, Post, Section, Thread


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device
        django_get_or_create = ["codename"]

    brand = "Xiaomi"
    model = factory.Sequence(lambda n: f"{14 + n % 3} Pro #{n}")
    codename = factory.Sequence(lambda n: f"device{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A member whose email is confirmed, so they may post."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"fan{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board

    section = factory.SubFactory(SectionFactory)
    name = factory.Sequence(lambda n: f"Board {n}")
    slug = factory.Sequence(lambda n: f"board-{n}")


def make_thread(
    *, board=None, author=None, title="Battery drain on 14.0.3", body="It drains.", **kw
):
    """A thread made the only way threads are made: through the service."""
    return services.thread_create(
        board=board or BoardFactory(),
        author=author or UserFactory(),
        title=title,
        body=body,
        **kw,
    )


def make_reply(*, thread, author=None, body="Same here.", follow_up=True):
    """A reply through the service, with what runs after its commit run (the follow-up
    task: counters, reputation, notifications, cache bumps) unless follow_up=False."""
    author = author or UserFactory()
    if not follow_up:
        return services.post_reply(thread=thread, author=author, body=body)
    return run_after_commit(lambda: services.post_reply(thread=thread, author=author, body=body))


def run_after_commit(write):
    """Call `write()`, then run the on-commit callbacks it queued (and theirs) and take them
    off the queue, as a commit does: a django_capture_on_commit_callbacks around it then
    runs nothing twice."""
    queue = connection.run_on_commit
    start = len(queue)
    result = write()
    while len(queue) > start:
        callbacks = queue[start:]
        del queue[start:]
        for _savepoints, callback, _robust in callbacks:
            callback()
    return result


# Bulk builders -------------------------------------------------------------------------
# For pages that only read rows (query-count pins, paging): many rows written straight to
# the tables in one INSERT each, not through the services. Nothing else is kept in step
# but the thread counters named below.

_bulk_names = itertools.count()


def bulk_users(count: int) -> list[User]:
    """`count` members with unique names, an unusable password and no verified email."""
    return User.objects.bulk_create(
        User(username=f"bulk{n}", email=f"bulk{n}@example.com", password="!")
        for n in itertools.islice(_bulk_names, count)
    )


def bulk_activity(user, *, last_day: date, days: int, **fields) -> list[DailyActivity]:
    """`days` daily-activity rows for a member: `last_day` and the days before it."""
    return DailyActivity.objects.bulk_create(
        DailyActivity(user=user, day=last_day - timedelta(days=n), **fields) for n in range(days)
    )


def bulk_threads(board, count: int, *, author=None, hide_every: int = 0) -> list[Thread]:
    """`count` one-floor threads in a board; with hide_every=n, threads 0, n, 2n… are hidden."""
    author = author or UserFactory()
    now = timezone.now()

    def hidden(i: int) -> bool:
        return bool(hide_every) and i % hide_every == 0

    return Thread.objects.bulk_create(
        Thread(
            board=board,
            title=f"Thread {i}",
            slug=f"thread-{i}",
            author=author,
            author_name=author.username,
            last_floor=1,
            last_posted_at=now,
            is_hidden=hidden(i),
            hidden_by_name="mod_a" if hidden(i) else "",
            hidden_reason="Spam" if hidden(i) else "",
        )
        for i in range(count)
    )


def bulk_replies(
    thread, count: int, *, authors=None, hide_every: int = 0, is_pending: bool = False, **fields
) -> list[Post]:
    """`count` replies after the thread's last floor, by `authors` in turn.

    The thread's last_floor and reply_count follow; pending replies (is_pending) have no
    floor and leave the thread as it was. With hide_every=n, floors divisible by n are hidden.
    """
    authors = authors or [UserFactory()]
    thread.refresh_from_db(fields=["last_floor", "reply_count"])
    first = thread.last_floor + 1
    floors = range(first, first + count)
    posts = Post.objects.bulk_create(
        Post(
            thread=thread,
            floor=None if is_pending else floor,
            author=authors[floor % len(authors)],
            author_name=authors[floor % len(authors)].username,
            source=f"post {floor}",
            html=f"<p>post {floor}</p>",
            is_pending=is_pending,
            is_hidden=bool(hide_every) and floor % hide_every == 0,
            hidden_by_name="mod_a" if hide_every and floor % hide_every == 0 else "",
            **fields,
        )
        for floor in floors
    )
    if not is_pending:
        Thread.objects.filter(pk=thread.pk).update(
            last_floor=floors[-1] if count else thread.last_floor,
            reply_count=thread.reply_count + count,
        )
        thread.refresh_from_db()
    return posts


def long_thread(board, posts: int, *, authors: int = 5) -> Thread:
    """A thread of `posts` floors (the first through the service), by `authors` members."""
    members = [UserFactory() for _ in range(authors)]
    thread = make_thread(board=board, author=members[0])
    bulk_replies(thread, posts - 1, authors=members)
    return thread
