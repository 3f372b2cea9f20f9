from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Device, FirmwareChannel

from .storage import attachment_storage

# Querysets: the read filters every room shares (visible, visible_to, listing order).


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Boards this user may read, as one filter (subqueries, no extra query).

        A board with an early-access program is private to the program's
        accepted members, its moderators and staff (forum.permissions.can_view_board).
        """
        if user.is_authenticated and user.is_staff:
            return self
        if not user.is_authenticated:
            return self.filter(visibility=Board.Visibility.EVERYONE, program__isnull=True)
        boards = self.exclude(visibility=Board.Visibility.STAFF)
        if user.is_global_moderator:
            return boards
        return boards.filter(
            Q(program__isnull=True) | Q(program__in=_accepted_programs(user)) | moderated_by(user)
        )


def _accepted_programs(user):
    # Inside the function: accounts.selectors pulls in accounts' services, which a
    # models module must not load while Django builds its app registry.
    from accounts.selectors import accepted_programs_of

    return accepted_programs_of(user)


def moderated_by(user) -> Q:
    """Boards this user moderates by role: their boards and their sections' boards."""
    return Q(pk__in=BoardModerator.objects.filter(user=user).values("board_id")) | Q(
        section_id__in=SectionModerator.objects.filter(user=user).values("section_id")
    )


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may read: neither hidden nor awaiting approval."""
        return self.filter(is_hidden=False, is_pending=False)

    def not_moved(self):
        """Real threads, without the "Moved: …" notices left behind by moves and merges."""
        return self.filter(moved_to__isnull=True)

    def for_board(self, board):
        return self.filter(board=board)

    def listing_order(self):
        return self.order_by("-is_pinned", "-last_posted_at", "-id")


class PostQuerySet(models.QuerySet):
    def visible(self):
        """What everyone may read: neither hidden nor awaiting approval."""
        return self.filter(is_hidden=False, is_pending=False)

    def floor_range(self, first: int, last: int):
        return self.filter(floor__gte=first, floor__lte=last).order_by("floor")


class Section(models.Model):
    """A group of boards on the front page, e.g. "Xiaomi 14 series"."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name


