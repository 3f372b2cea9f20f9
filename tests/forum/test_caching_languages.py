"""The anonymous page cache keeps one copy per language: a Chinese visitor never gets
the English copy, and the second Chinese visitor gets the first one's, from the cache."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue import zh_catalogue
from tests.factories import BoardFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

ZH = {"Members": "成员"}


@pytest.mark.parametrize("page", ["index", "board", "thread"])
def test_each_language_has_its_own_cached_copy(settings, tmp_path, page):
    zh_catalogue(settings, tmp_path, ZH)
    board = BoardFactory()
    thread = make_thread(board=board, title="Cached thread")
    url = {
        "index": reverse("forum:index"),
        "board": board.get_absolute_url(),
        "thread": thread.get_absolute_url(),
    }[page]

    def visit(accept_language: str) -> str:
        response = Client().get(url, headers={"accept-language": accept_language})
        assert response.status_code == 200
        return response.content.decode()

    first_zh = visit("zh-CN,zh;q=0.9")
    first_en = visit("en-US,en;q=0.8")
    assert "成员" in first_zh and "成员" not in first_en and ">Members<" in first_en

    # Written without a version bump (no on_commit here), so only the cache can
    # explain a second visitor not seeing it.
    make_reply(thread=thread, body="a reply the cache has not heard of", follow_up=False)
    second_zh = visit("zh-Hans")
    assert second_zh == first_zh  # the first Chinese visitor's copy, from the cache
    assert visit("en") == first_en


def test_the_switchs_cookie_picks_the_cached_copy(settings, tmp_path):
    zh_catalogue(settings, tmp_path, ZH)
    visitor = Client()
    english = visitor.get(reverse("forum:index"), headers={"accept-language": "en"})
    visitor.post(reverse("accounts:set_language"), {"language": "zh-hans", "next": "/"})
    chinese = visitor.get(reverse("forum:index"), headers={"accept-language": "en"})
    assert "成员" in chinese.content.decode() and "成员" not in english.content.decode()
    assert chinese["Content-Language"] == "zh-hans"
