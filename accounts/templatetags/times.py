"""Times as readers of the page's language expect them, in the site time zone:
`{% load times %}`, then `{{ post.created_at|when }}`.

Recent moments read relative (刚刚, 3分钟前, 2小时前, 昨天 18:30 / just now,
3 minutes ago, 2 hours ago, yesterday at 18:30); older ones in the language's
DATETIME_FORMAT (2026年12月1日 18:30), or its DATE_FORMAT with `|when:"date"`.
Keep the machine-readable moment next to it: `<time datetime="{{ x|date:'c' }}">`.
"""

from datetime import date, datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext

register = template.Library()


def when_text(
    value: datetime | date | None, *, now: datetime | None = None, style: str = ""
) -> str:
    """The words for `value` as of `now` (default: the current moment)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return date_format(value, "DATE_FORMAT")
    now = now or timezone.now()
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value)
    seconds = (now - value).total_seconds()
    if -60 < seconds < 60:
        return gettext("just now")
    if 0 < seconds < 60 * 60:
        minutes = int(seconds // 60)
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    today = timezone.localdate(now)
    if seconds > 0 and local.date() == today:
        hours = int(seconds // (60 * 60))
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    if local.date() == today - timedelta(days=1):
        return gettext("yesterday at %(time)s") % {"time": time_format(local, "TIME_FORMAT")}
    if style == "date":
        return date_format(local, "DATE_FORMAT")
    return date_format(local, "DATETIME_FORMAT")


@register.filter
def when(value, style: str = "") -> str:
    return when_text(value, style=style)
