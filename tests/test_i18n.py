"""Chinese first: every main page, rendered for the role that sees it, shows none of its
English labels under zh-hans; the browser's Accept-Language picks the language and the
site's default is zh-hans.

A page is rendered twice, in English and in Chinese. The English page must show labels
from the catalogues (so the test can fail); no visible text of the Chinese page (text
nodes, titles, placeholders, labels of buttons) may equal an English msgid of any loaded
catalogue (ours, Django's, allauth's), match one with its placeholders filled in, or hold
an English word at all, beyond the proper nouns and the fixtures' own names below.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from accounts import services as account_services
from accounts.models import Device, Program, User
from forum import services as forum_services
from forum.models import Board, Post, Thread
from moderation import services as moderation_services
from moderation.models import ReportCase, UserExport
from tests.factories import (
    BoardFactory,
    DeviceFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
    make_reply,
    make_thread,
)

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.6"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}

# Names, formats and brands that are the same in every language.
PROPER = {
    "Popcorn",
    "JavaScript",
    "Markdown",
    "PNG",
    "JPEG",
    "WebP",
    "GIF",
    "CSV",
    "Bug",
    "ZIP",
    "zip",
    "txt",
    "log",
    "UTF",
    "Xiaomi",
    "English",  # the language switch names each language in itself
    "HyperOS",
    "TMCCNXM",
    "example",
    "com",
}


@dataclass
class World:
    staff: User
    moderator: User
    author: User
    replier: User
    board: Board
    thread: Thread
    reply: Post
    program: Program
    export: UserExport
    poll_thread: Thread | None = None
    plain_thread: Thread | None = None

    def tokens(self) -> set[str]:
        """Words of the fixtures' own names: user content, not labels."""
        words = set()
        for text in (
            *User.objects.values_list("username", flat=True),
            *User.objects.values_list("email", flat=True),
            self.program.slug,
            self.board.slug,
            self.board.section.slug,
            *(f"{d.brand} {d.model} {d.codename}" for d in Device.objects.all()),
        ):
            words.update(re.findall(r"[A-Za-z]+", text))
        return words


def build_world() -> World:
    # The people acting here write in Chinese: notifications and audit labels are still
    # stored in the actor's language (issue 11 turns them into keys read in the reader's).
    with translation.override("zh-hans"):
        return _build_world()


