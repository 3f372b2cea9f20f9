"""Simplified Chinese dates: Django's (2026年12月1日 18:30), with the month-day
form without a leading zero (12月1日, 3月5日) as Chinese sites write it."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

MONTH_DAY_FORMAT = "n月j日"
