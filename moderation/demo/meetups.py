"""The demo's medals and city meetups, written through the same services as the site:
medal definitions awarded by the nightly job (and one by staff's hand, audited), members
showing theirs on posts, a past meetup with check-ins, and an upcoming one with a full
waiting list (one seat given back, the first on the list moved up)."""

from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services as account_services
from accounts.models import City, Medal, MedalRule, MemberMedal
from forum import services as forum_services
from forum.models import Board, Section, ThreadType
from moderation import services as moderation_services

DAYS = 90

MEDALS = [
    # slug, name, icon, description, rule, threshold
    ("first-bug", "捉虫新手", "🐞", "第一个被确认的问题反馈", MedalRule.BUGS_CONFIRMED, 1),
    ("streak-30", "坚持签到", "📅", "连续签到 30 天", MedalRule.CHECK_IN_STREAK, 30),
    ("streak-100", "百日签到", "💯", "连续签到 100 天", MedalRule.CHECK_IN_STREAK, 100),
    ("beta-tester", "内测先锋", "🧪", "参加过内测计划", MedalRule.PROGRAM_MEMBER, 1),
    ("meetup-goer", "爆米花", "🍿", "参加过线下同城会", MedalRule.MEETUPS_ATTENDED, 1),
    ("likes-1000", "人气王", "❤️", "收到 1,000 个赞", MedalRule.LIKES_RECEIVED, 1000),
    ("community-star", "社区之星", "⭐", "由管理员颁发，感谢对社区的贡献", MedalRule.MANUAL, 1),
]
QUESTION = "你用的是哪款手机？"
CITY_NAMES = {"shanghai": "上海", "chengdu": "成都"}


class MeetupsDemo:
    """Mixed into moderation.demo.builder.DemoBuilder: uses its clock, queue and cast."""

    def _plan_meetups(self) -> None:
        day = self.window_day
        self.at(self.moment(day(0), 8), self._medal_definitions)
        self.at(self.moment(day(DAYS - 12), 10), self._past_meetup)
        self.at(self.moment(day(DAYS - 11), 20), self._past_meetup_signups)
        self.at(self.moment(day(DAYS - 6), 15), self._past_meetup_check_ins)
        self.at(self.moment(day(DAYS - 3), 11), self._medal_by_hand)
        self.at(self.end - timedelta(hours=3), self._upcoming_meetup)
        self.at(self.end - timedelta(minutes=30), self._medals_shown)

    def _medal_definitions(self) -> None:
        for position, (slug, name, icon, description, rule, threshold) in enumerate(MEDALS):
            Medal.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "icon": icon,
                    "description": description,
                    "rule": rule,
                    "threshold": threshold,
                    "position": position,
                },
            )

    def _meetups_board(self) -> Board:
        board = getattr(self, "meetups_board", None)
        if board is None:
            board = Board.objects.create(
                section=Section.objects.get(slug="community"),
                name="Meetups",
                slug="meetups",
                description="爆米花 / 同城会: fans meeting in their cities.",
                position=10,
                default_thread_type=ThreadType.EVENT,
            )
            self.meetups_board = board
        return board

    def _at(self, day, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def _meetup(self, *, title, body, city, starts_at, capacity, waitlist):
        return forum_services.event_create(
            board=self._meetups_board(),
            organiser=self.admin,
            title=title,
            body=body,
            # Seeded by accounts' migration; get_or_create for a database flushed since.
            city=City.objects.get_or_create(slug=city, defaults={"name": CITY_NAMES[city]})[0],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            place="徐汇区 漕溪北路 88 号 爆米花空间" if city == "shanghai" else "春熙路 1 号 3 楼",
            capacity=capacity,
            waitlist_capacity=waitlist,
            signup_deadline=starts_at - timedelta(hours=12),
            questions=[QUESTION],
        )

    def _sign_up(self, event, members) -> None:
        for member in members:
            try:
                forum_services.event_signup(
                    event_id=event.pk,
                    user=member,
                    answers=[self.rng.choice(["小米 14", "红米 K70"])],
                )
            except (ValidationError, PermissionDenied):
                continue

    def _past_meetup(self) -> None:
        starts = self._at(self.window_day(DAYS - 6), 14)
        self.past_meetup = self._meetup(
            title="爆米花 · 上海站：HyperOS 开发者见面会",
            body="和开发团队面对面聊聊新版本。现场有抽奖，记得带上手机签到。",
            city="shanghai",
            starts_at=starts,
            capacity=8,
            waitlist=2,
        )

    def _past_meetup_signups(self) -> None:
        pool = self.members_by(self.clock.now())
        self._sign_up(self.past_meetup, self.rng.sample(pool, min(9, len(pool))))

    def _past_meetup_check_ins(self) -> None:
        event = self.past_meetup
        for signup in event.signups.filter(status="confirmed").select_related("user"):
            if self.rng.random() < 0.85:
                forum_services.event_check_in(
                    event_id=event.pk, user=signup.user, code=event.check_in_code
                )

    def _upcoming_meetup(self) -> None:
        starts = self._at(self.today + timedelta(days=6), 14)
        event = self._meetup(
            title="爆米花 · 成都同城会：一起刷机喝茶",
            body="成都的米粉们周末见！名额有限，报满后可以排候补。",
            city="chengdu",
            starts_at=starts,
            capacity=3,
            waitlist=3,
        )
        pool = [m for m in self.members_by(self.clock.now()) if m.role != "newcomer"]
        chosen = self.rng.sample(pool, min(7, len(pool)))
        self._sign_up(event, chosen[:6])
        # One seat is given back: the first on the waiting list moves up and is told.
        if len(chosen) >= 6:
            forum_services.event_cancel_signup(event_id=event.pk, user=chosen[0])
        if len(chosen) >= 7:
            self._sign_up(event, chosen[6:7])

    def _medal_by_hand(self) -> None:
        moderation_services.medal_award(
            medal=Medal.objects.get(slug="community-star"),
            user=self.cast["inviter"],
            actor=self.admin,
            reason="组织了第一次线下同城会，还帮新人答疑",
        )

    def _medals_shown(self) -> None:
        account_services.medals_award_all()
        holders = MemberMedal.objects.values_list("user_id", flat=True).distinct()
        for user_id in holders:  # the demo's few dozen members, not a site's
            ids = list(
                MemberMedal.objects.filter(user_id=user_id)
                .order_by("medal__position")
                .values_list("medal_id", flat=True)[:3]
            )
            user = next(m for m in self.members if m.pk == user_id)
            account_services.medals_choose_shown(user=user, medal_ids=ids)