class ThreadType(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    BUG = "bug", _("Bug report")
    FEEDBACK = "feedback", _("Feedback")
    GUIDE = "guide", _("Guide")
    RELEASE = "release", _("Release notes")
    # A meetup (爆米花 / 同城会): the thread carries an Event (forum.services.meetups).
    EVENT = "event", _("Meetup")


class Board(models.Model):
    class Visibility(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MEMBERS = "members", _("Signed-in members")
        STAFF = "staff", _("Staff only")

    class Posting(models.TextChoices):
        MEMBERS = "members", _("Everyone signed in")
        STAFF = "staff", _("Staff only")

    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="boards"
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    visibility = models.CharField(
        _("who can read"), max_length=10, choices=Visibility.choices, default=Visibility.EVERYONE
    )
    posting = models.CharField(
        _("who can start threads"), max_length=10, choices=Posting.choices, default=Posting.MEMBERS
    )
    device = models.ForeignKey(
        Device, verbose_name=_("device"), null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(
        _("firmware channel"), max_length=10, choices=FirmwareChannel.choices, blank=True
    )
    # What a new thread here starts as: a bug-report board's threads are bug reports.
    default_thread_type = models.CharField(
        _("default thread type"),
        max_length=12,
        choices=ThreadType.choices,
        default=ThreadType.DISCUSSION,
    )
    # A private board for an early-access program: only its accepted members
    # (and the board's moderators and staff) see it. PROTECT: deleting the
    # program must never turn its board public.
    program = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("early-access program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="boards",
    )
    # Counters kept by forum.services with F() in the posting transaction.
    thread_count = models.PositiveIntegerField(_("threads"), default=0)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    last_thread = models.ForeignKey(
        "Thread", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_thread_title = models.CharField(max_length=200, blank=True)
    last_poster_name = models.CharField(max_length=150, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "position", "id"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:board", kwargs={"slug": self.slug})


class BoardModerator(models.Model):
    """A member who moderates one board (a board has several; a member may moderate several)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="moderator_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_board_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("board moderator")
        verbose_name_plural = _("board moderators")
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="boardmoderator_once"),
        ]

    def __str__(self):
        return f"{self.user_id} moderates board {self.board_id}"


class SectionModerator(models.Model):
    """A member who moderates every board of a section, present and future."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="moderator_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_section_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("section moderator")
        verbose_name_plural = _("section moderators")
        constraints = [
            models.UniqueConstraint(fields=["section", "user"], name="sectionmoderator_once"),
        ]

    def __str__(self):
        return f"{self.user_id} moderates section {self.section_id}"


class BugStatus(models.TextChoices):
    """Where a bug report stands, set by moderators."""

    OPEN = "", _("Open")
    CONFIRMED = "confirmed", _("Confirmed")
    NOT_REPRODUCIBLE = "not_reproducible", _("Not reproducible")
    FIXED = "fixed", _("Fixed")


# Still to be fixed: what the firmware team's triage page and "open" filters count.
OPEN_BUG_STATUSES = (BugStatus.OPEN, BugStatus.CONFIRMED)


class FeedbackStatus(models.TextChoices):
    """Where a piece of feedback stands, set by moderators (declined says why)."""

    NEW = "", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    ADOPTED = "adopted", _("Adopted")
    PLANNED = "planned", _("Planned")
    DECLINED = "declined", _("Declined")


# Thread types that take "me too" (bug reports) or votes (feedback).
VOTED_TYPES = (ThreadType.BUG, ThreadType.FEEDBACK)


class Thread(models.Model):
    board = models.ForeignKey(
        Board, verbose_name=_("board"), on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=80, allow_unicode=True, blank=True)
    thread_type = models.CharField(
        _("type"), max_length=12, choices=ThreadType.choices, default=ThreadType.DISCUSSION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    # Names are copied so lists need no join and survive a deleted account.
    author_name = models.CharField(max_length=150)
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="threads",
    )
    firmware_version = models.CharField(_("firmware version"), max_length=40, blank=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    # Pinned site-wide: shown above every board's listing and on the front page.
    is_announcement = models.BooleanField(_("announcement"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_featured = models.BooleanField(_("featured"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_by_name = models.CharField(max_length=150, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Held by forum.services.posting_rules until a moderator approves it: seen only
    # by its author and the board's moderators, counted nowhere until approved.
    is_pending = models.BooleanField(_("awaiting approval"), default=False)
    # Replies awaiting approval in this thread, so the thread page looks for them
    # only when there are some.
    pending_count = models.PositiveIntegerField(default=0)
    # Set on a "Moved: …" notice left in the old board (it has no posts of its
    # own) and on a thread merged into another; its URL redirects there.
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bug_status = models.CharField(
        _("bug status"), max_length=20, choices=BugStatus.choices, blank=True, default=""
    )
    fixed_in_version = models.CharField(_("fixed in version"), max_length=40, blank=True)
    # The release-notes thread of fixed_in_version, which lists the bugs it fixes.
    fixed_in_release = models.ForeignKey(
        "self",
        verbose_name=_("fixed in release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fixed_bugs",
    )
    feedback_status = models.CharField(
        _("feedback status"),
        max_length=20,
        choices=FeedbackStatus.choices,
        blank=True,
        default="",
    )
    # Why feedback was declined, shown beside its status.
    status_reason = models.CharField(_("reason for the status"), max_length=500, blank=True)
    # Set by a moderator: this thread is closed as a duplicate of that one.
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    # "Me too" on a bug report, votes on feedback: ThreadVote rows, counted with F().
    vote_count = models.PositiveIntegerField(_("votes"), default=0)
    # Set with its Poll (forum.services.polls), so a thread without one asks for nothing.
    has_poll = models.BooleanField(default=False)
    # Set by a moderator: seconds one member must wait between replies here (0: off).
    slow_mode_seconds = models.PositiveIntegerField(_("slow mode"), default=0)
    # last_floor only ever grows: floors are handed out from it and never reused.
    last_floor = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(_("replies"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    # Written only by the forum.rescore_hot_threads job (POPCORN["HOT"] has the formula);
    # like_total is the sum of its posts' likes as of that run, for the "top" lists.
    hot_score = models.FloatField(default=0)
    like_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_posted_at = models.DateTimeField(_("last activity"), db_index=True)
    last_poster_name = models.CharField(max_length=150, blank=True)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # The board page: pinned first, then by last activity.
            models.Index(
                fields=["board", "-is_pinned", "-last_posted_at"],
                name="thread_board_listing",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["board", "thread_type", "-last_posted_at"], name="thread_board_type"
            ),
            models.Index(fields=["board", "device", "-last_posted_at"], name="thread_board_device"),
            # The API's filter by firmware version and its "most replies" sort.
            models.Index(
                fields=["board", "firmware_version", "-last_posted_at"],
                name="thread_board_firmware",
            ),
            models.Index(fields=["board", "-reply_count", "-id"], name="thread_board_replies"),
            # Boards sorted by votes ("me too"), alone or with a status filter.
            models.Index(fields=["board", "-vote_count", "-id"], name="thread_board_votes"),
            models.Index(
                fields=["board", "bug_status", "-vote_count", "-id"], name="thread_board_bug_st"
            ),
            models.Index(
                fields=["board", "feedback_status", "-vote_count", "-id"],
                name="thread_board_fb_st",
            ),
            models.Index(
                fields=["board", "device", "-vote_count", "-id"], name="thread_board_dev_votes"
            ),
            models.Index(
                fields=["board", "firmware_version", "-vote_count", "-id"],
                name="thread_board_fw_votes",
            ),
            models.Index(fields=["author", "-created_at"], name="thread_author_recent"),
            # Atom feeds list the newest threads of a board and of the whole site.
            models.Index(
                fields=["board", "-created_at"],
                name="thread_board_new",
                condition=Q(is_hidden=False),
            ),
            models.Index(fields=["-created_at"], name="thread_new", condition=Q(is_hidden=False)),
            # The hot lists, site-wide and per board.
            models.Index(
                fields=["-hot_score", "-id"], name="thread_hot", condition=Q(is_hidden=False)
            ),
            models.Index(
                fields=["board", "-hot_score", "-id"],
                name="thread_board_hot",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["-last_posted_at"],
                name="thread_announcements",
                condition=Q(is_announcement=True, is_hidden=False),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:thread", kwargs={"pk": self.pk, "slug": self.slug or "-"})

    @property
    def page_count(self) -> int:
        per_page = settings.POPCORN["POSTS_PER_PAGE"]
        return max(1, -(-self.last_floor // per_page))


class ThreadVote(models.Model):
    """One member's "me too" on a bug report (or vote on feedback), with the device and
    firmware version they hit it on: what the firmware team's triage page counts."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_votes"
    )
    # No index of its own: threadvote_triage starts with it.
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,
    )
    firmware_version = models.CharField(_("firmware version"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("me too")
        verbose_name_plural = _("me too")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadvote_once"),
        ]
        indexes = [
            # The triage page: hits per device and firmware version.
            models.Index(fields=["device", "firmware_version", "thread"], name="threadvote_triage"),
            models.Index(fields=["user", "-created_at"], name="threadvote_user_recent"),
        ]

    def __str__(self):
        return f"{self.user_id} hit thread {self.thread_id}"


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts"
    )
    # None for a reply awaiting approval: it takes the next floor when approved,
    # so readers never see a gap or an unread count for what they cannot read.
    floor = models.PositiveIntegerField(_("floor"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="posts",
    )
    author_name = models.CharField(max_length=150)
    source = models.TextField(_("text"))
    # Sanitized HTML rendered once at write time; render_version lets a task
    # re-render old posts when the renderer changes.
    html = models.TextField()
    render_version = models.PositiveSmallIntegerField(default=1)
    # Title (floor 1) and source as search tokens, from forum.search.search_document();
    # on PostgreSQL a GIN index on to_tsvector('simple', search_text) answers searches.
    search_text = models.TextField(blank=True, default="")
    # False from a reply's INSERT until its follow-up (forum.services.posting.reply_follow_up)
    # has counted it: the claim that makes a redelivered follow-up do nothing.
    followed_up = models.BooleanField(default=True)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_by_name = models.CharField(max_length=150, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # Held for approval (forum.services.posting_rules); the opening post of a held thread too.
    is_pending = models.BooleanField(_("awaiting approval"), default=False)
    pending_reason = models.CharField(_("why held"), max_length=200, blank=True)
    # Marked by a moderator as the answer that helped; reputation will read it.
    is_helpful = models.BooleanField(_("helpful"), default=False)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    edit_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Where it was written from, as a code (config.regions: "CN-GD"), when the site shows
    # IP locations; never the address.
    region = models.CharField(_("IP location"), max_length=8, blank=True, default="")
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["thread", "floor"], name="post_unique_floor"),
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="post_author_recent"),
            # The approval queue, oldest first.
            models.Index(
                fields=["created_at", "id"], name="post_pending_queue", condition=Q(is_pending=True)
            ),
        ]

    def __str__(self):
        return f"{self.thread_id}#{self.floor}"

    def get_absolute_url(self):
        if self.floor is None:  # awaiting approval (or rejected before): no floor yet
            return self.get_permalink()
        return reverse("forum:floor", kwargs={"pk": self.thread_id, "floor": self.floor})

    def get_permalink(self):
        """A link that survives merges and splits, which renumber floors."""
        return reverse("forum:post", kwargs={"pk": self.pk})


class PostLike(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One like per member and post, however fast the clicks come.
            models.UniqueConstraint(fields=["post", "user"], name="postlike_once"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="postlike_user_recent"),
            # The daily-actives job counts one day of likes per section.
            models.Index(fields=["created_at"], name="postlike_recent"),
        ]


class PostRevision(models.Model):
    """The text a post had before an edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    editor_name = models.CharField(max_length=150)
    old_source = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["post", "-created_at"], name="revision_post_recent")]


class IdempotencyKey(models.Model):
    """An app's Idempotency-Key for a new thread or reply (forum.services.idempotency).

    The row and the post are written in one transaction, and (user, key) is unique,
    so a retried request finds the post of the first one and never makes a second.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # What was asked (operation and input): the same key for another request is refused.
    fingerprint = models.CharField(max_length=64)
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotencykey_once"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotencykey_age")]


class ThreadRead(models.Model):
    """How far a member has read a thread (highest floor seen)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    last_read_floor = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="threadread_once"),
        ]


class BoardRead(models.Model):
    """'Mark board read': threads with no activity after marked_at count as read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "board"], name="boardread_once"),
        ]


class ThreadWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="threadwatch_once"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="threadwatch_user")]


class BoardWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="boardwatch_once"),
        ]


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        LOG = "log", _("Log file")

    # Set in the post's transaction. None: a pending upload, kept from a form sent back
    # with an error so its member need not pick the file again (forum.services.attachments).
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Private: handed out by forum.attachments.download_response only (settings' STORAGES).
    file = models.FileField(upload_to="attachments/%Y/%m/", storage=attachment_storage)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # Pending uploads (kept from a form that was sent back, no post yet): the
            # periodic task deletes the expired ones oldest first.
            models.Index(
                fields=["created_at"], name="attachment_pending", condition=Q(post__isnull=True)
            ),
        ]

    def __str__(self):
        return self.original_name


class SectionDailyStats(models.Model):
    """One section's figures for one day, written by forum.services.stats for the daily-actives job.

    Visits are recorded once a day for the whole site, not per page, so a
    section's actives are the members who posted in it (that day, in the 7 and
    30 days ending it); members who liked there are counted for the day.
    """

    day = models.DateField(_("day"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    posters = models.PositiveIntegerField(_("members who posted"), default=0)
    posters_week = models.PositiveIntegerField(_("posted in 7 days"), default=0)
    posters_month = models.PositiveIntegerField(_("posted in 30 days"), default=0)
    # posters / posters_month
    stickiness = models.FloatField(_("stickiness"), default=0)
    likers = models.PositiveIntegerField(_("members who liked"), default=0)
    new_threads = models.PositiveIntegerField(_("new threads"), default=0)
    new_posts = models.PositiveIntegerField(_("new posts"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "section_id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "section"], name="sectionstats_once_a_day"),
        ]


class SectionPoster(models.Model):
    """A member who posted in a section on a day (site time zone): the daily-actives job's
    roll-up of that day's posts, kept about two months. Its (section, user, day) index
    answers "when did they last post here before?" for SectionPosterGaps."""

    day = models.DateField(_("day"))
    # No foreign-key constraints: each would be checked per row at commit (a day's
    # insert is ~200,000 rows at a million members); the rows are derived, rewritten
    # by the job and pruned after two months. A deleted member's rows stay till then.
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["section", "user", "day"], name="sectionposter_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="sectionposter_by_day")]


class SectionPosterGaps(models.Model):
    """A section's posters of one day counted by the days since they last posted there
    (key "0": not in the 29 days before): the 7- and 30-day posters of any day are
    sums over the window's rows (forum.services.stats), not a distinct count over a
    month of posts."""

    day = models.DateField(_("day"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+")
    gaps = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "section"], name="sectionpostergaps_once"),
        ]


# Private messages (私信) and bookmarks -----------------------------------------------


class Conversation(models.Model):
    """A private conversation between two or more members (POPCORN["MESSAGES"]["MAX_PARTICIPANTS"]).

    The last message's time, sender and excerpt are copied here (and the time onto each
    participant row) by forum.services.messages, so lists never look at messages.
    """

    subject = models.CharField(_("subject"), max_length=200)
    starter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    starter_name = models.CharField(max_length=150)
    # Started by staff or a moderator as a moderator warning: blocks do not stop it.
    is_warning = models.BooleanField(_("moderator warning"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_message_id = models.PositiveBigIntegerField(default=0)
    last_sender_name = models.CharField(max_length=150, blank=True)
    last_excerpt = models.CharField(max_length=200, blank=True)
    message_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("forum:conversation", kwargs={"pk": self.pk})


class ConversationParticipant(models.Model):
    """One member in one conversation, with their read marker.

    `has_unread` is what User.unread_conversations counts; `last_message_at` is the
    conversation's, copied so a member's list is one index range scan.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    username = models.CharField(max_length=150)
    last_message_at = models.DateTimeField(default=timezone.now)
    last_read_message_id = models.PositiveBigIntegerField(default=0)
    has_unread = models.BooleanField(default=False)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="participant_once"),
        ]
        indexes = [
            # A member's conversation list, latest first, paged by key.
            models.Index(
                fields=["user", "-last_message_at", "-id"],
                name="participant_inbox",
                condition=Q(left_at__isnull=True),
            ),
            # The repair of User.unread_conversations.
            models.Index(
                fields=["user"],
                name="participant_unread",
                condition=Q(has_unread=True, left_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.username} in {self.conversation_id}"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    source = models.TextField(_("text"))
    # Sanitised HTML rendered once at write time (forum.rendering), like posts.
    html = models.TextField()
    render_version = models.PositiveSmallIntegerField(default=1)
    is_warning = models.BooleanField(_("moderator warning"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["conversation", "-id"], name="message_in_conversation")]

    def __str__(self):
        return f"message {self.pk} in {self.conversation_id}"


class ConversationDailyCount(models.Model):
    """How many conversations a member started on one day: the new members' daily cap,
    taken with a conditional UPDATE so two starts at once cannot both pass the cap."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    started = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="conversationcount_once_a_day"),
        ]


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="bookmark_once"),
        ]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="bookmark_list")]

    def __str__(self):
        return f"{self.user_id} bookmarked {self.post_id}"


class Event(models.Model):
    """A meetup: the thread it is announced in, when and where, and its seats.

    seats_taken and waiting_count are kept in the sign-up transaction, under a lock
    on this row (forum.services.meetups), and recounted by event_sync_counters.
    """

    thread = models.OneToOneField(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="event"
    )
    city = models.ForeignKey(
        "accounts.City", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organiser_name = models.CharField(max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(_("seats"))
    waitlist_capacity = models.PositiveIntegerField(_("waiting-list places"), default=0)
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    # Up to five short questions every sign-up answers ("Which phone do you use?").
    questions = models.JSONField(_("sign-up questions"), default=list, blank=True)
    seats_taken = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    # Shown by the organiser at the venue (as text and a QR code); valid while it runs.
    check_in_code = models.CharField(max_length=12)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meetup")
        verbose_name_plural = _("meetups")
        indexes = [
            # The meetups page and each city's calendar: upcoming by start time.
            models.Index(fields=["city", "starts_at", "id"], name="event_city_upcoming"),
            models.Index(fields=["starts_at", "id"], name="event_upcoming"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.thread.title if self.thread_id else self.place

    def get_absolute_url(self):
        return self.thread.get_absolute_url()


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Has a seat")
    WAITING = "waiting", _("On the waiting list")


class EventSignup(models.Model):
    """A member's place at a meetup: a seat or a place on the waiting list (first come,
    first served by id). Cancelling deletes the row; the constraint keeps one per member."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_signups"
    )
    user_name = models.CharField(max_length=150)
    status = models.CharField(max_length=10, choices=SignupStatus.choices)
    answers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Set by the day-before reminder job, so a second run reminds no one twice.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="eventsignup_once"),
        ]
        indexes = [
            # The organiser's list and the waiting list's order.
            models.Index(fields=["event", "status", "id"], name="eventsignup_list"),
            models.Index(fields=["user", "-created_at"], name="eventsignup_mine"),
        ]

    def __str__(self):
        return f"{self.user_id} at {self.event_id}: {self.status}"


# Polls (投票) ---------------------------------------------------------------------------


class PollResults(models.TextChoices):
    """When voters see the counts (Discourse's "show results")."""

    ALWAYS = "always", _("Always")
    ON_VOTE = "on_vote", _("After voting")
    ON_CLOSE = "on_close", _("When the poll closes")


class Poll(models.Model):
    """A thread's poll: its options, when it closes, who sees what.

    voter_count (ballots) and each option's vote_count move with F() in the vote's
    transaction (forum.services.polls) and are recounted by poll_sync_counters.
    """

    thread = models.OneToOneField(
        Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="poll"
    )
    question = models.CharField(_("question"), max_length=200)
    # 1: single choice; more: multiple choice, up to this many options per member.
    max_choices = models.PositiveSmallIntegerField(_("most choices per member"), default=1)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Closed early by its author or a moderator.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.CharField(
        _("show results"), max_length=10, choices=PollResults.choices, default=PollResults.ALWAYS
    )
    # Public: who voted for what is shown; anonymous: never, anywhere.
    is_public = models.BooleanField(_("public votes"), default=False)
    voter_count = models.PositiveIntegerField(_("voters"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="poll_max_choices_min"),
        ]

    def __str__(self):
        return self.question

    @property
    def is_multiple(self) -> bool:
        return self.max_choices > 1

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now)


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("option"), max_length=100)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="polloption_position"),
        ]

    def __str__(self):
        return self.text


class PollBallot(models.Model):
    """One per member and poll, by its constraint: what voter_count counts, and the row a
    change of vote locks so two taps from one member are served one after the other."""

    # No index of its own: pollballot_once starts with it.
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="poll_ballots"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="pollballot_once"),
        ]

    def __str__(self):
        return f"{self.user_id} voted in poll {self.poll_id}"


class PollVote(models.Model):
    """One chosen option of a ballot. The constraints are the rules: one row per member
    and option; in a single-choice poll (is_single), one row per member and poll."""

    ballot = models.ForeignKey(PollBallot, on_delete=models.CASCADE, related_name="votes")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    # No indexes of their own: pollvote_voters and pollvote_mine start with them.
    option = models.ForeignKey(
        PollOption, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Copied, so a public poll's voters list needs no join.
    user_name = models.CharField(max_length=150)
    is_single = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "user"], name="pollvote_once_per_option"),
            models.UniqueConstraint(
                fields=["poll", "user"], condition=Q(is_single=True), name="pollvote_once_single"
            ),
        ]
        indexes = [
            # A public poll's voters of one option, paged by id.
            models.Index(fields=["option", "id"], name="pollvote_voters"),
            models.Index(fields=["user", "poll"], name="pollvote_mine"),
        ]

    def __str__(self):
        return f"{self.user_id} chose {self.option_id}"


class Draft(models.Model):
    """A member's unsent post, saved as it is typed: a new thread in a board (`board`) or
    a reply to a thread (`thread`), one of each per member (the constraints). Posting it
    deletes it in the same transaction (forum.services.drafts). Private to its member.
    Files are not kept: they wait as pending uploads of the form, not in the draft."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Markdown source; its length is the post's limit (POST_MAX_LENGTH), checked by the service.
    body = models.TextField(_("draft"), blank=True)
    thread_type = models.CharField(_("type"), max_length=12, choices=ThreadType.choices, blank=True)
    device = models.ForeignKey(
        Device, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    firmware_version = models.CharField(_("firmware version"), max_length=40, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.CheckConstraint(
                condition=Q(board__isnull=False, thread__isnull=True)
                | Q(board__isnull=True, thread__isnull=False),
                name="draft_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "board"],
                condition=Q(board__isnull=False),
                name="draft_once_per_board",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="draft_once_per_thread",
            ),
        ]
        indexes = [models.Index(fields=["user", "-updated_at", "-id"], name="draft_list")]

    def __str__(self):
        target = f"board {self.board_id}" if self.board_id else f"thread {self.thread_id}"
        return f"{self.user_id}'s draft for {target}"
