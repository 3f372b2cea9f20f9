"""Files on posts: checked by content, re-encoded, stored with the post or not at all."""

import re
import zipfile
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from forum import services
from forum.attachments import clean_upload
from forum.models import Attachment, Board, Post, Thread
from tests.factories import BoardFactory, UserFactory, long_thread, make_thread
from tests.forum.test_query_counts import THREAD_PAGE_ANON

pytestmark = pytest.mark.django_db

PE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    # Changing STORAGES makes Django build a new, empty InMemoryStorage.
    settings.STORAGES = {**settings.STORAGES}
    return storages["attachments"]


def _stored_files(path="attachments") -> list[str]:
    try:
        dirs, files = storages["attachments"].listdir(path)
    except FileNotFoundError:
        return []
    return [f"{path}/{f}" for f in files] + [
        name for d in dirs for name in _stored_files(f"{path}/{d}")
    ]


def _image(fmt="PNG", size=(800, 600), mode="RGB") -> bytes:
    """An image carrying camera make and GPS position, as a phone photo would."""
    buffer = BytesIO()
    image = Image.new(mode, size, (255, 105, 0) if mode == "RGB" else 3)
    if fmt == "GIF":
        image.save(buffer, format=fmt, comment=b"shot at home")
    else:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "SecretCam"
        exif[ExifTags.Base.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (39.0, 54.0, 27.0),
        }
        image.save(buffer, format=fmt, exif=exif)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(name, content, content_type="application/octet-stream"):
    # The browser's content type is deliberately wrong: it must never matter.
    return SimpleUploadedFile(name, content, content_type)


def _open_stored(attachment) -> Image.Image:
    with attachment.file.open("rb") as stored:
        image = Image.open(BytesIO(stored.read()))
        image.load()
    return image


def _assert_nothing_written(thread, board):
    """No post, no attachment row, no stored file, counters as they were."""
    thread.refresh_from_db()
    board.refresh_from_db()
    assert Post.objects.filter(thread=thread).count() == 1
    assert not Attachment.objects.exists()
    assert _stored_files() == []
    assert (thread.last_floor, thread.reply_count) == (1, 0)
    assert board.post_count == 1


# Images ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "content_type"),
    [
        ("shot.png", "PNG", "image/png"),
        ("photo.jpg", "JPEG", "image/jpeg"),
        ("photo.jpeg", "JPEG", "image/jpeg"),
        ("shot.webp", "WEBP", "image/webp"),
        ("boot.gif", "GIF", "image/gif"),
    ],
)
def test_images_are_re_encoded_without_metadata_and_scaled_down(
    settings, board, member, name, fmt, content_type
):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENT_IMAGE_MAX_PIXELS": 200}
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread,
        author=member,
        body="Screenshot attached",
        attachments=[_upload(name, _image(fmt, size=(800, 600)))],
    )
    attachment = post.attachments.get()
    assert attachment.kind == Attachment.Kind.IMAGE
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.uploader == member
    assert (attachment.width, attachment.height) == (200, 150)
    assert name not in attachment.file.name  # stored under a random name

    stored = _open_stored(attachment)
    assert stored.format == fmt
    assert stored.size == (200, 150)
    assert not stored.getexif()  # camera make and GPS position gone
    assert "exif" not in stored.info and "comment" not in stored.info
    assert attachment.size == storages["attachments"].size(attachment.file.name)


def test_small_images_keep_their_size(member, board):
    cleaned = clean_upload(_upload("small.png", _image("PNG", size=(64, 48))))
    assert (cleaned.width, cleaned.height) == (64, 48)


def test_a_sideways_phone_photo_is_turned_upright_before_its_exif_is_dropped():
    buffer = BytesIO()
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° to display"
    Image.new("RGB", (40, 20)).save(buffer, format="JPEG", exif=exif)
    cleaned = clean_upload(_upload("portrait.jpg", buffer.getvalue()))
    assert (cleaned.width, cleaned.height) == (20, 40)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@pytest.mark.parametrize("exif", [b"Exif\x00\x00garbage", b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"])
def test_a_photo_with_broken_exif_is_cleaned_not_crashed_on(exif):
    buffer = BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="JPEG", exif=exif)
    cleaned = clean_upload(_upload("broken.jpg", buffer.getvalue()))
    assert not Image.open(cleaned.content).getexif()


def test_animated_gifs_keep_only_their_first_frame():
    buffer = BytesIO()
    frames = [Image.new("RGB", (30, 30), colour) for colour in ("red", "green", "blue")]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(BytesIO(buffer.getvalue())).n_frames == 3
    cleaned = clean_upload(_upload("anim.gif", buffer.getvalue()))
    assert Image.open(cleaned.content).n_frames == 1


def test_a_jpeg_named_png_is_stored_as_the_jpeg_it_is(member, board):
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread,
        author=member,
        body="x",
        attachments=[_upload("mislabelled.png", _image("JPEG"))],
    )
    attachment = post.attachments.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.png", PE_HEADER + b"This program cannot be run in DOS mode."),
        ("screen.png", ELF_HEADER),
        ("screen.jpg", b"GIF89a but not really"),
        ("vector.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>x</script></svg>"),
        ("truncated.png", _image("PNG")[:200]),
    ],
)
def test_files_named_as_images_that_are_not_images_are_refused(member, board, name, content):
    thread = make_thread(board=board)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(
            thread=thread, author=member, body="look", attachments=[_upload(name, content)]
        )
    assert name in str(excinfo.value.message_dict["attachments"])
    _assert_nothing_written(thread, board)


