"""The demo shows medals on posts and an upcoming meetup with a waiting list."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import MemberMedal, Notification, ReputationEntry
from forum.models import Event, EventSignup, Post
from moderation.models import AuditLog

pytestmark = pytest.mark.django_db


def test_demo_has_medals_shown_on_posts_and_meetups_past_and_upcoming(client):
    call_command("load_demo", "--users=14", "--threads=24", stdout=StringIO())

    shown = MemberMedal.objects.filter(shown_position__isnull=False)
    assert shown.exists()
    assert MemberMedal.objects.filter(medal__slug="meetup-goer").exists()
    assert AuditLog.objects.filter(action="medal_award").count() == 1
    assert ReputationEntry.objects.filter(reason="meetup_attended").exists()

    upcoming = Event.objects.get(starts_at__gt=timezone.now())
    assert upcoming.seats_taken == upcoming.capacity
    assert upcoming.waiting_count >= 1
    assert EventSignup.objects.filter(event=upcoming, status="waiting").count() == (
        upcoming.waiting_count
    )
    assert Notification.objects.filter(title_key="forum.meetup_seat").count() == 1

    post = (
        Post.objects.filter(
            author__medals__shown_position=1,
            floor__isnull=False,
            is_hidden=False,
            thread__is_hidden=False,
            thread__is_pending=False,
            thread__board__visibility="everyone",
            thread__board__program__isnull=True,
        )
        .select_related("thread")
        .first()
    )
    assert post is not None
    medal = MemberMedal.objects.get(user_id=post.author_id, shown_position=1).medal
    page = client.get(f"{post.thread.get_absolute_url()}?page={-(-post.floor // 20)}")
    assert medal.name in page.content.decode()
    box = client.get(upcoming.thread.get_absolute_url()).content.decode()
    assert "候补" in box and upcoming.place in box
