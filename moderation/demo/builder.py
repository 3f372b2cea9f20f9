"""Write the demo community through the real services, 90 days of it, day by day.

Every thread, reply, like, visit, check-in, pin, feature, bug status, report,
approval, sanction, appointment, invitation and programme step is a call of
the service the site itself uses, made while moderation.demo.clock says what
time it is. So the rows, counters, reputation ledger, audit log, cache
versions, notifications and the daily jobs' figures are what 90 days of real
use would have left behind.

The builder is an event queue: each event is a moment and a step; steps may
plan later events (a thread plans its replies and likes). At every midnight
the real daily jobs run for the day that ended, and work the services queued
"after commit" (notification fan-out) runs at once, in the day it belongs to,
inside the one transaction the command holds.
"""

import contextlib
import heapq
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import (
    ApplicationState,
    Device,
    MembershipState,
    Program,
    ProgramApplication,
    ProgramCandidate,
    ProgramMembership,
    User,
)
from config.days import day_start
from forum import services as forum_services
from forum.models import Board, BugStatus, Post, Section, Thread, ThreadType
from forum.permissions import vote_denied_reason
from moderation import services as moderation_services
from moderation.models import ReportCase

from . import catalogue as cat
from . import texts
from .clock import demo_clock
from .compose import Writer
from .meetups import MeetupsDemo
from .polls import PollsDemo
from .texts import OP_REPLIES

DAYS = 90
MAX_REPLIES = 4
# The triage showcase's threads, on top of --threads: a bug, its copy, release notes,
# two feedback.
TRIAGE_THREADS = 2 + 1 + len(texts.TRIAGE_FEEDBACK)


def demo_password(password: str) -> str:
    """A hash of a published demo password, made quickly.

    PBKDF2 is slow on purpose (a million rounds); eight such hashes would be a
    tenth of the load. Demo passwords are public, so they get fewer rounds, and
    Django re-hashes each with the full count at its first login.
    """
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), iterations=10_000)
    return make_password(password)


class DemoError(Exception):
    """The demo cannot be loaded here (e.g. its usernames are taken)."""


@dataclass
class Story:
    """A thread as the builder follows it: what was said on which floor, in which language."""

    thread: Thread
    kind: str
    lang: str
    floors: list = field(default_factory=list)  # (floor, username, source)
    posts: list = field(default_factory=list)
    op_replied: bool = False
    pin: bool = False  # an announcement staff pin

    @property
    def device(self):
        return self.thread.device

    @property
    def firmware_version(self) -> str:
        return self.thread.firmware_version


