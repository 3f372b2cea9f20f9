"""A member's data as the law asks: an archive they download by a signed link that
expires, and deleting their account (posts kept under deleted-<id>, everything personal
gone), by themselves or by staff at their request, audited."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.models import MemberArchive, User
from forum import services as forum_services
from forum.models import Post, Thread
from moderation import services
from moderation.models import AuditLog
from moderation.tasks import expire_member_archives
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def fan():
    return UserFactory(username="flashfan", display_name="刷机达人", signature="MIUI forever")


@pytest.fixture
def fans_thread(fan):
    thread = make_thread(board=BoardFactory(), author=fan, title="Bootloop on 14.0.3")
    other = UserFactory()
    reply = make_reply(thread=thread, author=other, body="Same here.")
    forum_services.post_like(post=reply, user=fan)
    make_reply(thread=thread, author=fan, body="Fixed by wiping cache.")
    return thread


def _archive_files(archive: MemberArchive) -> dict:
    with archive.file.open("rb") as stored:
        zipped = zipfile.ZipFile(io.BytesIO(stored.read()))
        return {name: json.loads(zipped.read(name)) for name in zipped.namelist()}


def test_a_member_downloads_an_archive_of_their_data(
    client, fan, fans_thread, django_capture_on_commit_callbacks
):
    client.force_login(fan)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("member_data:archive"))
    assert response.status_code == 302
    archive = MemberArchive.objects.get(member=fan)
    assert archive.status == MemberArchive.Status.READY and archive.size > 0

    files = _archive_files(archive)
    assert files["profile.json"]["username"] == "flashfan"
    assert files["profile.json"]["email"] == fan.email
    assert {p["source"] for p in files["posts.json"]} == {"It drains.", "Fixed by wiping cache."}
    assert [like["post_id"] for like in files["likes.json"]] == [
        Post.objects.get(thread=fans_thread, floor=2).pk
    ]
    assert "reputation.json" in files and "programs.json" in files

    page = client.get(reverse("member_data:mine")).content.decode()
    link = re.search(r'href="(/settings/data/archive/[^"/]+/)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")

    # The link is for the member (and staff), not for whoever holds it.
    client.force_login(UserFactory())
    assert client.get(link).status_code == 403
    client.force_login(StaffFactory())
    assert client.get(link).status_code == 200
    forged = reverse("member_data:download", args=[f"{archive.pk}:forged:sig"])
    assert client.get(forged).status_code == 404


def test_the_link_expires_with_the_archive(
    client, fan, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        archive, _ = services.member_archive_request(actor=fan, member=fan)
    link = reverse("member_data:download", args=[accounts_services.archive_token(archive)])
    settings.POPCORN = {**settings.POPCORN, "MEMBER_ARCHIVE_DAYS": 0}
    client.force_login(fan)
    assert client.get(link).status_code == 404


def test_asking_twice_prepares_one_archive_and_the_job_is_safe_to_run_twice(fan):
    first, created = services.member_archive_request(actor=fan, member=fan)
    again, created_again = services.member_archive_request(actor=fan, member=fan)
    assert created and not created_again and again.pk == first.pk
    assert services.member_archive_build(first.pk) is True
    name = MemberArchive.objects.get(pk=first.pk).file.name
    assert services.member_archive_build(first.pk) is False
    assert MemberArchive.objects.get(pk=first.pk).file.name == name


def test_old_archives_are_deleted_by_the_daily_job(fan):
    archive, _ = services.member_archive_request(actor=fan, member=fan)
    services.member_archive_build(archive.pk)
    archive.refresh_from_db()
    storage, name = archive.file.storage, archive.file.name
    MemberArchive.objects.filter(pk=archive.pk).update(
        finished_at=timezone.now() - timedelta(days=8)
    )
    assert expire_member_archives() == 1
    archive.refresh_from_db()
    assert archive.status == MemberArchive.Status.EXPIRED and not storage.exists(name)


def test_a_member_deletes_their_account_and_their_posts_stay_by_a_deleted_member(fan, fans_thread):
    browser = Client()
    assert browser.post(reverse("account_login"), {"login": "flashfan", "password": PASSWORD})
    wrong = browser.post(reverse("member_data:delete"), {"password": "nope", "confirm": "on"})
    assert wrong.status_code == 400 and "not your password" in wrong.content.decode()
    assert User.objects.get(pk=fan.pk).username == "flashfan"

    done = browser.post(reverse("member_data:delete"), {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302
    gone = User.objects.get(pk=fan.pk)
    label = f"deleted-{fan.pk}"
    assert (gone.username, gone.email, gone.display_name, gone.signature) == (label, "", "", "")
    assert not gone.is_active and gone.deleted_at and not gone.has_usable_password()
    assert not EmailAddress.objects.filter(user=fan).exists()
    # The posts stay, by the deleted member, on the thread's page too.
    assert Post.objects.filter(author=fan).count() == 2
    assert set(Post.objects.filter(author=fan).values_list("author_name", flat=True)) == {label}
    thread = Thread.objects.get(pk=fans_thread.pk)
    assert thread.author_name == label and thread.last_poster_name == label
    page = Client().get(thread.get_absolute_url()).content.decode()
    assert "flashfan" not in page and "刷机达人" not in page and label in page
    # Signed out, and the old password opens nothing.
    assert browser.get(reverse("member_data:mine")).status_code == 302
    login = Client().post(reverse("account_login"), {"login": "flashfan", "password": PASSWORD})
    assert login.status_code == 200
    # Audited under the name left behind: the log keeps no trace of the old one.
    row = AuditLog.objects.get(action=AuditLog.Action.MEMBER_DELETE)
    assert row.target_id == fan.pk and row.actor_name == label
    assert "flashfan" not in json.dumps([row.target_label, row.actor_name, row.after])


def test_staff_delete_at_a_members_request_audited_with_the_reason(client, fan, fans_thread):
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("moderation:console_member_delete", args=[fan.pk])
    client.post(url, {"reason": ""})
    assert User.objects.get(pk=fan.pk).deleted_at is None  # reason and confirmation asked
    response = client.post(url, {"reason": "Email from the member, 1 Dec", "confirm": "on"})
    assert response.status_code == 302
    assert User.objects.get(pk=fan.pk).deleted_at is not None
    row = AuditLog.objects.get(action=AuditLog.Action.MEMBER_DELETE)
    assert row.actor_id == staff.pk and row.reason == "Email from the member, 1 Dec"


def test_staff_prepare_an_archive_on_request_audited(client, fan):
    staff = StaffFactory()
    client.force_login(staff)
    client.post(reverse("moderation:console_member_archive", args=[fan.pk]))
    archive = MemberArchive.objects.get(member=fan)
    assert archive.requested_by == staff
    assert AuditLog.objects.filter(
        action=AuditLog.Action.MEMBER_ARCHIVE, actor=staff, target_id=fan.pk
    ).exists()


@pytest.mark.parametrize("who", ["member", "moderator", "staff on staff"])
def test_nobody_else_deletes_an_account(client, fan, who):
    target = StaffFactory() if who == "staff on staff" else fan
    actor = (
        StaffFactory()
        if who == "staff on staff"
        else UserFactory(is_global_moderator=(who == "moderator"))
    )
    client.force_login(actor)
    response = client.post(
        reverse("moderation:console_member_delete", args=[target.pk]),
        {"reason": "because", "confirm": "on"},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=target.pk).deleted_at is None
    assert (
        client.post(reverse("moderation:console_member_archive", args=[target.pk])).status_code
        == 403
    )
    assert not MemberArchive.objects.filter(member=target).exists()
