"""A small forum in Chinese for the browser tests: one member of each role, a busy bug
report, a reported reply, notifications and a fortnight of daily figures. Written the
audited way, through the services, so every page shows what it would in production."""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import Device, User
from forum import services as forum_services
from forum.models import Board, Post, Thread
from moderation import services as moderation_services
from tests.factories import BoardFactory, DeviceFactory, SectionFactory, StaffFactory, UserFactory


@dataclass
class World:
    staff: User
    moderator: User
    author: User
    member: User
    device: Device
    board: Board
    thread: Thread
    reply: Post

    def role(self, name: str | None) -> User | None:
        return None if name is None else getattr(self, name)

    def fixture_words(self) -> set[str]:
        """Names the fixture wrote in Latin letters: data on the page, not labels."""
        users = (self.staff, self.moderator, self.author, self.member)
        return {
            *(u.username for u in users),
            *(f"@{u.username}" for u in users),
            str(self.device),
            self.device.model,
            self.device.codename,
            self.thread.firmware_version,
        }


def build_world() -> World:
    section = SectionFactory(name="小米手机", slug="xiaomi", description="小米全系机型交流")
    board = BoardFactory(
        section=section, name="小米 14 问题反馈", slug="xiaomi-14", description="发现问题在这里反馈"
    )
    chat = BoardFactory(section=section, name="刷机交流", slug="flashing", description="刷机心得")
    BoardFactory(section=SectionFactory(name="站务", slug="site"), name="公告与建议", slug="site")
    staff = StaffFactory(username="boss", display_name="站长")
    moderator = UserFactory(username="banzhu", display_name="版主小王")
    author = UserFactory(username="louzhu", display_name="楼主老张")
    member = UserFactory(username="mifan", display_name="米粉小李")
    moderation_services.moderator_add(user=moderator, board=board, actor=staff)
    device = DeviceFactory(brand="Xiaomi", model="14", codename="houji")
    author.devices.add(device)

    thread = forum_services.thread_create(
        board=board,
        author=author,
        title="更新 OS1.0.5.0 后待机耗电严重，一晚掉电百分之二十",
        body=(
            "**机型**：小米 14\n\n**固件**：OS1.0.5.0\n\n"
            "升级之后待机一晚上掉电 20%，之前只有 3% 左右。\n\n"
            "已经试过：\n\n1. 关闭后台自启\n2. 清除电池数据\n3. 重启\n\n都没有用。"
        ),
        thread_type="bug",
        device=device,
        firmware_version="OS1.0.5.0",
    )
    reply = forum_services.post_reply(
        thread=thread, author=member, body="我也一样，耗电主要在“系统服务”里。"
    )
    forum_services.post_reply(
        thread=thread,
        author=moderator,
        body="已转给开发组，请大家在下面贴出电池用量截图和抓取的日志。",
    )
    forum_services.post_reply(
        thread=thread, author=author, body="@mifan 你关掉“智能充电”试试看？我关了以后好一些。"
    )
    forum_services.post_like(post=reply, user=author)
    forum_services.post_like(post=thread.posts.get(floor=1), user=member)
    moderation_services.report_create(post=reply, reporter=moderator, reason="off_topic")
    moderation_services.thread_pin(
        thread=forum_services.thread_create(
            board=board, author=staff, title="【必读】反馈问题前请先看这里", body="写清机型和固件。"
        ),
        actor=staff,
    )
    for n, title in enumerate(["相机夜景模式偶尔闪退", "蓝牙耳机断连", "指纹解锁变慢了"]):
        other = forum_services.thread_create(
            board=board, author=member, title=title, body=f"第{n + 1}个问题的详细描述。"
        )
        forum_services.post_reply(thread=other, author=author, body="同样的问题，坐等修复。")
    forum_services.thread_create(
        board=chat, author=author, title="分享一个省电的刷机包", body="亲测耗电减少一半。"
    )
    accounts_services.check_in(user=member)

    today = timezone.localdate()
    accounts_services.daily_stats_backfill(first=today - timedelta(days=2), last=today)
    return World(
        staff=staff,
        moderator=moderator,
        author=author,
        member=member,
        device=device,
        board=board,
        thread=thread,
        reply=reply,
    )


# The pages the browser tests walk: name -> (who is signed in, the page's address).
PAGES = {
    "front": ("member", lambda w: reverse("forum:index")),
    "board": ("moderator", lambda w: w.board.get_absolute_url()),
    "thread": ("moderator", lambda w: w.thread.get_absolute_url()),
    "reply": ("member", lambda w: reverse("forum:quote", args=[w.thread.pk, w.reply.pk])),
    "signup": (None, lambda w: reverse("account_signup")),
    "notifications": ("author", lambda w: reverse("accounts:notifications")),
    "search": (None, lambda w: reverse("forum:search") + "?q=耗电"),
    "profile": ("author", lambda w: w.author.get_absolute_url()),
    "queue": ("moderator", lambda w: reverse("moderation:reports")),
    "console": ("staff", lambda w: reverse("moderation:console")),
}

# More pages, checked only for fitting a phone and a laptop without errors.
MORE_PAGES = {
    "members": ("member", lambda w: reverse("accounts:members")),
    "new-thread": ("member", lambda w: reverse("forum:thread_create", args=[w.board.slug])),
    "settings": ("member", lambda w: reverse("accounts:profile_edit")),
    "invitations": ("member", lambda w: reverse("accounts:invitations")),
    "ledger": ("author", lambda w: reverse("accounts:ledger", args=[w.author.username])),
    "early-access": ("member", lambda w: reverse("accounts:programs")),
    "sign-in": (None, lambda w: reverse("account_login")),
    "log": ("moderator", lambda w: reverse("moderation:log")),
    "sanctions": ("moderator", lambda w: reverse("moderation:member", args=[w.member.username])),
    "console-members": ("staff", lambda w: reverse("moderation:console_members")),
    "moderators": ("staff", lambda w: reverse("moderation:moderators")),
    "programs": ("staff", lambda w: reverse("moderation:programs")),
}