def test_an_executable_is_called_a_program(member):
    with pytest.raises(ValidationError, match="is a program"):
        clean_upload(_upload("setup.png", PE_HEADER))
    with pytest.raises(ValidationError, match="is a program"):
        clean_upload(_upload("busybox.log", ELF_HEADER))


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "icon.svg", "shot.bmp", "noextension"])
def test_types_outside_the_allow_list_are_refused_whatever_they_contain(name):
    with pytest.raises(ValidationError, match="cannot be attached"):
        clean_upload(_upload(name, _image("PNG")))


def test_an_oversize_image_is_refused_with_its_size_and_nothing_is_written(settings, member, board):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENT_IMAGE_MAX_BYTES": 1000}
    thread = make_thread(board=board)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(
            thread=thread,
            author=member,
            body="big one",
            attachments=[
                _upload("fine.txt", b"small log"),
                _upload("huge.png", _image("PNG", size=(400, 400), mode="RGB") + b"\x00" * 2000),
            ],
        )
    message = str(excinfo.value.message_dict["attachments"])
    assert "huge.png" in message and "at most 1000" in message
    assert "fine.txt" not in message
    _assert_nothing_written(thread, board)


@pytest.mark.parametrize("side", [8_100, 12_000])  # 65.6 and 144 megapixels, a few KB each
def test_an_image_declaring_enormous_dimensions_is_refused_before_decoding(side):
    buffer = BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    with pytest.raises(ValidationError, match=re.escape("“bomb.png” is too large an image")):
        clean_upload(_upload("bomb.png", buffer.getvalue()))


# Logs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "charset"),
    [
        (b"E/AndroidRuntime: FATAL EXCEPTION: main\n\tat com.miui.home\n", "utf-8"),
        ("\x1b[31mE\x1b[0m 相机崩溃 日志\r\n".encode("gb18030"), "gb18030"),
    ],
)
def test_text_logs_in_utf8_or_gb18030_are_accepted_as_uploaded(member, board, content, charset):
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread, author=member, body="log", attachments=[_upload("logcat.log", content)]
    )
    attachment = post.attachments.get()
    assert attachment.kind == Attachment.Kind.LOG
    assert attachment.content_type == f"text/plain; charset={charset}"
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # an image
        b"hello\x00world",  # a NUL byte
        bytes(range(1, 32)) * 50,  # control characters only
        b"\xff\xfe\x80\x80 not valid in any encoding we take",
        _zip({"a.txt": b"a"}),  # a zip named .txt
    ],
)
def test_a_txt_with_binary_content_is_refused(member, board, content):
    thread = make_thread(board=board)
    with pytest.raises(ValidationError, match="is not a text log"):
        services.post_reply(
            thread=thread, author=member, body="log", attachments=[_upload("dump.txt", content)]
        )
    _assert_nothing_written(thread, board)


def test_an_oversize_log_is_refused_and_nothing_is_written(settings, member, board):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENT_LOG_MAX_BYTES": 2048}
    thread = make_thread(board=board)
    with pytest.raises(ValidationError) as excinfo:
        services.post_reply(
            thread=thread,
            author=member,
            body="log",
            attachments=[_upload("bugreport.txt", b"line\n" * 1000)],
        )
    message = " ".join(excinfo.value.message_dict["attachments"])
    assert "bugreport.txt" in message and "at most 2.0\xa0KB" in message
    _assert_nothing_written(thread, board)


def test_a_zip_of_logs_is_accepted(member, board):
    thread = make_thread(board=board)
    content = _zip({"logcat.txt": b"I/boot: ok\n" * 500, "dmesg/kernel.log": b"[0.0] hi\n"})
    post = services.post_reply(
        thread=thread, author=member, body="logs", attachments=[_upload("logs.zip", content)]
    )
    attachment = post.attachments.get()
    assert (attachment.kind, attachment.content_type) == ("log", "application/zip")
    with attachment.file.open("rb") as stored:
        assert zipfile.ZipFile(BytesIO(stored.read())).namelist() == [
            "logcat.txt",
            "dmesg/kernel.log",
        ]