def _build_world() -> World:
    staff = StaffFactory(username="boss")
    moderator = UserFactory(username="banzhu")
    author = UserFactory(username="louzhu", display_name="楼主大人")
    replier = UserFactory(username="shafa", display_name="沙发党")
    device = DeviceFactory(brand="Xiaomi", model="14 Pro", codename="shennong")
    author.devices.add(device)
    section = SectionFactory(name="小米专区", slug="xiaomi")
    board = BoardFactory(section=section, name="小米 14 问题反馈", slug="mi14")
    BoardFactory(section=section, name="小米 14 玩机交流", slug="mi14-chat")
    moderation_services.moderator_add(user=moderator, board=board, actor=staff)
    thread = make_thread(
        board=board,
        author=author,
        title="更新后相机闪退",
        body="升级到新版本后，打开相机就闪退。",
        thread_type="bug",
        device=device,
        firmware_version="V14.0.3.0",
    )
    reply = make_reply(thread=thread, author=replier, body="沙发！我也遇到了。")
    first = thread.posts.get(floor=1)
    forum_services.post_like(post=first, user=replier)
    make_reply(thread=thread, author=replier, body=f"{forum_services.quote_markdown(first)}同问")
    forum_services.post_like(post=reply, user=author)
    moderation_services.thread_pin(thread=thread, actor=moderator, reason="置顶一下")
    moderation_services.thread_feature(thread=thread, actor=moderator, reason="好帖")
    plain_thread = make_thread(
        board=board, author=replier, title="电池续航怎么样", body="大家续航如何？"
    )
    poll_thread = forum_services.thread_create_with_poll(
        board=board,
        author=author,
        title="你最常用哪个功能？",
        body="投票吧。",
        poll=forum_services.poll_clean(
            question="最常用的功能？",
            options=["相机", "续航", "游戏"],
            max_choices=2,
            closes_at=timezone.now() + timedelta(days=3),
            is_public=True,
        ),
    )
    option = poll_thread.poll.options.order_by("position").first()
    forum_services.poll_vote(
        poll=poll_thread.poll, thread=poll_thread, user=replier, option_ids=[option.pk]
    )
    # A reply held for approval (its author's reputation is below zero) and a report.
    newcomer = UserFactory(username="xinren")
    User.objects.filter(pk=newcomer.pk).update(reputation=-5)
    newcomer.refresh_from_db()
    make_reply(thread=thread, author=newcomer, body="求助，怎么刷回稳定版？")
    moderation_services.report_create(post=reply, reporter=author, reason="off_topic")
    # Invitations, an early-access programme with an invitation, a member export.
    account_services.invitation_create(creator=staff, max_uses=3)
    program = moderation_services.program_create(
        actor=staff,
        devices=(),
        name="小米 14 内测",
        slug="mi14-beta",
        description="抢先体验新版系统。",
        seats=10,
        status=Program.Status.OPEN,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=30),
    )
    moderation_services.program_invite(program=program, user=author, actor=staff)
    export = moderation_services.export_start(
        actor=staff, submitted={}, include_emails=False, total_rows=User.objects.count()
    )
    # Watched words and bans, each shown on the console's pages.
    word = moderation_services.watched_word_create(
        actor=staff, pattern="代购", kind="word", action="block", note="广告"
    )
    moderation_services.banned_network_create(
        actor=staff,
        network="203.0.113.0/24",
        reason="批量注册",
        expires_at=timezone.now() + timedelta(days=7),
    )
    moderation_services.banned_domain_create(actor=staff, domain="example.com", reason="临时邮箱")
    assert ReportCase.objects.filter(is_open=True).exists()
    forum_services.threads_rescore_hot()  # the hot lists show the thread
    world = World(
        staff,
        moderator,
        author,
        replier,
        board,
        thread,
        reply,
        program,
        export,
        poll_thread=poll_thread,
        plain_thread=plain_thread,
    )
    world.watched_word = word
    return world


def pages(w: World) -> dict[str, tuple[User | None, str]]:
    """Page name -> (who looks, address)."""
    thread_url = w.thread.get_absolute_url()
    return {
        "front": (None, reverse("forum:index")),
        "board": (None, w.board.get_absolute_url()),
        "thread": (None, thread_url),
        "search": (None, reverse("forum:search") + "?q=相机"),
        "search, nothing found": (None, reverse("forum:search") + "?q=不存在的词"),
        "sign-up": (None, reverse("account_signup")),
        "sign-in": (None, reverse("account_login")),
        "password reset": (None, reverse("account_reset_password")),
        "profile": (None, reverse("forum:member", args=[w.author.username])),
        "member list": (None, reverse("accounts:members")),
        "hot threads": (None, reverse("forum:hot")),
        "top threads of a board, signed in": (
            w.author,
            reverse("forum:board_hot", args=[w.board.slug]) + "?period=week",
        ),
        "likers": (None, reverse("forum:post_likers", args=[w.reply.pk])),
        "thread, signed in": (w.author, thread_url),
        "reply form": (w.replier, reverse("forum:quote", args=[w.thread.pk, w.reply.pk])),
        "new thread form": (w.author, reverse("forum:thread_create", args=[w.board.slug])),
        "my drafts": (w.author, reverse("forum:drafts")),
        "edit post": (w.replier, reverse("forum:post_edit", args=[w.reply.pk])),
        "notifications": (w.author, reverse("accounts:notifications")),
        "notification settings": (w.author, reverse("accounts:notification_settings")),
        "profile settings": (w.author, reverse("accounts:profile_edit")),
        "ledger": (w.author, reverse("accounts:ledger", args=[w.author.username])),
        "invitations": (w.staff, reverse("accounts:invitations")),
        "invitations, below the level": (w.author, reverse("accounts:invitations")),
        "programmes": (w.author, reverse("accounts:programs")),
        "thread, moderator": (w.moderator, thread_url),
        "board, moderator": (w.moderator, w.board.get_absolute_url()),
        "report queue": (w.moderator, reverse("moderation:reports")),
        "approval queue": (w.moderator, reverse("moderation:approvals")),
        "audit log": (w.moderator, reverse("moderation:log")),
        "member moderation": (w.staff, reverse("moderation:member", args=[w.replier.username])),
        "report form": (w.author, reverse("reports:report", args=[w.reply.pk])),
        "staff console": (w.staff, reverse("moderation:console")),
        "console members": (w.staff, reverse("moderation:console_members")),
        "console member": (w.staff, reverse("moderation:console_member", args=[w.author.pk])),
        "export": (w.staff, reverse("moderation:console_export", args=[w.export.pk])),
        "moderators": (w.staff, reverse("moderation:moderators")),
        "staff programmes": (w.staff, reverse("moderation:programs")),
        "staff programme": (w.staff, reverse("moderation:program", args=[w.program.pk])),
        "new programme form": (w.staff, reverse("moderation:program_create")),
        "thread with a poll": (None, w.poll_thread.get_absolute_url()),
        "thread with a poll, voted": (w.replier, w.poll_thread.get_absolute_url()),
        "thread with a poll, its author": (w.author, w.poll_thread.get_absolute_url()),
        "poll page": (w.moderator, reverse("forum:poll_block", args=[w.poll_thread.pk])),
        "poll voters": (
            None,
            reverse(
                "forum:poll_voters",
                args=[w.poll_thread.pk, w.poll_thread.poll.options.order_by("position")[0].pk],
            ),
        ),
        "add a poll": (w.replier, reverse("forum:poll_edit", args=[w.plain_thread.pk])),
        "watched words": (w.staff, reverse("moderation:watched_words")),
        "watched word edit": (
            w.staff,
            reverse("moderation:watched_word_edit", args=[w.watched_word.pk]),
        ),
        "bans": (w.staff, reverse("moderation:bans")),
    }


