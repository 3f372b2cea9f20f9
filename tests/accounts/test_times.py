"""Times as their readers expect them: 刚刚 / 3分钟前 / 昨天 18:30 / 2026年12月1日 18:30 in
Chinese, "just now" / "3 minutes ago" in English, always in the site's time zone."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.templatetags.times import when_text
from tests.factories import make_thread

# 2026-12-02 10:00 in Shanghai (UTC+8), the site's time zone.
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def _at(**before) -> str:
    return when_text(NOW - timedelta(**before), now=NOW)


@pytest.mark.parametrize(
    ("before", "chinese", "english"),
    [
        ({"seconds": 5}, "刚刚", "just now"),
        ({"seconds": 59}, "刚刚", "just now"),
        ({"minutes": 1}, "1分钟前", "1 minute ago"),
        ({"minutes": 3}, "3分钟前", "3 minutes ago"),
        ({"minutes": 59, "seconds": 59}, "59分钟前", "59 minutes ago"),
        ({"hours": 1}, "1小时前", "1 hour ago"),
        ({"hours": 2, "minutes": 30}, "2小时前", "2 hours ago"),
        # 00:30 today in Shanghai is still today: hours, not yesterday.
        ({"hours": 9, "minutes": 30}, "9小时前", "9 hours ago"),
        # 23:30 yesterday in Shanghai, though it is the same day in UTC.
        ({"hours": 10, "minutes": 30}, "昨天 23:30", "yesterday at 11:30 p.m."),
        ({"hours": 15, "minutes": 30}, "昨天 18:30", "yesterday at 6:30 p.m."),
        (
            {"days": 1, "hours": 15, "minutes": 30},
            "2026年11月30日 18:30",
            "Nov. 30, 2026, 6:30 p.m.",
        ),
        ({"days": 365}, "2025年12月2日 10:00", "Dec. 2, 2025, 10 a.m."),
    ],
)
def test_recent_times_read_relative_and_older_ones_in_full(before, chinese, english):
    with translation.override("zh-hans"):
        assert _at(**before) == chinese
    with translation.override("en"):
        assert _at(**before) == english


def test_date_style_gives_the_day_for_older_moments():
    with translation.override("zh-hans"):
        assert when_text(NOW - timedelta(days=3), now=NOW, style="date") == "2026年11月29日"
        assert when_text(NOW - timedelta(minutes=3), now=NOW, style="date") == "3分钟前"
        assert when_text(date(2026, 12, 1), now=NOW) == "2026年12月1日"
    with translation.override("en"):
        assert when_text(NOW - timedelta(days=3), now=NOW, style="date") == "Nov. 29, 2026"


def test_a_moment_a_little_ahead_of_the_clock_is_just_now_and_nothing_is_empty():
    with translation.override("zh-hans"):
        assert when_text(NOW + timedelta(seconds=20), now=NOW) == "刚刚"
        assert when_text(NOW + timedelta(days=2), now=NOW) == "2026年12月4日 10:00"
    assert when_text(None) == ""
    assert when_text("") == ""


def test_the_filter_in_a_template():
    moment = datetime.now(UTC) - timedelta(minutes=7)
    template = Template("{% load times %}{{ moment|when }}|{{ moment|when:'date' }}")
    with translation.override("zh-hans"):
        assert template.render(Context({"moment": moment})) == "7分钟前|7分钟前"
    with translation.override("en"):
        assert template.render(Context({"moment": moment})) == "7 minutes ago|7 minutes ago"


@pytest.mark.django_db
def test_a_thread_page_dates_its_posts_for_its_reader_and_keeps_the_iso_moment(client):
    thread = make_thread(title="相机闪退", body="升级后打开相机就闪退。")
    post = thread.posts.get(floor=1)
    iso = post.created_at.astimezone(UTC).isoformat()[:16]

    zh = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    when = re.search(r'<time datetime="([^"]+)" title="([^"]+)">([^<]+)</time>', zh)
    assert when, "the post's time is not in a <time> element"
    assert datetime.fromisoformat(when.group(1)).astimezone(UTC).isoformat()[:16] == iso
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", when.group(2))
    assert when.group(3) == "刚刚"

    en = client.get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r"<time datetime=\"[^\"]+\" title=\"[^\"]+\">just now</time>", en)


def test_chinese_dates_use_the_sites_formats():
    from django.utils.formats import date_format

    with translation.override("zh-hans"):
        assert date_format(date(2026, 3, 5), "MONTH_DAY_FORMAT") == "3月5日"
        assert (
            date_format(datetime(2026, 12, 1, 18, 30), "DATETIME_FORMAT") == "2026年12月1日 18:30"
        )
