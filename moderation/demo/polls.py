"""The demo's polls, through the same services as the site: an open public poll with
votes (some members change their minds) and an anonymous one a moderator closed."""

import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied

from forum import services as forum_services
from forum.models import Board
from moderation import services as moderation_services

POLL_THREADS = 2


class PollsDemo:
    """Mixed into moderation.demo.builder.DemoBuilder: uses its clock, queue and cast."""

    def _plan_polls(self) -> None:
        # Dice of their own, so the rest of the story rolls as it did before polls.
        self.polls_rng = random.Random(len(self.members) * 31 + 15)
        self.at(self.moment(self.window_day(70), 20), self._closed_poll)
        self.at(self.end - timedelta(hours=6), self._open_poll)

    def _poll_thread(self, *, author, title, body, **poll):
        return forum_services.thread_create_with_poll(
            board=Board.objects.get(slug="off-topic"),
            author=author,
            title=title,
            body=body,
            poll=forum_services.poll_clean(**poll),
        )

    def _votes(self, thread, voters, choose) -> None:
        poll = thread.poll
        ids = list(poll.options.order_by("position").values_list("pk", flat=True))
        for voter in voters:
            try:
                forum_services.poll_vote(
                    poll=poll, thread=thread, user=voter, option_ids=choose(ids)
                )
            except PermissionDenied:  # a member sanctioned meanwhile
                continue

    def _open_poll(self) -> None:
        rng = self.polls_rng
        thread = self._poll_thread(
            author=self.cast["core"],
            title="投票：你最想要的下一个功能是什么？",
            body="选两个你最想要的，投票一周后截止。可以随时改票。",
            question="下一个版本最想要哪些功能？（最多选两项）",
            options=[
                "桌面小组件",
                "更长的续航模式",
                "相机专业模式",
                "双卡双待增强",
                "深色模式定时",
            ],
            max_choices=2,
            closes_at=self.end + timedelta(days=7),
            results="always",
            is_public=True,
        )
        voters = self.members_by(self.clock.now(), exclude=[self.cast["core"]])
        self._votes(thread, voters, lambda ids: rng.sample(ids, rng.choice([1, 2])))
        # Two members change their minds.
        self._votes(thread, voters[:2], lambda ids: [ids[0]])

    def _closed_poll(self) -> None:
        rng = self.polls_rng
        thread = self._poll_thread(
            author=self.cast["inviter"],
            title="匿名投票：你多久更新一次系统？",
            body="匿名投票，结果在投票结束后公布。",
            question="你多久更新一次系统？",
            options=["一推送就更新", "等一两周看看反馈", "很少更新"],
            results="on_close",
            is_public=False,
        )
        voters = self.members_by(self.clock.now(), exclude=[self.cast["inviter"]])
        self._votes(thread, voters, lambda ids: [rng.choice(ids)])
        moderation_services.poll_close(
            poll=thread.poll, thread=thread, actor=self.admin, reason="投票已收集足够结果"
        )