class _Text(HTMLParser):
    """The strings a reader sees: text nodes and the attributes shown as text."""

    SHOWN = {"title", "placeholder", "aria-label", "alt"}
    SKIP = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.strings: list[str] = []
        self._skipping = 0
        self._skipped_tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Text marked as another language on purpose (the footer's "English") is not a label.
        foreign = (attrs.get("lang") or "zh").lower()[:2] != "zh"
        if tag in self.SKIP or foreign:
            self._skipping += 1
            self._skipped_tags.append(tag)
        for name in self.SHOWN & attrs.keys():
            self._add(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self._add(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipped_tags and self._skipped_tags[-1] == tag:
            self._skipped_tags.pop()
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping:
            self._add(data)

    def _add(self, text):
        text = " ".join(text.split())
        if text:
            self.strings.append(text)


def shown_strings(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.strings


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


class EnglishLabels:
    """The English msgids of every catalogue loaded for zh-hans that it translates."""

    def __init__(self):
        catalog = trans_real.translation("zh-hans")._catalog
        self.exact: set[str] = set()
        patterns = []
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if "\x04" in msgid:  # a context
                msgid = msgid.split("\x04", 1)[1]
            if not msgid or value == msgid or not re.search(r"[A-Za-z]{2,}", msgid):
                continue
            msgid = " ".join(msgid.split())
            if PLACEHOLDER.search(msgid):
                literal = PLACEHOLDER.sub(" ", msgid)
                if len(re.findall(r"[A-Za-z]{3,}", literal)) >= 2:
                    parts = [re.escape(p) for p in PLACEHOLDER.split(msgid)]
                    patterns.append("(?:" + ".+?".join(parts) + ")")
            else:
                self.exact.add(msgid)
        self.pattern = re.compile("|".join(patterns))

    def found_in(self, strings: list[str]) -> list[str]:
        return [s for s in strings if s in self.exact or self.pattern.fullmatch(s)]


# Until audit rows are stored as keys and read as sentences (issue 11, "The reader's
# language, everywhere"), the log shows each row's stored before/after values as data.
STORED_VALUES = re.compile(r"\{'|→ \{")


def english_words(strings: list[str], *, allowed: set[str]) -> list[str]:
    """English words in the strings; codes, addresses and names with digits are not words."""
    words = set()
    for text in strings:
        if STORED_VALUES.search(text):
            continue
        for token in re.findall(r"[A-Za-z0-9_@.+-]+", text):
            if re.search(r"[0-9@]", token):
                continue
            words.update(w for w in re.findall(r"[A-Za-z]{3,}", token) if w not in allowed)
    return sorted(words)


@pytest.fixture(scope="module")
def english():
    return EnglishLabels()


def _get(user, url, headers):
    cache.clear()  # the same anonymous page must not come back from the other language
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


PAGE_NAMES = [
    "front",
    "board",
    "thread",
    "search",
    "search, nothing found",
    "sign-up",
    "sign-in",
    "password reset",
    "profile",
    "member list",
    "hot threads",
    "top threads of a board, signed in",
    "likers",
    "thread, signed in",
    "reply form",
    "new thread form",
    "my drafts",
    "edit post",
    "notifications",
    "notification settings",
    "profile settings",
    "ledger",
    "invitations",
    "invitations, below the level",
    "programmes",
    "thread, moderator",
    "board, moderator",
    "report queue",
    "approval queue",
    "audit log",
    "member moderation",
    "report form",
    "staff console",
    "console members",
    "console member",
    "export",
    "moderators",
    "staff programmes",
    "staff programme",
    "new programme form",
    "thread with a poll",
    "thread with a poll, voted",
    "thread with a poll, its author",
    "poll page",
    "poll voters",
    "add a poll",
    "watched words",
    "watched word edit",
    "bans",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_page_shows_no_english_label_in_chinese(name, english):
    world = build_world()
    user, url = pages(world)[name]
    en_page, zh_page = _get(user, url, EN), _get(user, url, ZH)

    assert english.found_in(shown_strings(en_page)), "the English page shows no catalogue label"
    assert '<html lang="zh-hans">' in zh_page
    shown = shown_strings(zh_page)
    # Each language is offered under its own name (the settings' language choice).
    own_names = {str(name) for _code, name in settings.LANGUAGES}
    assert [label for label in english.found_in(shown) if label not in own_names] == []
    stray = english_words(shown, allowed=PROPER | world.tokens())
    assert stray == [], [s for s in shown if any(w in s for w in stray)]


def test_every_page_of_the_list_is_tested(db):
    assert sorted(pages(build_world())) == sorted(PAGE_NAMES)


def test_accept_language_picks_the_language_and_the_default_is_chinese(db, settings):
    url = reverse("forum:index")
    assert '<html lang="en">' in _get(None, url, EN)
    assert '<html lang="zh-hans">' in _get(None, url, {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"})
    assert "最新主题" in _get(None, url, {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.8"})
    # Nothing asked for, or only a language the site has not: the site's language.
    settings.LANGUAGE_CODE = "zh-hans"
    assert '<html lang="zh-hans">' in _get(None, url, {})
    assert '<html lang="zh-hans">' in _get(None, url, {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr"})


def test_the_site_language_defaults_to_simplified_chinese_and_follows_the_environment(
    monkeypatch,
):
    import importlib

    from config.settings import base

    monkeypatch.delenv("LANGUAGE_CODE", raising=False)
    assert importlib.reload(base).LANGUAGE_CODE == "zh-hans"
    monkeypatch.setenv("LANGUAGE_CODE", "en")
    assert importlib.reload(base).LANGUAGE_CODE == "en"
    monkeypatch.delenv("LANGUAGE_CODE")
    importlib.reload(base)
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_allauths_own_chinese_loads():
    with translation.override("zh-hans"):
        assert translation.gettext("Forgot your password?") == "忘记密码？"
        assert translation.gettext("Remember Me") == "记住我"


def test_chinese_plural_forms_have_one_form():
    with translation.override("zh-hans"):
        one = translation.ngettext("%(n)d minute ago", "%(n)d minutes ago", 1) % {"n": 1}
        many = translation.ngettext("%(n)d minute ago", "%(n)d minutes ago", 5) % {"n": 5}
    assert (one, many) == ("1分钟前", "5分钟前")
    with translation.override("en"):
        assert translation.ngettext("%(shown)s reply", "%(shown)s replies", 1) == "%(shown)s reply"
