"""A board's default thread type, and the template a bug report starts from."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from forum.forms.threads import bug_report_template
from forum.models import Board, Thread, ThreadType
from tests.factories import BoardFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _form(client, board):
    response = client.get(reverse("forum:thread_create", args=[board.slug]))
    assert response.status_code == 200
    return response, response.content.decode()


def _selected_type(html: str) -> str:
    return re.search(r'<option value="(\w+)" selected>', html)[1]


def _textarea(html: str) -> str:
    return unescape(re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', html, re.S)[1])


def test_a_bug_report_board_starts_new_threads_as_bug_reports_with_the_template(
    member_client,
):
    board = BoardFactory(default_thread_type=ThreadType.BUG)
    _response, html = _form(member_client, board)
    assert _selected_type(html) == "bug"
    assert _textarea(html) == bug_report_template()
    for part in ("Device:", "Firmware version:", "Steps to reproduce:", "Expected:", "Actual:"):
        assert f"**{part}**" in _textarea(html)
    assert "**Logs:**" in _textarea(html)


def test_other_boards_start_a_discussion_with_an_empty_post(member_client, board):
    assert board.default_thread_type == ThreadType.DISCUSSION
    _response, html = _form(member_client, board)
    assert _selected_type(html) == "discussion" and _textarea(html) == ""


def test_the_form_carries_the_template_for_the_type_switch(member_client, board):
    _response, html = _form(member_client, board)
    template = re.search(r'data-template="([^"]*)"', html)[1]
    assert unescape(template) == bug_report_template()
    assert 'data-template-type="bug"' in html
    # The switch is a static file (the Content-Security-Policy runs no inline script).
    assert "/static/js/bug-template.js" in html
    script = Path(finders.find("js/bug-template.js")).read_text()
    assert "select[name=thread_type]" in script and 'addEventListener("change", follow)' in script


def test_the_untouched_template_is_not_a_bug_report(member_client):
    board = BoardFactory(default_thread_type=ThreadType.BUG)
    url = reverse("forum:thread_create", args=[board.slug])
    data = {"title": "Camera crash", "thread_type": "bug", "body": bug_report_template()}
    response = member_client.post(url, data)
    assert response.status_code == 200 and not Thread.objects.exists()
    assert "Fill in the bug report" in str(response.context["form"].errors["body"])

    filled = bug_report_template().replace("**Device:**", "**Device:** Xiaomi 14")
    assert member_client.post(url, {**data, "body": filled}).status_code == 302
    assert Thread.objects.get().thread_type == ThreadType.BUG


def test_the_member_may_still_choose_another_type(member_client):
    board = BoardFactory(default_thread_type=ThreadType.BUG)
    url = reverse("forum:thread_create", args=[board.slug])
    data = {"title": "A question", "thread_type": "discussion", "body": "Which build is best?"}
    assert member_client.post(url, data).status_code == 302
    assert Thread.objects.get().thread_type == ThreadType.DISCUSSION


def test_the_template_is_worded_in_the_readers_language(client, member):
    with translation.override("zh-hans"):
        chinese = bug_report_template()
    assert "机型" in chinese and "复现步骤" in chinese and "日志" in chinese
    board = BoardFactory(default_thread_type=ThreadType.BUG)
    client.force_login(member)
    html = client.get(
        reverse("forum:thread_create", args=[board.slug]), HTTP_ACCEPT_LANGUAGE="zh-CN"
    ).content.decode()
    assert "复现步骤" in _textarea(html)


def test_staff_set_a_boards_default_thread_type_in_the_admin(client, board):
    client.force_login(StaffFactory(is_superuser=True))
    change = reverse("admin:forum_board_change", args=[board.pk])
    html = client.get(change).content.decode()
    assert 'name="default_thread_type"' in html
    data = {
        "section": board.section_id,
        "name": board.name,
        "slug": board.slug,
        "description": board.description,
        "position": board.position,
        "visibility": board.visibility,
        "posting": board.posting,
        "channel": "",
        "default_thread_type": ThreadType.BUG,
    }
    assert client.post(change, data).status_code == 302
    assert Board.objects.get(pk=board.pk).default_thread_type == ThreadType.BUG
