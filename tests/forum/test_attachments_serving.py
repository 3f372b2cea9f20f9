"""How attachments leave the server: only through the permission check, never at a
public address; from this process, through the proxy (X-Accel-Redirect), or from an
S3 bucket by a signed URL that expires."""

from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from forum import services
from forum.models import Attachment, Board
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db

S3_ATTACHMENTS = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": "popcorn-test",
        # Signing a URL is local arithmetic: nothing listens here, nothing is asked.
        "endpoint_url": "http://127.0.0.1:9",
        "region_name": "us-east-1",
        "signature_version": "s3v4",
        "access_key": "test-access-key",
        "secret_key": "test-secret-key",
        "location": "private",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
    },
}


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def staff_image():
    """An image in a staff-only board, posted the only way posts are made."""
    staff = StaffFactory()
    thread = make_thread(board=BoardFactory(visibility=Board.Visibility.STAFF), author=staff)
    post = services.post_reply(
        thread=thread,
        author=staff,
        body="screenshot",
        attachments=[SimpleUploadedFile("shot.png", _png(), "image/png")],
    )
    return post.attachments.get()


def test_an_image_goes_out_only_after_the_permission_check(client, staff_image):
    url = reverse("forum:attachment", args=[staff_image.pk])
    assert client.get(url).status_code in (302, 403)  # anonymous: sign in, or refused
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403

    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="shot.png"'
    # Never into a shared cache: the next reader may not be allowed.
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_page_links_images_through_the_check_not_to_storage(client, staff_image):
    client.force_login(StaffFactory())
    page = client.get(staff_image.post.thread.get_absolute_url()).content.decode()
    assert f'src="{reverse("forum:attachment", args=[staff_image.pk])}"' in page
    assert staff_image.file.name not in page


def test_behind_the_proxy_the_file_is_handed_to_its_internal_location(
    client, settings, staff_image
):
    settings.ATTACHMENTS_ACCEL_PREFIX = "/_attachments/"
    client.force_login(StaffFactory())
    response = client.get(reverse("forum:attachment", args=[staff_image.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_attachments/{staff_image.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, max-age=3600"

    client.force_login(UserFactory())
    refused = client.get(reverse("forum:attachment", args=[staff_image.pk]))
    assert refused.status_code == 403 and "X-Accel-Redirect" not in refused


def test_from_an_s3_bucket_a_reader_is_sent_to_a_signed_url_that_expires(client, settings):
    settings.STORAGES = {**settings.STORAGES, "attachments": S3_ATTACHMENTS}
    staff = StaffFactory()
    thread = make_thread(board=BoardFactory(visibility=Board.Visibility.STAFF), author=staff)
    post = services.post_reply(thread=thread, author=staff, body="see the log")
    log = Attachment.objects.create(
        post=post,
        uploader=staff,
        file="attachments/2026/12/0123abcd.log",
        kind=Attachment.Kind.LOG,
        original_name="相机.log",
        content_type="text/plain; charset=utf-8",
        size=10,
    )
    url = reverse("forum:attachment", args=[log.pk])

    client.force_login(UserFactory())
    assert client.get(url).status_code == 403

    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/popcorn-test/private/attachments/2026/12/0123abcd.log"
    query = parse_qs(location.query)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    assert query["response-content-type"] == ["text/plain; charset=utf-8"]
    assert query["response-content-disposition"][0].startswith("attachment;")


def test_a_bucket_in_the_environment_moves_uploads_to_s3():
    """The production settings read S3_* (a fresh process: settings load once)."""
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "settings-test-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
        "ALLOWED_HOSTS": "forum.example.com",
        "SITE_URL": "https://forum.example.com",
        "S3_BUCKET": "fans-uploads",
        "S3_ENDPOINT_URL": "https://s3.example.com",
        "ATTACHMENT_URL_SECONDS": "120",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES, default=str))"
    )
    out = subprocess.run(  # noqa: S603 (this interpreter, our own code)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    stores = json.loads(out.stdout.strip().splitlines()[-1])
    avatars, attachments = stores["default"], stores["attachments"]
    assert avatars["BACKEND"] == attachments["BACKEND"] == "storages.backends.s3.S3Storage"
    assert avatars["OPTIONS"]["querystring_auth"] is False  # avatars: public links
    assert attachments["OPTIONS"]["querystring_auth"] is True
    assert attachments["OPTIONS"]["querystring_expire"] == 120
    assert attachments["OPTIONS"]["default_acl"] == "private"
    assert attachments["OPTIONS"]["bucket_name"] == "fans-uploads"
