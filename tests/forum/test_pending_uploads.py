"""Attachments on the posting forms: the rule said before a file is picked, and a form sent
back with an error keeping the member's files as pending uploads until the post goes out."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from forum import services
from forum.attachments import clean_upload
from forum.models import Attachment, Post, Thread
from forum.tasks import delete_expired_uploads
from tests.factories import StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    # Changing STORAGES makes Django build a new, empty InMemoryStorage.
    settings.STORAGES = {**settings.STORAGES}
    return storages["attachments"]


@pytest.fixture
def limits_on(settings):
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True}


def _png(name="shot.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), (255, 105, 0)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def _log(name="logcat.log") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"E/Camera: crash\n" * 20, "text/plain")


def _established() -> User:
    """At the Member level and past the first day: may attach files when limits are on."""
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(
        reputation=60, date_joined=timezone.now() - timedelta(days=30)
    )
    return User.objects.get(pk=user.pk)


def _pending(user, board, *files) -> list[Attachment]:
    return services.pending_uploads_keep(
        uploader=user, board=board, files=[clean_upload(f) for f in files or [_log()]]
    )


def _stored(upload: Attachment) -> bool:
    return storages["attachments"].exists(upload.file.name)


def _new_thread(client, board, **data):
    fields = {"title": "Bootloop after update", "thread_type": "bug", "body": "Details here"}
    return client.post(reverse("forum:thread_create", args=[board.slug]), {**fields, **data})


# The rule, before a file is picked ------------------------------------------------------


def test_a_newcomer_reads_the_attachment_rule_instead_of_a_file_input(client, board, limits_on):
    thread = make_thread(board=board)
    client.force_login(UserFactory())  # reputation 0: below the Member level
    for url in (reverse("forum:thread_create", args=[board.slug]), thread.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'type="file"' not in html
        assert "Your level cannot attach files yet: you can from the Member level" in html


def test_a_member_who_may_attach_reads_the_types_sizes_and_count(client, board, limits_on):
    thread = make_thread(board=board)
    client.force_login(_established())
    for url in (reverse("forum:thread_create", args=[board.slug]), thread.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'type="file"' in html and "image/png" in html and ".zip" in html
        assert "Up to 5 files" in html and "8.0\xa0MB each" in html and "20.0\xa0MB each" in html
        assert "cannot attach files yet" not in html


def test_the_rule_follows_the_limits_it_comes_from(client, board, settings):
    settings.POPCORN = {
        **settings.POPCORN,
        "POSTING_LIMITS_ENABLED": True,
        "ATTACHMENTS_PER_POST": 1,
        "ATTACHMENT_IMAGE_MAX_BYTES": 2 * 1024 * 1024,
    }
    client.force_login(_established())
    html = client.get(reverse("forum:thread_create", args=[board.slug])).content.decode()
    assert "Up to 1 file: an image" in html and "2.0\xa0MB" in html
    # With the limits off (the suite's default) nobody is held back.
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": False}
    client.force_login(UserFactory())
    assert (
        'type="file"'
        in client.get(reverse("forum:thread_create", args=[board.slug])).content.decode()
    )


def test_the_boards_moderators_and_staff_are_offered_the_file_input(client, board, limits_on):
    moderator = UserFactory()
    board.moderator_links.create(user=moderator)
    for user in (moderator, StaffFactory()):
        client.force_login(user)
        html = client.get(reverse("forum:thread_create", args=[board.slug])).content.decode()
        assert 'type="file"' in html


def test_a_newcomers_files_posted_anyway_are_not_kept_and_the_service_refuses_them(
    client, board, limits_on
):
    newcomer = UserFactory()
    client.force_login(newcomer)
    response = _new_thread(client, board, title="", attachments=[_png()])
    assert response.status_code == 200 and "Chosen:" not in response.content.decode()
    assert not Attachment.objects.exists()
    assert _pending(newcomer, board) == [] and not Attachment.objects.exists()


# Kept through a form error ----------------------------------------------------------------


def test_a_new_thread_sent_back_keeps_the_text_and_the_file_then_posts_it(client, member, board):
    client.force_login(member)
    response = _new_thread(client, board, title="", body="My careful report", attachments=[_png()])
    assert response.status_code == 200
    html = response.content.decode()
    assert "My careful report" in html
    upload = Attachment.objects.get()
    assert (upload.post, upload.uploader, upload.original_name) == (None, member, "shot.png")
    assert "Chosen: shot.png" in html and _stored(upload)
    assert f'name="pending_uploads" value="{upload.pk}"' in html
    assert f'name="remove_uploads" value="{upload.pk}"' in html

    response = _new_thread(client, board, pending_uploads=[upload.pk])
    assert response.status_code == 302
    opening = Thread.objects.get().posts.get()
    assert list(opening.attachments.all()) == [upload]
    assert not Attachment.objects.filter(post__isnull=True).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reply_sent_back_keeps_its_file_and_the_next_submit_attaches_it(client, member, htmx):
    thread = make_thread()
    client.force_login(member)
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("forum:reply", args=[thread.pk])
    response = client.post(url, {"body": "", "attachments": [_log()]}, headers=headers)
    assert response.status_code == 200
    upload = Attachment.objects.get(post__isnull=True)
    assert "Chosen: logcat.log" in response.content.decode()

    response = client.post(
        url, {"body": "The log, as promised", "pending_uploads": [upload.pk]}, headers=headers
    )
    assert response.status_code in (200, 302)
    reply = Post.objects.get(thread=thread, floor=2)
    assert list(reply.attachments.all()) == [upload]


def test_a_limit_refusal_keeps_the_file_too(client, board, settings):
    settings.POPCORN = {**settings.POPCORN, "POSTING_LIMITS_ENABLED": True, "THREADS_PER_HOUR": 0}
    client.force_login(_established())
    response = _new_thread(client, board, attachments=[_png()])
    assert "You can start 0 threads an hour" in response.content.decode()
    assert "Chosen: shot.png" in response.content.decode()
    assert Attachment.objects.filter(post__isnull=True).count() == 1 and not Thread.objects.exists()


def test_files_chosen_again_beside_pending_ones_are_kept_together(client, member, board):
    client.force_login(member)
    _new_thread(client, board, title="", attachments=[_png()])
    first = Attachment.objects.get()
    response = _new_thread(
        client, board, title="", pending_uploads=[first.pk], attachments=[_log()]
    )
    assert "Chosen: shot.png" in response.content.decode()
    assert "Chosen: logcat.log" in response.content.decode()
    ids = list(Attachment.objects.order_by("pk").values_list("pk", flat=True))
    assert _new_thread(client, board, pending_uploads=ids).status_code == 302
    assert Thread.objects.get().posts.get().attachments.count() == 2


def test_a_bad_file_beside_a_form_error_is_named_and_nothing_is_kept(client, member, board):
    client.force_login(member)
    bad = SimpleUploadedFile("photo.png", b"not an image", "image/png")
    response = _new_thread(client, board, title="", attachments=[bad])
    assert "photo.png" in str(response.context["form"].errors["attachments"])
    assert not Attachment.objects.exists()


def test_ticking_remove_drops_the_pending_upload_and_its_file(
    client, member, board, django_capture_on_commit_callbacks
):
    client.force_login(member)
    _new_thread(client, board, title="", attachments=[_png()])
    upload = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone
        response = _new_thread(
            client, board, title="", pending_uploads=[upload.pk], remove_uploads=[upload.pk]
        )
    assert "Chosen:" not in response.content.decode()
    assert not Attachment.objects.exists() and not _stored(upload)


def test_a_post_leaves_out_what_its_author_ticked_to_remove(
    client, member, board, django_capture_on_commit_callbacks
):
    client.force_login(member)
    kept, dropped = _pending(member, board, _png(), _log())
    with django_capture_on_commit_callbacks(execute=True):
        response = _new_thread(
            client, board, pending_uploads=[kept.pk, dropped.pk], remove_uploads=[dropped.pk]
        )
    assert response.status_code == 302
    assert list(Thread.objects.get().posts.get().attachments.all()) == [kept]
    assert not Attachment.objects.filter(pk=dropped.pk).exists() and not _stored(dropped)


def test_pending_uploads_count_towards_a_posts_files(client, member, board, settings):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENTS_PER_POST": 2}
    pending = _pending(member, board, _png(), _log())
    client.force_login(member)
    response = _new_thread(
        client, board, pending_uploads=[u.pk for u in pending], attachments=[_log("more.log")]
    )
    assert response.status_code == 200 and not Thread.objects.exists()
    assert "Attach at most 2 files to a post (you chose 3)." in response.content.decode()


# Owned and checked --------------------------------------------------------------------------


def test_another_members_pending_upload_is_ignored(client, member, board):
    other = UserFactory()
    theirs = _pending(other, board)[0]
    client.force_login(member)
    response = _new_thread(client, board, pending_uploads=[theirs.pk])
    assert response.status_code == 302
    assert not Thread.objects.get().posts.get().attachments.exists()
    theirs.refresh_from_db()
    assert theirs.post is None and theirs.uploader == other and _stored(theirs)
    # Nor is it shown on a form sent back, nor can it be removed by them.
    response = _new_thread(
        client, board, title="", pending_uploads=[theirs.pk], remove_uploads=[theirs.pk]
    )
    assert "Chosen:" not in response.content.decode()
    assert Attachment.objects.filter(pk=theirs.pk, post__isnull=True).exists()


def test_the_service_takes_only_the_authors_own_unclaimed_unexpired_uploads(member, board):
    mine, claimed, expired = _pending(member, board, _log("a.log"), _log("b.log"), _log("c.log"))
    theirs = _pending(UserFactory(), board)[0]
    first = services.post_reply(thread=make_thread(board=board), author=member, body="one")
    Attachment.objects.filter(pk=claimed.pk).update(post=first)
    Attachment.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(days=2))
    thread = services.thread_create(
        board=board,
        author=member,
        title="Logs",
        body="See the log",
        pending_uploads=[mine.pk, claimed.pk, expired.pk, theirs.pk, 999_999],
    )
    assert list(thread.posts.get().attachments.all()) == [mine]
    assert Attachment.objects.get(pk=claimed.pk).post == first


def test_a_tampered_pending_field_is_a_field_error_and_writes_nothing(client, member, board):
    client.force_login(member)
    response = _new_thread(client, board, pending_uploads=["abc"])
    assert response.status_code == 200
    assert "Your chosen files were lost; choose them again." in response.content.decode()
    assert not Thread.objects.exists()


def test_a_member_holds_a_bounded_number_of_pending_uploads(
    member, board, settings, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "PENDING_UPLOADS_PER_MEMBER": 2}
    old = _pending(member, board, _log("old.log"))[0]
    middle = _pending(member, board, _log("middle.log"))[0]
    with django_capture_on_commit_callbacks(execute=True):
        newest = _pending(member, board, _log("new.log"))[0]
    left = set(Attachment.objects.values_list("pk", flat=True))
    assert left == {middle.pk, newest.pk} and not _stored(old)


def test_quoting_into_a_draft_keeps_its_pending_uploads(client, member):
    thread = make_thread()
    upload = _pending(member, thread.board)[0]
    client.force_login(member)
    response = client.post(
        reverse("forum:quote", args=[thread.pk, thread.posts.get().pk]),
        {"body": "my draft", "pending_uploads": [upload.pk]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "my draft" in html and "Chosen: logcat.log" in html


# Cleaned up -----------------------------------------------------------------------------------


def test_the_hourly_job_deletes_expired_pending_uploads_only(
    member, board, django_capture_on_commit_callbacks
):
    expired, fresh = _pending(member, board, _log("old.log"), _log("new.log"))
    posted = _pending(member, board, _log("posted.log"))[0]
    reply = services.post_reply(
        thread=make_thread(board=board), author=member, body="x", pending_uploads=[posted.pk]
    )
    long_ago = timezone.now() - timedelta(hours=25)
    Attachment.objects.filter(pk__in=[expired.pk, posted.pk]).update(created_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert delete_expired_uploads.delay().get() == 1
    assert not Attachment.objects.filter(pk=expired.pk).exists() and not _stored(expired)
    assert Attachment.objects.filter(pk=fresh.pk, post__isnull=True).exists() and _stored(fresh)
    assert Attachment.objects.get(pk=posted.pk).post == reply and _stored(posted)
    assert delete_expired_uploads.delay().get() == 0  # idempotent
