"""The audit log reads as sentences in the reader's language: action names from the
Action choices, before/after states as "locked: no → yes", never Python dicts."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import AuditLog
from tests.catalogue import zh_catalogue
from tests.moderation.world import build_world

pytestmark = pytest.mark.django_db

LOG = reverse("moderation:log")
ZH = {
    "Locked a thread": "锁定了帖子",
    "locked": "锁定",
    "yes": "是",
    "no": "否",
    "%(field)s: %(before)s → %(after)s": "%(field)s：%(before)s → %(after)s",
    "bug status": "缺陷状态",
    "Confirmed": "已确认",
}


@pytest.fixture
def world(db):
    return build_world()


def _log(client, user) -> str:
    client.force_login(user)
    return client.get(LOG).content.decode()


def test_a_lock_reads_as_a_sentence_in_each_readers_language(client, world, settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)
    services.thread_lock(thread=world.thread, actor=world.mod_a, reason="Heated")
    english = _log(client, world.staff)
    assert "Locked a thread" in english and "locked: no → yes" in english
    assert "{" not in english.split("<tbody>", 1)[1].split("</tbody>", 1)[0]  # no dict printed

    world.staff.language = "zh-hans"
    world.staff.save(update_fields=["language"])
    chinese = _log(client, world.staff)
    assert "锁定了帖子" in chinese and "锁定：否 → 是" in chinese


def test_codes_times_and_lists_are_shown_readably(world):
    services.thread_set_bug_status(thread=world.thread, actor=world.mod_a, status="confirmed")
    until = timezone.make_aware(datetime(2030, 12, 1, 18, 30))
    services.user_silence(actor=world.staff, user=world.member, until=until, reason="Flooding")
    services.thread_hide(thread=world.other, actor=world.mod_a, reason="Duplicate")
    services.thread_restore(thread=world.other, actor=world.mod_a)

    def lines(action):
        return [str(change) for change in AuditLog.objects.get(action=action).changes]

    assert lines("thread_bug_status") == ["bug status: — → Confirmed", "fixed in version: —"]
    assert lines("user_silence") == ["until: Dec. 1, 2030, 6:30 p.m."]
    assert lines("thread_restore") == [
        "hidden: yes → no",
        "hidden by: mod_a",
        "reason: Duplicate",
    ]


def test_an_export_is_named_in_the_readers_language_from_its_row_count(client, world):
    services.export_start(actor=world.staff, submitted={}, include_emails=False, total_rows=1)
    services.export_start(actor=world.staff, submitted={}, include_emails=False, total_rows=7)
    page = _log(client, world.staff)
    assert "Members CSV, 1 row<" in page and "Members CSV, 7 rows<" in page
    assert "streamed" not in page and "sent at once: yes" in page
