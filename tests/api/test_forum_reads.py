"""What the forum's API reads give: visibility per caller, the page's filters and sorts,
keyset pages that stay put while posts arrive, floors, search, files."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Device
from forum import services
from forum.models import Attachment, Board, Thread
from tests.api.conftest import token_client
from tests.factories import (
    BoardFactory,
    SectionFactory,
    StaffFactory,
    UserFactory,
    bulk_replies,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _all(client, url) -> list[dict]:
    """Every row of a list, following `next`."""
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


def test_sections_show_each_caller_the_boards_they_may_read(api):
    section = SectionFactory()
    public = BoardFactory(section=section)
    members = BoardFactory(section=section, visibility=Board.Visibility.MEMBERS)
    staff_only = BoardFactory(section=section, visibility=Board.Visibility.STAFF)
    BoardFactory(section=SectionFactory(), visibility=Board.Visibility.STAFF)

    def boards(client):
        return [b["slug"] for s in _all(client, "/api/v1/sections/") for b in s["boards"]]

    assert boards(api) == [public.slug]
    assert boards(token_client(UserFactory())) == [public.slug, members.slug]
    assert set(boards(token_client(StaffFactory()))) >= {staff_only.slug, members.slug}
    assert len(_all(api, "/api/v1/sections/")) == 1  # a section with nothing to show is left out


def test_board_threads_filter_by_type_device_and_firmware(api, board):
    phone = Device.objects.create(brand="Xiaomi", model="14", codename="houji")
    bug = make_thread(board=board, thread_type="bug", device=phone, firmware_version="V14.0.3.0")
    make_thread(board=board, thread_type="bug")
    make_thread(board=board, device=phone, firmware_version="V14.0.2.0")
    url = f"/api/v1/boards/{board.slug}/threads/"
    assert len(_all(api, url)) == 3
    assert len(_all(api, url + "?type=bug")) == 2
    assert len(_all(api, url + "?device=houji")) == 2
    found = _all(api, url + "?type=bug&device=houji&firmware_version=V14.0.3.0")
    assert [t["id"] for t in found] == [bug.pk]
    assert api.get(url + "?type=nonsense").status_code == 400
    assert api.get(url + "?sort=nonsense").status_code == 400


def test_board_threads_pinned_first_across_pages_and_stable_as_posts_arrive(api, board):
    threads = [make_thread(board=board, title=f"t{n}") for n in range(7)]
    Thread.objects.filter(pk=threads[0].pk).update(is_pinned=True)
    url = f"/api/v1/boards/{board.slug}/threads/?page_size=3"
    first = api.get(url).json()
    assert first["results"][0]["id"] == threads[0].pk and first["previous"] is None
    # `previous` of the second page is the first page again.
    second = api.get(first["next"]).json()
    back = api.get(second["previous"]).json()
    assert [t["id"] for t in back["results"]] == [t["id"] for t in first["results"]]
    # While the app pages on, new activity bumps a thread from page 2 and a new one arrives:
    # the rest of the pages go on from where the first stopped, skipping nothing.
    services.post_reply(thread=threads[1], author=UserFactory(), body="bump")
    make_thread(board=board, title="brand new")
    rest = _all(api, first["next"])
    seen = [t["id"] for t in first["results"] + rest]
    assert len(seen) == len(set(seen)), "a thread came twice"
    not_bumped = {t.pk for t in threads} - {t["id"] for t in first["results"]} - {threads[1].pk}
    assert not_bumped <= set(seen)


@pytest.mark.parametrize(
    ("sort", "key"),
    [("newest", lambda t: -t["id"]), ("replies", lambda t: (-t["reply_count"], -t["id"]))],
)
def test_board_threads_sorts(api, board, sort, key):
    threads = [make_thread(board=board, title=f"t{n}") for n in range(4)]
    for n, thread in enumerate(threads):
        for _ in range(n % 3):
            services.post_reply(thread=thread, author=UserFactory(), body=f"r{thread.pk}")
    rows = _all(api, f"/api/v1/boards/{board.slug}/threads/?sort={sort}&page_size=2")
    assert rows == sorted(rows, key=key) and len(rows) == 4


def test_a_members_unread_state_comes_with_the_list(board):
    reader = UserFactory()
    thread = make_thread(board=board)
    services.thread_mark_read(user=reader, thread=thread, floor=1)
    bulk_replies(thread, 2)
    row = token_client(reader).get(f"/api/v1/boards/{board.slug}/threads/").json()["results"][0]
    assert (row["unread_count"], row["is_unread"]) == (2, True)


def test_a_threads_posts_by_floor_range(api, board):
    thread = make_thread(board=board)
    bulk_replies(thread, 30)
    url = f"/api/v1/threads/{thread.pk}/posts/"
    assert [p["floor"] for p in _all(api, url + "?page_size=7")] == list(range(1, 32))
    ranged = _all(api, url + "?from_floor=10&to_floor=14")
    assert [p["floor"] for p in ranged] == [10, 11, 12, 13, 14]
    page = api.get(url + "?from_floor=29").json()
    assert [p["floor"] for p in page["results"]] == [29, 30, 31] and page["next"] is None


def test_a_thread_says_what_the_caller_may_do_and_why_not(board):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    member = token_client(UserFactory()).get(f"/api/v1/threads/{thread.pk}/").json()
    assert member["viewer"]["can_reply"] is False
    assert member["viewer"]["reply_denied_reason"] == "This thread is locked."
    assert member["url"].endswith(thread.get_absolute_url())
    services.thread_views_fold()  # views other tests counted
    views_before = Thread.objects.get(pk=thread.pk).view_count
    token_client(UserFactory()).get(f"/api/v1/threads/{thread.pk}/")
    # Counted off the read path, in the thread's row once the fold job ran.
    assert Thread.objects.get(pk=thread.pk).view_count == views_before
    services.thread_views_fold()
    assert Thread.objects.get(pk=thread.pk).view_count == views_before + 1


def test_editing_a_thread_can_clear_its_device(board):
    author = UserFactory()
    phone = Device.objects.create(brand="Xiaomi", model="14", codename="houji")
    thread = make_thread(board=board, author=author, device=phone)
    client = token_client(author)
    cleared = client.patch(f"/api/v1/threads/{thread.pk}/", {"device": None}, format="json")
    assert cleared.status_code == 200 and cleared.json()["device"] is None
    kept = client.patch(f"/api/v1/threads/{thread.pk}/", {"thread_type": "guide"}, format="json")
    assert kept.json()["device"] is None and kept.json()["thread_type"] == "guide"


def test_latest_threads_and_announcements(api, board):
    notice = make_thread(board=board, title="Rules")
    Thread.objects.filter(pk=notice.pk).update(is_announcement=True)
    other = make_thread(board=board, title="Question")
    hidden_board = BoardFactory(visibility=Board.Visibility.STAFF)
    make_thread(board=hidden_board, author=StaffFactory())
    assert [t["id"] for t in _all(api, "/api/v1/announcements/")] == [notice.pk]
    latest = [t["id"] for t in _all(api, "/api/v1/threads/")]
    assert latest == [other.pk, notice.pk]
    listing = [t["id"] for t in _all(api, f"/api/v1/boards/{board.slug}/threads/")]
    assert listing == [other.pk]  # announcements are listed above boards, not in them


def test_devices_and_firmware_channels(api):
    Device.objects.create(brand="Xiaomi", model="14", codename="houji", position=2)
    Device.objects.create(brand="Redmi", model="K70", codename="vermeer", position=1)
    assert [d["codename"] for d in _all(api, "/api/v1/devices/")] == ["vermeer", "houji"]
    channels = api.get("/api/v1/firmware-channels/").json()["results"]
    assert [c["key"] for c in channels] == ["stable", "beta", "developer"]


def test_likers_newest_first(api, board):
    thread = make_thread(board=board)
    post = thread.posts.get(floor=1)
    fans = [UserFactory() for _ in range(3)]
    for fan in fans:
        services.post_like(post=post, user=fan)
    likers = _all(api, f"/api/v1/posts/{post.pk}/likers/?page_size=2")
    assert [row["member"]["username"] for row in likers] == [f.username for f in reversed(fans)]


# Search ---------------------------------------------------------------------------------


def test_search_finds_chinese_in_either_script_with_highlights(api, board):
    make_thread(board=board, title="更新后耗电很快", body="升级固件以后电池掉电快")
    make_thread(board=board, title="Camera", body="Blurry photos")
    results = _all(api, "/api/v1/search/?q=耗電")  # Traditional finds Simplified
    assert len(results) == 1
    assert "<mark>" in results[0]["title_html"] and results[0]["board"] == board.slug
    english = _all(api, "/api/v1/search/?q=blurry")
    assert len(english) == 1 and "<mark>" in english[0]["snippet_html"]


def test_search_refuses_what_the_page_refuses(api, board):
    empty = api.get("/api/v1/search/?q=%21%21%21")
    assert empty.status_code == 400
    assert "Type a word" in empty.json()["errors"]["q"][0]
    backwards = api.get("/api/v1/search/?q=x&after=2026-02-01&before=2026-01-01")
    assert backwards.status_code == 400
    assert "start date is after" in backwards.json()["detail"]
    unknown_board = api.get("/api/v1/search/?q=x&board=no-such-board")
    assert unknown_board.status_code == 400 and "board" in unknown_board.json()["errors"]


def test_search_only_shows_what_the_caller_may_read(api):
    staff_board = BoardFactory(visibility=Board.Visibility.STAFF)
    make_thread(board=staff_board, author=StaffFactory(), title="Secret roadmap", body="x")
    assert _all(api, "/api/v1/search/?q=roadmap") == []
    assert len(_all(token_client(StaffFactory()), "/api/v1/search/?q=roadmap")) == 1


def test_search_is_throttled_per_address(api, settings, board):
    throttles = {**settings.POPCORN["API_THROTTLES"], "search_address": "2/m"}
    settings.POPCORN = {**settings.POPCORN, "API_THROTTLES": throttles}
    statuses = [api.get("/api/v1/search/?q=battery").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


# Files ----------------------------------------------------------------------------------


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(out, "PNG")
    return out.getvalue()


def test_a_reply_uploads_files_with_the_pages_checks(board):
    thread = make_thread(board=board)
    client = token_client(UserFactory())
    response = client.post(
        f"/api/v1/threads/{thread.pk}/posts/",
        {
            "body": "Screenshot and log",
            "attachments": [
                SimpleUploadedFile("shot.png", _png(), content_type="image/png"),
                SimpleUploadedFile("radio.log", b"modem crashed\n", content_type="text/plain"),
            ],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert [(f["kind"], f["original_name"]) for f in files] == [
        ("image", "shot.png"),
        ("log", "radio.log"),
    ]
    download = client.get(files[1]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"modem crashed\n"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    # Images too go out through the permission check, shown inline, never shared by caches.
    image = client.get(files[0]["url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image["Cache-Control"] == "private, max-age=3600"


def test_a_file_that_is_not_what_it_says_is_a_400_and_writes_nothing(board):
    thread = make_thread(board=board)
    response = token_client(UserFactory()).post(
        f"/api/v1/threads/{thread.pk}/posts/",
        {
            "body": "Look",
            "attachments": [SimpleUploadedFile("shot.png", b"MZ\x90\x00", "image/png")],
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "attachments" in response.json()["errors"]
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_files_of_a_hidden_post_are_for_staff(board):
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread,
        author=UserFactory(),
        body="log",
        attachments=[SimpleUploadedFile("a.log", b"x\n", content_type="text/plain")],
    )
    attachment = post.attachments.get()
    post.is_hidden = True
    post.save(update_fields=["is_hidden"])
    url = f"/api/v1/attachments/{attachment.pk}/"
    assert token_client(UserFactory()).get(url).status_code == 404
    assert token_client(StaffFactory()).get(url).status_code == 200


def test_times_are_in_the_site_zone(api, board, settings):
    make_thread(board=board)
    row = api.get(f"/api/v1/boards/{board.slug}/threads/").json()["results"][0]
    assert re.search(r"[+-]\d\d:\d\d$", row["created_at"])
    assert timezone.now() - timedelta(minutes=1) < timezone.datetime.fromisoformat(
        row["created_at"]
    )