def _encrypted_zip() -> bytes:
    data = bytearray(_zip({"secret.txt": b"x" * 100}))
    # Set the "encrypted" flag in the local header and the central directory.
    data[6] |= 0x1
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    return bytes(data)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not an archive", "is not a ZIP archive"),
        (_image("PNG"), "is not a ZIP archive"),
        (_image("PNG") + _zip({"a.txt": b"a"}), "is not a ZIP archive"),  # zip glued on
        (_encrypted_zip(), "password-protected"),
        (_zip({"zeros.log": b"\x00" * (3 * 1024 * 1024)}), "compressed too tightly"),
        (_zip({"../../etc/passwd": b"root"}), "unsafe paths"),
        (_zip({}), "empty archive"),
    ],
)
def test_bad_zips_are_refused(member, board, content, message):
    thread = make_thread(board=board)
    with pytest.raises(ValidationError, match=message):
        services.post_reply(
            thread=thread, author=member, body="logs", attachments=[_upload("logs.zip", content)]
        )
    _assert_nothing_written(thread, board)


def test_a_zip_that_unpacks_past_the_cap_is_refused(settings):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENT_ZIP_MAX_UNCOMPRESSED_BYTES": 10_000}
    content = _zip({f"part{i}.log": bytes(range(256)) * 20 for i in range(3)})
    with pytest.raises(ValidationError, match="unpacks to"):
        clean_upload(_upload("logs.zip", content))


def test_a_zip_whose_data_does_not_match_its_checksum_is_refused():
    data = bytearray(_zip({"log.txt": b"I/boot: fine\n" * 100}))
    data[data.index(b"PK\x01\x02") - 5] ^= 0xFF  # flip a byte of compressed data
    with pytest.raises(ValidationError, match="damaged ZIP"):
        clean_upload(_upload("logs.zip", bytes(data)))


def test_an_empty_file_is_refused_by_name():
    with pytest.raises(ValidationError, match=re.escape("“empty.log” is empty")):
        clean_upload(_upload("empty.log", b""))


# A post's files --------------------------------------------------------------


def test_a_thread_starts_with_several_files_on_its_opening_post(member, board):
    thread = services.thread_create(
        board=board,
        author=member,
        title="Camera crash",
        body="Screens and log attached",
        attachments=[
            _upload("one.png", _image("PNG")),
            _upload("two.jpg", _image("JPEG")),
            _upload("logcat.txt", b"E/Camera: crash\n"),
        ],
    )
    opening = thread.posts.get()
    assert sorted(opening.attachments.values_list("original_name", flat=True)) == [
        "logcat.txt",
        "one.png",
        "two.jpg",
    ]
    assert len(_stored_files()) == 3


def test_too_many_files_are_refused(settings, member, board):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENTS_PER_POST": 2}
    thread = make_thread(board=board)
    with pytest.raises(ValidationError, match="at most 2 files"):
        services.post_reply(
            thread=thread,
            author=member,
            body="many",
            attachments=[_upload(f"{i}.txt", b"log") for i in range(3)],
        )
    _assert_nothing_written(thread, board)


def test_a_refused_thread_writes_no_thread_and_no_file(member, board):
    with pytest.raises(ValidationError):
        services.thread_create(
            board=board,
            author=member,
            title="Look",
            body="see",
            attachments=[_upload("ok.png", _image("PNG")), _upload("bad.png", PE_HEADER)],
        )
    assert not Thread.objects.exists() and not Attachment.objects.exists()
    assert _stored_files() == []
    board.refresh_from_db()
    assert (board.thread_count, board.post_count) == (0, 0)


def test_stored_files_are_removed_when_the_post_cannot_be_written(member, board):
    thread = make_thread(board=board)
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)  # locked after it was loaded
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.post_reply(
            thread=thread, author=member, body="hi", attachments=[_upload("a.txt", b"log")]
        )
    assert _stored_files() == [] and not Attachment.objects.exists()


# Over HTTP --------------------------------------------------------------------


def test_reply_with_files_over_http_shows_thumbnail_and_download_link(member_client, board):
    thread = make_thread(board=board)
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]),
        {
            "body": "Here are my files",
            "attachments": [
                _upload("screen.png", _image("PNG", size=(300, 200)), "image/png"),
                _upload("logcat.log", b"E/Camera: crash\n" * 100, "text/plain"),
            ],
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(thread=thread, floor=2)
    image, log = post.attachments.order_by("kind")
    page = member_client.get(thread.get_absolute_url()).content.decode()
    assert f'<img src="{reverse("forum:attachment", args=[image.pk])}"' in page
    assert 'alt="screen.png"' in page
    assert reverse("forum:attachment", args=[log.pk]) in page
    assert "logcat.log" in page and "1.6\xa0KB" in page


def test_new_thread_form_takes_files(member_client, board):
    response = member_client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {
            "title": "Bootloop after update",
            "thread_type": "bug",
            "body": "Log attached",
            "attachments": [_upload("boot.txt", b"init: starting\n")],
        },
    )
    assert response.status_code == 302
    assert Thread.objects.get().posts.get().attachments.get().original_name == "boot.txt"