class DemoBuilder(MeetupsDemo, PollsDemo):
    def __init__(self, *, seed: int, users: int, threads: int):
        self.rng = random.Random(seed)
        # Triage's own dice, so the rest of the story rolls as it did before triage.
        self.triage_rng = random.Random(seed + 14)
        self.user_count = users
        self.thread_count = threads
        self.end = timezone.now()  # the real "now": the history ends here
        self.today = timezone.localdate(self.end)
        self.first_day = self.today - timedelta(days=DAYS)
        self.queue: list = []
        self.seq = itertools.count()
        self.stories: list[Story] = []
        self.posts = 0

    # -- the event queue ---------------------------------------------------

    def at(self, when: datetime, step, *args) -> None:
        heapq.heappush(self.queue, (min(when, self.end), next(self.seq), step, args))

    def moment(self, day: date, hour: float) -> datetime:
        return day_start(day) + timedelta(hours=hour)

    def day_moment(self, day: date, first: float = 7, last: float = 23.5) -> datetime:
        return self.moment(day, self.rng.uniform(first, last))

    def window_day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    # -- the whole run -----------------------------------------------------

    def build(self) -> dict:
        with demo_clock(day_start(self.first_day) - timedelta(days=1)) as clock:
            self.clock = clock
            self.devices = self._devices()
            self.boards = self._boards()
            self.members = self._members()
            self.writer = Writer(self.rng, self.devices)
            self._plan()
            while self.queue:
                when, _seq, step, args = heapq.heappop(self.queue)
                clock.set(when)
                step(*args)
            # Last, so no generated text of the story meets a word blocked meanwhile.
            self._screening()
            self._after_commit_work()
        return {
            "users": len(self.members),
            "boards": Board.objects.count(),  # the catalogue's and the meetups board
            "threads": Thread.objects.count(),
            "posts": Post.objects.count(),
        }

    def _after_commit_work(self) -> None:
        """Run what the services queued for after commit (the eager Celery tasks) now.

        The command holds one transaction, so Django would run these hooks only
        at its very end, all dated "now". Run here they happen on the simulated
        day, and a failure in one still rolls everything back.
        """
        connection = transaction.get_connection()
        while connection.run_on_commit:
            hooks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, hook, _robust in hooks:
                hook()

    def _signed_in_again(self, user_id: int) -> None:
        """A fresh copy of a member, as a new request would load: per-request caches
        (programmes joined, boards moderated) start empty."""
        for i, user in enumerate(self.members):
            if user.pk == user_id:
                fresh = User.objects.get(pk=user_id)
                fresh.lang, fresh.role, fresh.habit = user.lang, user.role, user.habit
                fresh.silenced = getattr(user, "silenced", False)
                self.members[i] = fresh
                if self.cast.get(user.role) is user:
                    self.cast[user.role] = fresh

    # -- catalogue -----------------------------------------------------------

    def _devices(self) -> dict:
        devices = {}
        for position, (brand, model, codename, zh, code) in enumerate(cat.DEVICES):
            device, _ = Device.objects.get_or_create(
                codename=codename,
                defaults={"brand": brand, "model": model, "position": position},
            )
            device.zh_name, device.build_code = zh, code
            devices[codename] = device
        return devices

    def _boards(self) -> dict:
        boards = {}
        for s_pos, spec in enumerate(cat.SECTIONS):
            section = Section.objects.create(
                name=spec["name"],
                slug=spec["slug"],
                description=spec["description"],
                position=s_pos,
            )
            for b_pos, b in enumerate(spec["boards"]):
                board = Board.objects.create(
                    section=section,
                    name=b["name"],
                    slug=b["slug"],
                    description=b["description"],
                    position=b_pos,
                    visibility=b.get("visibility", Board.Visibility.EVERYONE),
                    posting=b.get("posting", Board.Posting.MEMBERS),
                    channel=b.get("channel", ""),
                    device=self.devices[b["device"]] if "device" in b else None,
                    default_thread_type=b.get("default_thread_type", ThreadType.DISCUSSION),
                )
                board.spec = b
                boards[board.slug] = board
        self.sections = {s.slug: s for s in Section.objects.all()}
        return boards

    # -- members ---------------------------------------------------------------

    def _members(self) -> list:
        rng = self.rng
        count = self.user_count - len(cat.CAST)
        people = [
            (*pair, lang)
            for en, zh in zip(cat.ENGLISH_MEMBERS, cat.CHINESE_MEMBERS, strict=True)
            for pair, lang in ((en, "en"), (zh, "zh"))
        ]
        n = len(people)
        while len(people) < count:
            n += 1
            lang = "en" if n % 2 else "zh"
            people.append((f"fan{n}", f"Fan {n}" if lang == "en" else f"米粉{n}号", lang))
        people = people[:count]

        wanted = [c[0] for c in cat.CAST] + [p[0] for p in people]
        taken = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
        if taken:
            raise DemoError(f"Users already exist: {', '.join(sorted(taken))}")

        window_start = day_start(self.first_day)
        cast = []
        for username, password, display_name, lang, role, days_ago in cat.CAST:
            joined = self.end - timedelta(days=days_ago, hours=2 if days_ago == 0 else 0)
            user = User(
                username=username,
                email=f"{username}@example.com",
                password=demo_password(password),
                display_name=display_name,
                date_joined=joined,
                is_staff=role == "staff",
                is_superuser=role == "staff",
            )
            user.lang, user.role, user.habit = lang, role, 0.9
            cast.append(user)
        fan_hash = demo_password(cat.FAN_PASSWORD)  # hashed once for every fan
        fans = []
        for username, display_name, lang in people:
            if rng.random() < 0.2:  # joined during the 90 days: the console's "new members"
                joined = window_start + timedelta(hours=rng.uniform(0, 24 * (DAYS - 3)))
            else:
                joined = self.end - timedelta(days=rng.randint(DAYS + 1, 900))
            fan = User(
                username=username,
                email=f"{username}@example.com",
                password=fan_hash,
                display_name=display_name,
                date_joined=joined,
            )
            fan.lang, fan.role, fan.habit = lang, "fan", rng.uniform(0.1, 0.6)
            fans.append(fan)
        # The last two fans join a week before the end, and their first replies carry links.
        self.late_joiners = fans[-2:] if len(fans) > 2 else fans[-1:]
        for fan in self.late_joiners:
            fan.date_joined = self.moment(self.window_day(DAYS - 7), 9)
        members = User.objects.bulk_create(cast + fans)  # the same objects, with pks
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in members
        )
        self.cast = {u.role: u for u in cast}
        self.admin = self.cast["staff"]
        for user in members:
            codenames = rng.sample(cat.ALL_DEVICES, rng.choice((1, 1, 1, 2, 3)))
            main = self.devices[codenames[0]]
            signature = ""
            if user.role != "staff" and rng.random() < 0.4:
                template = rng.choice(cat.SIGNATURES)
                signature = template.format(**self._names(main))
            account_services.profile_update(
                user=user,
                display_name=user.display_name,
                signature=signature,
                devices=[self.devices[c] for c in codenames],
            )
        return members

    def _names(self, device) -> dict:
        return {
            "device": str(device),
            "device_zh": device.zh_name,
            "version": f"OS1.0.{self.rng.randint(1, 12)}.0.{device.build_code}",
        }

    def active(self, user, when: datetime) -> bool:
        return user.date_joined <= when and not getattr(user, "silenced", False)

    def members_by(self, when: datetime, *, lang: str | None = None, exclude=()) -> list:
        out = [
            u
            for u in self.members
            if u.role in ("fan", "inviter", "core", "board_moderator", "section_moderator")
            and self.active(u, when)
            and u not in exclude
        ]
        if lang is not None:
            out = [u for u in out if u.lang == lang] or out
        return out

    def pick_author(self, when: datetime, lang: str, exclude=()):
        pool = self.members_by(
            when, lang=lang if self.rng.random() < 0.85 else None, exclude=exclude
        )
        return self.rng.choices(pool, weights=[u.habit for u in pool])[0] if pool else None

    # -- planning ------------------------------------------------------------

    def _plan(self) -> None:
        rng = self.rng
        first = self.window_day(0)
        self.at(self.moment(first, 9), self._appoint_moderators)
        for index in range(DAYS):
            day = self.window_day(index)
            self.at(self.moment(day + timedelta(days=1), 0.5), self._daily_jobs, day)
            for user in self.members:
                if user.role in ("staff", "newcomer"):
                    continue
                if rng.random() < user.habit:
                    self.at(self.day_moment(day), self._visit, user)
                wants_check_in = {"core": 1.0, "inviter": 0.9}.get(user.role, 0.03)
                if rng.random() < wants_check_in:
                    self.at(self.day_moment(day, 7, 9), self._check_in, user)
            if index > 0:
                self.at(self.day_moment(day, 19, 23), self._core_reply)
            if index > 5 and rng.random() < 0.6:
                self.at(self.day_moment(day, 18, 23), self._inviter_reply)

        # Threads: every board gets one in the first days, the rest by weight.
        boards = list(self.boards.values())
        picks = boards[: self.thread_count] + rng.choices(
            boards,
            weights=[b.spec["weight"] for b in boards],
            k=max(0, self.thread_count - len(boards)),
        )
        for n, board in enumerate(picks):
            index = n if n < len(boards) else int(rng.triangular(0, DAYS - 1, DAYS - 1))
            self.at(self.day_moment(self.window_day(index)), self._start_thread, board)

        self._plan_moderation()
        self._plan_program()
        self._plan_meetups()
        self._plan_polls()
        self._plan_today()

    def _plan_moderation(self) -> None:
        day = self.window_day
        self.at(self.moment(day(2), 10), self._pin_and_feature)
        for index in range(5, DAYS, 6):
            self.at(self.moment(day(index), 21), self._triage_bugs)
            self.at(self.moment(day(index), 21.5), self._mark_helpful)
        self.at(self.moment(day(DAYS - 20), 11), self._pin_and_feature)
        self.at(self.moment(day(DAYS - 12), 15), self._reports_resolved)
        self.at(self.moment(day(DAYS - 7), 11), self._late_joiners_post)
        self.at(self.moment(day(DAYS - 6), 16), self._approvals_resolved)
        self.at(self.moment(day(DAYS - 4), 20), self._sanctions)
        self.at(self.moment(day(DAYS - 10), 12), self._me_too_on_bugs)
        self.at(self.moment(day(DAYS - 9), 13), self._triage_showcase)

    def _plan_program(self) -> None:
        day = self.window_day
        self.at(self.moment(day(DAYS - 25), 10), self._program_create)
        self.at(self.moment(day(DAYS - 22), 11), self._program_invite)
        for index in range(DAYS - 22, DAYS - 15):
            self.at(self.moment(day(index), 20), self._program_answer)
        self.at(self.moment(day(DAYS - 8), 12), self._program_remove)
        self.at(self.moment(day(DAYS - 7), 10), self._program_open_applications)
        self.at(self.moment(day(DAYS - 6), 20), self._program_applications)
        self.at(self.moment(day(DAYS - 3), 11), self._program_decide)

    def _plan_today(self) -> None:
        end = self.end
        self.at(end - timedelta(days=2, hours=3), self._inviter_invites)
        self.at(end - timedelta(hours=2), self._newcomer_joins)
        self.at(end - timedelta(hours=1, minutes=40), self._newcomer_posts)
        self.at(end - timedelta(hours=1), self._open_reports)
        self.at(end - timedelta(minutes=50), self._private_messages)

    # -- everyday steps ----------------------------------------------------

    def _visit(self, user) -> None:
        if self.active(user, self.clock.now()):
            account_services.visit_record(user_id=user.pk, now=self.clock.now())

    def _check_in(self, user) -> None:
        if self.active(user, self.clock.now()):
            self._visit(user)
            account_services.check_in(user=user, today=timezone.localdate())

    def _daily_jobs(self, day: date) -> None:
        """What the nightly jobs do after `day` ends: daily actives, core flags, candidates."""
        self._after_commit_work()
        account_services.daily_stats_compute(day=day)
        account_services.core_flags_update(day=day)
        account_services.flag_all_candidates(today=day)
        account_services.medals_award_all()

    def _start_thread(self, board, author=None) -> Story | None:
        rng = self.rng
        now = self.clock.now()
        content = self.writer.thread(
            board.spec, board.channel, "zh" if rng.random() < 0.5 else "en"
        )
        if board.posting == Board.Posting.STAFF:
            author = self.admin
        elif author is None:
            boost = {"core": 5}
            pool = self._may_post_in(board, self.members_by(now, lang=content["lang"]))
            if not pool:  # a private board nobody may write in yet: staff open it
                pool = [self.admin]
            author = rng.choices(pool, weights=[u.habit * boost.get(u.role, 1) for u in pool])[0]
        self._visit(author)
        thread = forum_services.thread_create(board=board, author=author, **content["fields"])
        thread.board = board
        story = Story(thread=thread, kind=content["kind"], lang=content["lang"], pin=content["pin"])
        opening = thread.posts.get(floor=1)
        opening.thread, opening.author = thread, author
        story.floors.append((1, author.username, content["fields"]["body"]))
        story.posts.append(opening)
        self.stories.append(story)
        self.posts += 1
        self._plan_likes(opening, author)
        # Replies follow over the next days, most of them soon.
        for _ in range(rng.randint(0, MAX_REPLIES)):
            self.at(now + timedelta(hours=rng.expovariate(1 / 20)), self._reply, story)
        return story

    def _may_post_in(self, board, pool: list) -> list:
        """A programme's private board: only its accepted members (and moderators) write."""
        if board.program_id is None:
            return pool
        inside = set(
            ProgramMembership.objects.filter(
                program_id=board.program_id, state=MembershipState.ACCEPTED
            ).values_list("user_id", flat=True)
        )
        return [u for u in pool if u.pk in inside]

    def _reply(self, story: Story, author=None, text: str | None = None):
        rng = self.rng
        now = self.clock.now()
        thread = story.thread
        op_back = False
        if author is None:
            op = thread.author
            if (
                len(story.floors) > 2
                and not story.op_replied
                and op.lang != "both"
                and OP_REPLIES[story.kind]
                and rng.random() < 0.15
                and self.active(op, now)
            ):
                author, lang, op_back = op, story.lang, True
                story.op_replied = True
            else:
                lang = story.lang if rng.random() < 0.8 else {"en": "zh", "zh": "en"}[story.lang]
                if thread.board.program_id is not None:
                    pool = self._may_post_in(thread.board, self.members_by(now))
                    author = rng.choice(pool) if pool else None
                else:
                    author = self.pick_author(now, lang)
                if author is None:
                    return None
        else:
            lang = story.lang
        text = text or self.writer.reply(story=story, author=author, lang=lang, op_back=op_back)
        self._visit(author)
        try:
            post = forum_services.post_reply(thread=thread, author=author, body=text)
        except PermissionDenied:
            return None  # hidden or locked meanwhile: this reply is never written
        # Its follow-up now, on the simulated day (the one queued for after the commit then
        # finds it done): counters, activity and reputation belong to the day it was written.
        forum_services.reply_follow_up(post_id=post.pk)
        post.thread = thread
        if post.floor is not None:
            story.floors.append((post.floor, author.username, text))
            story.posts.append(post)
            self.posts += 1
            self._plan_likes(post, author)
        return post

    def _plan_likes(self, post, author) -> None:
        rng = self.rng
        popular = {"core": 3.0, "inviter": 3.0}.get(author.role, 0.4)
        count = min(int(rng.expovariate(1 / popular) + 0.5), 8)
        now = self.clock.now()
        for _ in range(count):
            self.at(now + timedelta(hours=rng.expovariate(1 / 18)), self._like, post, author)

    def _like(self, post, author) -> None:
        now = self.clock.now()
        pool = self.members_by(now, exclude=(author,))
        if not pool:
            return
        liker = self.rng.choice(pool)
        self._visit(liker)
        with contextlib.suppress(PermissionDenied):  # the post was hidden meanwhile
            forum_services.post_like(post=post, user=liker)

    def _recent_stories(self, *, exclude_author=None) -> list:
        now = self.clock.now()
        out = [
            s
            for s in self.stories
            if not s.thread.is_pending
            and s.thread.board.posting != Board.Posting.STAFF
            and s.thread.author_id != getattr(exclude_author, "pk", None)
            and now - s.thread.created_at < timedelta(days=10)
        ]
        return out

    def _core_reply(self) -> None:
        """The core fan answers somewhere almost every evening."""
        core = self.cast["core"]
        stories = self._recent_stories(exclude_author=core)
        if stories:
            self._reply(self.rng.choice(stories), author=core)

    def _inviter_reply(self) -> None:
        demo = self.cast["inviter"]
        stories = self._recent_stories(exclude_author=demo)
        if stories:
            self._reply(self.rng.choice(stories), author=demo)

    # -- moderation -----------------------------------------------------------

    def _appoint_moderators(self) -> None:
        admin = self.admin
        moderation_services.moderator_add(
            user=self.cast["board_moderator"], actor=admin, board=self.boards[cat.BOARD_MODERATED]
        )
        moderation_services.moderator_add(
            user=self.cast["section_moderator"],
            actor=admin,
            section=self.sections[cat.SECTION_MODERATED],
        )
        moderation_services.global_moderator_grant(user=self.cast["global_moderator"], actor=admin)

    def _pin_and_feature(self) -> None:
        """Announcements pinned by staff, a guide and a release pinned, two guides featured."""
        globalmod = self.cast["global_moderator"]
        for story in self.stories:
            thread = story.thread
            if thread.is_pinned or thread.is_pending:
                continue
            if story.pin:
                moderation_services.thread_pin(thread=thread, actor=self.admin)
                thread.is_pinned = True
        pinned_boards = {s.thread.board_id for s in self.stories if s.thread.is_pinned}
        for story in self.stories:
            thread = story.thread
            spec_kind = thread.board.spec["kind"]
            starts_here = (spec_kind, story.kind) in (("guides", "guide"), ("stable", "release"))
            if starts_here and thread.board_id not in pinned_boards:
                moderation_services.thread_pin(thread=thread, actor=globalmod, reason="Start here.")
                thread.is_pinned = True
                pinned_boards.add(thread.board_id)
        # Featured: guides first, then the liveliest threads; three at most.
        featured = sum(1 for s in self.stories if s.thread.is_featured)
        candidates = [
            s
            for s in self.stories
            if not (s.thread.is_pinned or s.thread.is_featured or s.thread.is_pending)
            and s.thread.board.posting != Board.Posting.STAFF
        ]
        candidates.sort(key=lambda s: (s.kind != "guide", -len(s.floors)))
        for story in candidates[: max(0, 2 + (featured > 0) - featured)]:
            moderation_services.thread_feature(
                thread=story.thread, actor=globalmod, reason="Worth reading."
            )
            story.thread.is_featured = True

    def _triage_bugs(self) -> None:
        """Moderators set the status of bug reports in the boards they look after."""
        rng = self.rng
        moderators = [
            self.cast["board_moderator"],
            self.cast["section_moderator"],
            self.cast["global_moderator"],
        ]
        for story in self.stories:
            thread = story.thread
            if thread.thread_type != ThreadType.BUG or thread.bug_status or thread.is_pending:
                continue
            if self.clock.now() - thread.created_at < timedelta(days=1):
                continue
            mine = thread.author.role == "core"
            if not mine and rng.random() < 0.5:
                continue
            board = thread.board
            if board.slug == cat.BOARD_MODERATED:
                actor = moderators[0]
            elif board.section.slug == cat.SECTION_MODERATED:
                actor = moderators[1]
            else:
                actor = moderators[2]
            status = rng.choices(
                [BugStatus.CONFIRMED, BugStatus.FIXED, BugStatus.NOT_REPRODUCIBLE],
                weights=[6, 3, 1 if not mine else 0],
            )[0]
            fixed_in = ""
            if status == BugStatus.FIXED:
                fixed_in = f"OS1.0.{rng.randint(13, 20)}.0.UNCCNXM"
            moderation_services.thread_set_bug_status(
                thread=thread, actor=actor, status=status, fixed_in_version=fixed_in
            )
            thread.bug_status = status

    def _voters(self, exclude_ids=()) -> list:
        now = self.clock.now()
        return [
            u
            for u in self.members_by(now)
            if u.role not in ("staff", "newcomer") and u.pk not in exclude_ids
        ]

    def _me_too(self, thread, users) -> None:
        for user in users:
            if vote_denied_reason(user, thread):  # e.g. a programme's private board
                continue
            codename = self.triage_rng.choice(cat.XIAOMI_14)
            device = self.devices[codename]
            version = f"OS1.0.{self.triage_rng.randint(18, 20)}.0.{device.build_code}"
            forum_services.thread_vote(
                thread=thread, user=user, device=device, firmware_version=version
            )

    def _me_too_on_bugs(self) -> None:
        """Members say "me too" on the open bug reports and vote on feedback."""
        rng = self.triage_rng
        for story in self.stories:
            thread = story.thread
            if thread.thread_type not in (ThreadType.BUG, ThreadType.FEEDBACK):
                continue
            if thread.is_pending or thread.is_hidden or thread.author.role == "staff":
                continue
            pool = self._voters(exclude_ids={thread.author_id})
            self._me_too(thread, rng.sample(pool, k=min(len(pool), rng.randint(0, 6))))

    def _triage_showcase(self) -> None:
        """A bug filed twice: the copy closed as a duplicate (its "me too" moved), fixed by
        the next release, whose notes list it; feedback voted up, adopted or declined."""
        rng = self.triage_rng
        board = self.boards[cat.BOARD_MODERATED]
        triager = self.cast["board_moderator"]
        pool = self._voters(exclude_ids={triager.pk})
        first, second = pool[0], pool[1 % len(pool)]
        houji, shennong = self.devices["houji"], self.devices["shennong"]
        title, body = texts.TRIAGE_BUG["zh" if first.lang == "zh" else "en"]
        original = forum_services.thread_create(
            board=board,
            author=first,
            title=title,
            body=body,
            thread_type=ThreadType.BUG,
            device=houji,
            firmware_version="OS1.0.20.0.UNCCNXM",
        )
        title, body = texts.TRIAGE_DUPLICATE
        copy = forum_services.thread_create(
            board=board,
            author=second if second.pk != first.pk else self.cast["core"],
            title=title,
            body=body,
            thread_type=ThreadType.BUG,
            device=shennong,
            firmware_version="OS1.0.20.0.UNBCNXM",
        )
        voters = [u for u in pool if u.pk not in (original.author_id, copy.author_id)]
        self._me_too(original, voters[: max(1, len(voters) * 2 // 3)])
        self._me_too(copy, voters[len(voters) // 3 :])  # some said it on both
        moderation_services.thread_set_bug_status(
            thread=original, actor=triager, status=BugStatus.CONFIRMED
        )
        moderation_services.thread_mark_duplicate(
            thread=copy, original=original, actor=triager, reason=texts.TRIAGE_DUPLICATE_REASON
        )
        title, body = texts.TRIAGE_RELEASE
        forum_services.thread_create(
            board=self.boards["xiaomi-14-stable"],
            author=self.admin,
            title=title,
            body=body,
            thread_type=ThreadType.RELEASE,
            device=houji,
            firmware_version="OS1.0.21.0.UNCCNXM",
        )
        moderation_services.thread_set_bug_status(
            thread=original,
            actor=triager,
            status=BugStatus.FIXED,
            fixed_in_version="OS1.0.21.0.UNCCNXM",
        )
        feedback_board = self.boards["xiaomi-14-stable"]
        globalmod = self.cast["global_moderator"]
        for n, (title, body, status, reason) in enumerate(texts.TRIAGE_FEEDBACK):
            author = pool[(n + 2) % len(pool)]
            feedback = forum_services.thread_create(
                board=feedback_board,
                author=author,
                title=title,
                body=body,
                thread_type=ThreadType.FEEDBACK,
            )
            others = [u for u in pool if u.pk != author.pk]
            self._me_too(feedback, rng.sample(others, k=min(len(others), 4 - n)))
            moderation_services.thread_set_feedback_status(
                thread=feedback, actor=globalmod, status=status, reason=reason
            )

    def _mark_helpful(self) -> None:
        """The global moderator marks good answers helpful (the core fan writes many)."""
        globalmod = self.cast["global_moderator"]
        marked = 0
        for story in reversed(self.stories):
            for post in story.posts[1:]:
                if post.is_helpful or post.author_id == globalmod.pk:
                    continue
                if post.author.role in ("core", "inviter") or self.rng.random() < 0.05:
                    moderation_services.post_mark_helpful(post=post, actor=globalmod)
                    post.is_helpful = True
                    marked += 1
                    if marked >= 3:
                        return

    def _reports_resolved(self) -> None:
        """One report upheld (the post hidden), one dismissed: both in the audit log."""
        fans = [u for u in self.members if u.role == "fan"]
        candidates = self._reportable(authors=fans)
        if len(candidates) < 2:
            return
        (reason, text, note), post = cat.UPHELD_REPORT, candidates[0]
        reporter = self._reporter(post)
        moderation_services.report_create(post=post, reporter=reporter, reason=reason, text=text)
        case = ReportCase.objects.get(post=post)
        actor = self._moderator_for(post)
        moderation_services.report_case_uphold(case=case, actor=actor, reason=note)
        post.is_hidden = True
        (reason, text, note), post = cat.DISMISSED_REPORT, candidates[1]
        moderation_services.report_create(
            post=post, reporter=self._reporter(post), reason=reason, text=text
        )
        case = ReportCase.objects.get(post=post)
        moderation_services.report_case_dismiss(
            case=case, actor=self._moderator_for(post), note=note
        )

    def _open_reports(self) -> None:
        """A few reports still waiting in the moderators' queue."""
        used = set(ReportCase.objects.values_list("post_id", flat=True))
        posts = []
        for roles in (("fan",), ("inviter", "board_moderator", "section_moderator")):
            authors = [u for u in self.members if u.role in roles]
            posts += [p for p in self._reportable(authors=authors) if p.pk not in used]
            if len(posts) >= len(cat.OPEN_REPORTS):
                break
        posts = self.rng.sample(posts, min(len(posts), len(cat.OPEN_REPORTS)))
        for (reason, text), post in zip(cat.OPEN_REPORTS, posts, strict=False):
            moderation_services.report_create(
                post=post, reporter=self._reporter(post), reason=reason, text=text
            )

    def _private_messages(self) -> None:
        """A few conversations (one unread), a moderator warning as a message, a
        reported message in the queue, a bookmark with a note, and a block."""
        for starter_role, recipient_role, subject, lines in cat.CONVERSATIONS:
            people = {"starter": self.cast[starter_role], "recipient": self.cast[recipient_role]}
            (_who, first), *rest = lines
            conversation = forum_services.conversation_start(
                author=people["starter"],
                recipients=[people["recipient"].username],
                subject=subject,
                body=first,
            )
            for who, text in rest:
                forum_services.message_send(
                    conversation=conversation, author=people[who], body=text
                )
        fans = [u for u in self.members if u.role == "fan" and not getattr(u, "silenced", False)]
        if len(fans) < 2:
            return
        warned, spammer = fans[0], fans[1]
        subject, body = cat.WARNING_MESSAGE
        moderation_services.message_warning_send(
            actor=self.cast["global_moderator"], member=warned, subject=subject, body=body
        )
        core = self.cast["core"]
        spam = forum_services.conversation_start(
            author=spammer, recipients=[core.username], subject="解锁码", body=cat.REPORTED_MESSAGE
        )
        moderation_services.message_report_create(
            message=spam.messages.get(), reporter=core, reason="spam", text=""
        )
        account_services.block_add(blocker=core, blocked=spammer)
        posts = [p for story in self.stories for p in story.posts[1:] if not p.is_hidden]
        posts = [p for p in posts if not p.thread.is_pending and p.thread.board.program_id is None]
        if posts:
            forum_services.bookmark_add(
                user=self.cast["inviter"], post=posts[0], note=cat.BOOKMARK_NOTE
            )
            # The demo member left a reply and a new thread half written (their drafts).
            demo, thread = self.cast["inviter"], posts[0].thread
            forum_services.draft_save(user=demo, thread=thread, body=cat.REPLY_DRAFT)
            title, body = cat.THREAD_DRAFT
            forum_services.draft_save(user=demo, board=thread.board, title=title, body=body)

    def _reportable(self, *, authors) -> list:
        ids = {u.pk for u in authors}
        return [
            post
            for story in self.stories
            if not story.thread.is_pending
            and story.thread.board.posting != Board.Posting.STAFF
            and story.thread.board.program_id is None
            for post in story.posts[1:]
            if post.author_id in ids and not post.is_hidden
        ]

    def _reporter(self, post):
        pool = [u for u in self.members_by(self.clock.now()) if u.pk != post.author_id]
        return self.rng.choice(pool)

    def _moderator_for(self, post):
        board = post.thread.board
        if board.slug == cat.BOARD_MODERATED:
            return self.cast["board_moderator"]
        if board.section.slug == cat.SECTION_MODERATED:
            return self.cast["section_moderator"]
        return self.cast["global_moderator"]

    def _sanctions(self) -> None:
        """A warning in the bug board, and a short silence from the global moderator."""
        fans = [u for u in self.members if u.role == "fan" and self.active(u, self.clock.now())]
        if len(fans) < 2:
            return
        warned, silenced = self.rng.sample(fans, 2)
        moderation_services.user_warn(
            actor=self.cast["board_moderator"],
            user=warned,
            reason=cat.WARNING_REASON,
            board=self.boards[cat.BOARD_MODERATED],
        )
        moderation_services.user_silence(
            actor=self.cast["global_moderator"],
            user=silenced,
            until=self.end + timedelta(days=3),
            reason=cat.SILENCE_REASON,
        )
        silenced.silenced = True

    # -- watched words and bans --------------------------------------------------

    def _screening(self) -> None:
        """The global moderator keeps watched words (one Chinese word per action) and bans
        a range and a domain; then a fan's reply holding a flagged word is published and
        reported by the system."""
        keeper = self.cast["global_moderator"]
        for pattern, kind, action, note in cat.WATCHED_WORDS:
            moderation_services.watched_word_create(
                actor=keeper, pattern=pattern, kind=kind, action=action, note=note
            )
        for network, reason, days in cat.BANNED_NETWORKS:
            moderation_services.banned_network_create(
                actor=keeper,
                network=network,
                reason=reason,
                expires_at=self.end + timedelta(days=days) if days else None,
            )
        for domain, reason, days in cat.BANNED_DOMAINS:
            moderation_services.banned_domain_create(
                actor=keeper,
                domain=domain,
                reason=reason,
                expires_at=self.end + timedelta(days=days) if days else None,
            )
        # The words apply once the transaction commits (their cache version); the demo
        # holds one transaction, so the moderator's commit hooks run now.
        self._after_commit_work()
        fans = [
            u
            for u in self.members
            if u.role == "fan" and not getattr(u, "silenced", False) and u.lang != "en"
        ]
        stories = self._recent_stories()
        for author in fans:
            story = next((s for s in stories if s.thread.author_id != author.pk), None)
            if story is not None and self._reply(story, author=author, text=cat.FLAGGED_REPLY):
                return

    # -- approvals ------------------------------------------------------------

    def _held_reply(self, author, text: str) -> None:
        stories = self._recent_stories(exclude_author=author)
        if stories:
            post = self._reply(self.rng.choice(stories), author=author, text=text)
            if post is not None and post.is_pending:
                self.held.append(post)

    def _late_joiners_post(self) -> None:
        """Two members who joined this morning write a first reply with links: both held."""
        self.held = []
        for user, text in zip(self.late_joiners, cat.HELD_REPLIES, strict=False):
            self._held_reply(user, text)

    def _approvals_resolved(self) -> None:
        """Their moderators approve the first held reply and reject the second."""
        for post, approve in zip(self.held, (True, False), strict=False):
            actor = self._moderator_for(post)
            if approve:
                moderation_services.pending_approve(post=post, actor=actor)
            else:
                moderation_services.pending_reject(
                    post=post, actor=actor, reason="Links to unofficial downloads."
                )

    # -- the early-access programme --------------------------------------------

    def _program_create(self) -> None:
        spec = cat.PROGRAM
        self.program = moderation_services.program_create(
            actor=self.admin,
            devices=[self.devices[c] for c in cat.XIAOMI_14],
            board=self.boards[spec["board"]],
            name=spec["name"],
            slug=spec["slug"],
            description=spec["description"],
            seats=spec["seats"],
            status=Program.Status.OPEN,
            starts_at=self.clock.now(),
            ends_at=self.end + timedelta(days=60),
            min_days_active_30d=spec["min_days_active_30d"],
        )
        self.program.refresh_from_db()
        account_services.flag_all_candidates()

    def _program_invite(self) -> None:
        """Staff invite most candidates; the rest stay candidates for the next round."""
        ids = list(
            ProgramCandidate.objects.filter(program=self.program)
            .order_by("-score", "user_id")
            .values_list("user_id", flat=True)
        )
        keep = max(1, len(ids) // 3)  # left as candidates for a next round
        chosen = ids[: len(ids) - keep][: self.program.seats - 6]
        if chosen:
            moderation_services.program_invite_candidates(
                program=self.program, actor=self.admin, user_ids=chosen
            )

    def _program_answer(self) -> None:
        """Each evening a few invitees answer: most accept, some decline, some wait."""
        pending = list(
            ProgramMembership.objects.filter(program=self.program, state=MembershipState.INVITED)
            .select_related("user")
            .order_by("pk")
        )
        for membership in pending[:-1]:  # the last one invited has not answered yet
            roll = self.rng.random()
            if roll < 0.35:
                with contextlib.suppress(ValidationError):  # all seats taken: it stays open
                    account_services.program_accept(user=membership.user, code=membership.code)
                    self._signed_in_again(membership.user_id)
            elif roll < 0.4:
                account_services.program_decline(user=membership.user, code=membership.code)

    def _program_remove(self) -> None:
        """Staff remove one member who stopped testing (while others stay accepted)."""
        accepted = list(
            ProgramMembership.objects.filter(program=self.program, state=MembershipState.ACCEPTED)
            .select_related("user", "program")
            .order_by("pk")[:2]
        )
        if len(accepted) == 2:
            moderation_services.program_remove(
                membership=accepted[0], actor=self.admin, reason=cat.PROGRAM_REMOVAL_REASON
            )
            self._signed_in_again(accepted[0].user_id)

    def _program_open_applications(self) -> None:
        """Staff open the programme for applications: questions, a quiz bank, weekly tasks."""
        moderation_services.program_apply_rules_set(
            program=self.program,
            actor=self.admin,
            fields=cat.PROGRAM_APPLY_RULES,
            questions=cat.PROGRAM_QUESTIONS,
            quiz=cat.PROGRAM_QUIZ,
        )
        self.program.refresh_from_db()

    def _program_applications(self) -> None:
        """Five fans apply: four pass the day's quiz (and wait for staff), one does not."""
        taken = ProgramMembership.objects.filter(program=self.program).values("user_id")
        applicants = list(
            User.objects.filter(pk__in=[u.pk for u in self.members], is_active=True)
            .exclude(pk__in=taken)
            .order_by("pk")[:5]
        )
        questions = list(self.program.apply_questions.all())
        today = timezone.localdate()
        for n, user in enumerate(applicants):
            drawn = account_selectors.quiz_draw(self.program, user, today, 3)
            wrong = n == len(applicants) - 1
            quiz = {
                item.pk: (item.answer + 1) % len(item.choices) if wrong else item.answer
                for item in drawn
            }
            answers = {q.pk: cat.PROGRAM_APPLY_ANSWERS[i % 2] for i, q in enumerate(questions)}
            with contextlib.suppress(ValidationError):
                account_services.program_apply(
                    user=user, program=self.program, answers=answers, quiz=quiz
                )

    def _program_decide(self) -> None:
        """Staff accept one application and reject one with reasons; the rest wait."""
        pending = list(
            ProgramApplication.objects.filter(program=self.program, state=ApplicationState.PENDING)
            .select_related("user", "program")
            .order_by("pk")
        )
        if len(pending) >= 2:
            with contextlib.suppress(ValidationError):
                moderation_services.program_application_accept(
                    application=pending[0], actor=self.admin
                )
            moderation_services.program_application_reject(
                application=pending[1], actor=self.admin, reason=cat.PROGRAM_REJECT_REASON
            )

    # -- today: the inviter, the new fan, the queues ----------------------------

    def _inviter_invites(self) -> None:
        demo = self.cast["inviter"]
        demo.refresh_from_db(fields=["reputation"])
        self.code = account_services.invitation_create(creator=demo, max_uses=3)
        account_services.invitation_create(creator=demo, max_uses=1, expires_in_days=14)

    def _newcomer_joins(self) -> None:
        newfan = self.cast["newcomer"]
        account_services.invitation_redeem(code=self.code.code, invitee=newfan)
        self._visit(newfan)

    def _newcomer_posts(self) -> None:
        """The new fan's first thread and reply carry links: the approval queue holds them."""
        newfan = self.cast["newcomer"]
        self.held = []
        for slug, title, body in cat.HELD_POSTS:
            forum_services.thread_create(
                board=self.boards[slug], author=newfan, title=title, body=body
            )
        self._held_reply(newfan, cat.HELD_REPLIES[0])
