from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import DeviceFactory

pytestmark = pytest.mark.django_db


def _image(fmt="PNG", size=(800, 600), exif=False) -> bytes:
    buffer = BytesIO()
    image = Image.new("RGB", size, (255, 105, 0))
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        kwargs["exif"] = data
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def test_member_edits_name_signature_devices_and_avatar(member_client, member):
    houji = DeviceFactory(codename="houji")
    DeviceFactory(codename="aurora")
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "橙色小米",
            "signature": "Flashing since MIUI 6",
            "devices": [houji.pk],
            "avatar": SimpleUploadedFile("me.jpg", _image("JPEG", exif=True), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "橙色小米"
    assert list(member.devices.values_list("codename", flat=True)) == ["houji"]
    with member.avatar.open("rb") as stored:
        avatar = Image.open(stored)
        avatar.load()
    assert max(avatar.size) == 256  # scaled down
    assert not avatar.getexif()  # camera metadata stripped

    profile = member_client.get(member.get_absolute_url()).content.decode()
    assert "橙色小米" in profile and "Flashing since MIUI 6" in profile


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("avatar.png", b"MZ\x90\x00this is really an executable"),
        ("avatar.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("avatar.bmp", None),
    ],
)
def test_avatars_are_checked_by_content_not_name(member_client, member, name, content):
    if content is None:
        content = _image("BMP")
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "kept", "avatar": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    assert 'value="kept"' in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar and member.display_name == ""


def test_oversize_avatar_is_refused(member_client, member, settings):
    settings.POPCORN = {**settings.POPCORN, "AVATAR_MAX_BYTES": 1000}
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"avatar": SimpleUploadedFile("big.png", _image(size=(400, 400)))},
    )
    assert "at most" in str(response.context["form"].errors["avatar"])
    member.refresh_from_db()
    assert not member.avatar


def test_profile_edit_needs_sign_in(client):
    response = client.get(reverse("accounts:profile_edit"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