def test_new_thread_form_shows_a_rejected_file_and_keeps_the_text(member_client, board):
    response = member_client.post(
        reverse("forum:thread_create", args=[board.slug]),
        {
            "title": "My careful title",
            "thread_type": "bug",
            "body": "My careful bug report",
            "attachments": [_upload("photo.png", ELF_HEADER, "image/png")],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "photo.png" in str(response.context["form"].errors["attachments"])
    assert "My careful title" in html and "My careful bug report" in html
    assert not Thread.objects.exists() and _stored_files() == []


@pytest.mark.parametrize("htmx", [False, True])
def test_a_rejected_file_keeps_the_reply_text_in_the_form(member_client, board, htmx):
    thread = make_thread(board=board)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]),
        {
            "body": "Three paragraphs I do not want to type again",
            "attachments": [_upload("crash.txt", b"\x00\x01binary", "text/plain")],
        },
        **headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Three paragraphs I do not want to type again" in html
    assert "crash.txt" in html and "is not a text log" in html
    assert Post.objects.count() == 1 and not Attachment.objects.exists()


def test_too_many_files_over_http_is_a_form_error(settings, member_client, board):
    settings.POPCORN = {**settings.POPCORN, "ATTACHMENTS_PER_POST": 1}
    thread = make_thread(board=board)
    response = member_client.post(
        reverse("forum:reply", args=[thread.pk]),
        {"body": "two logs", "attachments": [_upload("a.txt", b"a"), _upload("b.txt", b"b")]},
    )
    assert "at most 1 file to a post" in str(response.context["reply_form"].errors["attachments"])
    assert Post.objects.count() == 1


def test_logs_download_as_text_attachments(client, member, board):
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread,
        author=member,
        body="log",
        attachments=[_upload("<b>相机</b>.log", b"<script>alert(1)</script>\n", "text/html")],
    )
    response = client.get(reverse("forum:attachment", args=[post.attachments.get().pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>\n"


def test_zip_downloads_as_application_zip(client, member, board):
    thread = make_thread(board=board)
    post = services.post_reply(
        thread=thread, author=member, body="z", attachments=[_upload("l.zip", _zip({"a": b"a"}))]
    )
    response = client.get(reverse("forum:attachment", args=[post.attachments.get().pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="l.zip"'


def test_attachments_of_hidden_posts_and_private_boards_are_not_downloadable(client, member):
    private = BoardFactory(visibility=Board.Visibility.STAFF)
    staff_thread = make_thread(board=private, author=UserFactory(is_staff=True))
    staff_post = services.post_reply(
        thread=staff_thread,
        author=staff_thread.author,
        body="internal",
        attachments=[_upload("internal.log", b"secret")],
    )
    open_thread = make_thread(board=BoardFactory())
    author = UserFactory()
    hidden = services.post_reply(
        thread=open_thread, author=author, body="x", attachments=[_upload("x.log", b"x")]
    )
    Post.objects.filter(pk=hidden.pk).update(is_hidden=True)
    download = reverse("forum:attachment", args=[hidden.attachments.get().pk])

    client.force_login(member)
    assert (
        client.get(reverse("forum:attachment", args=[staff_post.attachments.get().pk])).status_code
        == 403
    )
    assert client.get(download).status_code == 404
    assert "x.log" not in client.get(open_thread.get_absolute_url()).content.decode()
    # Its author still sees the hidden post, marked hidden, and may download its log.
    client.force_login(author)
    assert "x.log" in client.get(open_thread.get_absolute_url()).content.decode()
    assert client.get(download).status_code == 200


def test_thread_page_queries_do_not_grow_with_attachments(client, django_assert_num_queries):
    plain = long_thread(BoardFactory(), 20)
    with_files = long_thread(BoardFactory(), 20)
    Attachment.objects.bulk_create(
        Attachment(
            post=post,
            file=f"attachments/2026/01/{post.pk}-{n}.png",
            kind=Attachment.Kind.IMAGE if n % 2 else Attachment.Kind.LOG,
            original_name=f"file-{post.floor}-{n}.png",
            content_type="image/png",
            size=1000,
            width=10,
            height=10,
        )
        for post in with_files.posts.all()
        for n in range(3)
    )
    with django_assert_num_queries(THREAD_PAGE_ANON):
        client.get(plain.get_absolute_url())
    with django_assert_num_queries(THREAD_PAGE_ANON):
        html = client.get(with_files.get_absolute_url()).content.decode()
    assert html.count('class="attachment ') == 60
