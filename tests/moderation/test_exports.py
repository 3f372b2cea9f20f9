"""Member exports: CSV that spreadsheets read right, streamed flat, large ones by a job."""

import csv
import inspect
import io
import re
import tracemalloc
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from moderation import selectors
from moderation.models import AuditLog, UserExport
from moderation.tasks import delete_old_exports, write_user_export
from tests.factories import DeviceFactory, StaffFactory, UserFactory, bulk_users

pytestmark = pytest.mark.django_db

START = reverse("moderation:console_export_start")


def _read(response) -> tuple[str, list[list[str]]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix(selectors.BOM))))


def _with_email_permission(user):
    user.user_permissions.add(
        Permission.objects.get(codename="export_emails", content_type__app_label="moderation")
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_csv_has_a_bom_chinese_names_and_no_emails_without_permission(staff_client):
    fan = UserFactory(
        username="小米发烧友", display_name="米粉老王", email="fan@example.com", reputation=1200
    )
    fan.devices.add(DeviceFactory(codename="houji", brand="Xiaomi", model="14"))
    fan.devices.add(DeviceFactory(codename="garnet", brand="Redmi", model="Note 13 Pro"))
    response = staff_client.post(START)
    assert response["Content-Type"].startswith("text/csv")
    text, rows = _read(response)
    assert text.startswith("\ufeff")
    header = rows[0]
    assert "email" not in header
    assert header[:2] == ["id", "username"] and "programs" in header
    # The columns programs read keep their places; names come after them, at the end.
    assert header[-3:] == ["core flag", "display name", "device names"]
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert "fan@example.com" not in text
    row = by_name["小米发烧友"]
    assert (row["level"], row["reputation"]) == ("Senior", "1200")
    assert sorted(row["devices"].split()) == ["garnet", "houji"]
    assert row["programs"] == "" and row["core flag"] == "no"
    assert row["display name"] == "米粉老王"
    assert sorted(row["device names"].split("; ")) == ["Redmi Note 13 Pro", "Xiaomi 14"]


def test_emails_only_with_the_permission(client, staff):
    UserFactory(email="fan@example.com")
    client.force_login(staff)
    assert client.post(START, {"emails": "1"}).status_code == 403
    assert not UserExport.objects.exists() and not AuditLog.objects.exists()
    client.force_login(_with_email_permission(staff))
    _text, rows = _read(client.post(START, {"emails": "1"}))
    assert rows[0][2] == "email"
    assert "fan@example.com" in {row[2] for row in rows[1:]}
    # Asked without the box ticked: no emails even for those who may.
    _text, rows = _read(client.post(START))
    assert "email" not in rows[0]


def test_the_export_respects_the_filter_and_is_audited(staff_client, staff):
    core = UserFactory(username="core_fan")
    User.objects.filter(pk=core.pk).update(is_core=True)
    UserFactory(username="plain_fan")
    response = staff_client.post(START + "?core=yes&sort=username")
    _text, rows = _read(response)
    assert [row[1] for row in rows[1:]] == ["core_fan"]
    log = AuditLog.objects.get(action=AuditLog.Action.USERS_EXPORT)
    assert log.actor == staff and log.target_type == "export"
    assert log.after == {
        "filter": {"core": "yes", "sort": "username"},
        "rows": 1,
        "emails": False,
        "streamed": True,
    }
    export = UserExport.objects.get(pk=log.target_id)
    assert (export.total_rows, export.streamed, export.requested_by) == (1, True, staff)


def test_invalid_filter_is_a_400_with_field_messages(staff_client):
    response = staff_client.post(START + "?reputation_min=abc")
    assert response.status_code == 400
    assert "reputation_min" in response.content.decode()
    assert not UserExport.objects.exists()


def test_cells_that_look_like_formulas_are_neutralised(staff_client):
    for name in ("=HYPERLINK(1)", "+cmd", "-2+3", "@SUM(A1)", "plain"):
        UserFactory(username=name)
    _text, rows = _read(staff_client.post(START + "?sort=username"))
    names = {row[1] for row in rows[1:]}
    assert {"'=HYPERLINK(1)", "'+cmd", "'-2+3", "'@SUM(A1)", "plain"} <= names
    assert selectors.neutralise("=1") == "'=1" and selectors.neutralise(None) == ""


def test_cells_starting_with_a_tab_or_carriage_return_are_neutralised_too(client, staff):
    # A tab or CR first, then a formula: some spreadsheets skip the blank and run the rest.
    UserFactory(username="tabbed", email="\t=HYPERLINK(1)@example.com")
    UserFactory(username="returned", email="\r+cmd@example.com")
    client.force_login(_with_email_permission(staff))
    _text, rows = _read(client.post(START + "?sort=username", {"emails": "1"}))
    emails = {row[1]: row[2] for row in rows[1:]}
    assert emails["tabbed"] == "'\t=HYPERLINK(1)@example.com"
    assert emails["returned"] == "'\r+cmd@example.com"
    assert selectors.neutralise("\tplain") == "'\tplain"


def test_the_stream_is_a_generator_reading_the_database_in_chunks(staff_client, settings):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 100}
    bulk_users(450)
    response = staff_client.post(START)
    assert inspect.isgenerator(selectors.csv_lines([], include_emails=False))
    assert not isinstance(response.streaming_content, list | tuple | bytes)
    with CaptureQueriesContext(connection) as queries:
        lines = sum(1 for _ in response.streaming_content)
    assert lines == 1 + 451  # the header, the members and the staff member
    # One devices prefetch per chunk of 100: rows arrive chunk by chunk, not all at once.
    prefetches = [q for q in queries.captured_queries if "accounts_user_devices" in q["sql"]]
    assert len(prefetches) == 5


def test_memory_stays_flat_however_many_rows():
    """30,000 rows through the CSV writer: peak memory is one row's, not the file's."""
    joined = timezone.now()

    def members(count):
        for n in range(count):
            yield SimpleNamespace(
                pk=n,
                username=f"粉丝{n}",
                display_name=f"米粉{n}",
                email=f"f{n}@example.com",
                reputation=n,
                days_active_30=n % 30,
                posts_30=n % 7,
                likes_received_30=n % 5,
                device_codes=[],
                device_names=[],
                date_joined=joined,
                last_seen_at=None,
                is_core=False,
                program_slugs=[],
            )

    tracemalloc.start()
    try:
        size = 0
        for line in selectors.csv_lines(members(30_000), include_emails=True):
            size += len(line.encode())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert size > 2_000_000  # the file is large...
    assert peak < 200_000  # ...the memory is not


def test_large_exports_are_written_by_a_job_with_progress_and_a_signed_link(
    staff_client, settings, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_STREAM_MAX_ROWS": 3, "EXPORT_CHUNK_ROWS": 2}
    for n in range(5):
        UserFactory(username=f"用户{n}")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(START)
    export = UserExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:console_export", args=[export.pk])
    assert (export.status, export.streamed, export.rows_written) == ("done", False, 6)
    assert default_storage.exists(export.file.name)

    page = staff_client.get(response["Location"])
    link = page.context["link"]
    assert link and "Download" in page.content.decode()
    download = staff_client.get(link)
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == 7 and "用户3" in {row[1] for row in rows}

    forged = reverse("moderation:console_export_download", args=[export.pk, "not-signed"])
    assert staff_client.get(forged).status_code == 403
    settings.POPCORN = {**settings.POPCORN, "EXPORT_LINK_MAX_AGE": -1}
    assert staff_client.get(link).status_code == 403  # expired


def test_the_export_page_polls_its_progress_while_the_job_writes(staff_client, staff):
    export = UserExport.objects.create(
        requested_by=staff, requested_by_name=staff.username, status="running", total_rows=200
    )
    UserExport.objects.filter(pk=export.pk).update(rows_written=50)
    progress = reverse("moderation:console_export_progress", args=[export.pk])
    response = staff_client.get(reverse("moderation:console_export", args=[export.pk]))
    html = response.content.decode()
    assert "50 / 200" in html and "(25%)" in html
    assert f'hx-get="{progress}" hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh"' in html  # without JavaScript: a reload
    assert response.context["link"] == ""


def _progress(client, export):
    response = client.get(reverse("moderation:console_export_progress", args=[export.pk]))
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_progress_fragment_polls_until_the_file_is_ready_then_offers_it(
    staff_client, staff, settings
):
    export = UserExport.objects.create(
        requested_by=staff, requested_by_name=staff.username, total_rows=4000
    )
    _response, waiting = _progress(staff_client, export)
    assert 'hx-trigger="every 2s"' in waiting and "Waiting: 0 / 4,000 (0%)" in waiting
    assert "<html" not in waiting  # a fragment, swapped in place of itself

    UserExport.objects.filter(pk=export.pk).update(status="running", rows_written=3000)
    _response, writing = _progress(staff_client, export)
    assert 'hx-trigger="every 2s"' in writing and "3,000 / 4,000 (75%)" in writing
    assert 'value="75"' in writing and "Download" not in writing

    name = default_storage.save("exports/members-test.csv", io.BytesIO(b"id\n"))
    UserExport.objects.filter(pk=export.pk).update(status="done", rows_written=4000, file=name)
    response, done = _progress(staff_client, export)
    assert "hx-trigger" not in done  # the swap that shows the link ends the polling
    assert response.context["link"] and response.context["link"] in done
    assert "Download CSV (4000 rows)" in done

    UserExport.objects.filter(pk=export.pk).update(status="failed", error="disk full")
    _response, failed = _progress(staff_client, export)
    assert "hx-trigger" not in failed and "disk full" in failed


def test_the_progress_fragment_is_for_staff_who_may_read_the_export(client, staff, member):
    export = UserExport.objects.create(requested_by_name="boss", include_emails=True)
    url = reverse("moderation:console_export_progress", args=[export.pk])
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(staff)  # staff without the email permission: this one holds emails
    assert client.get(url).status_code == 403
    client.force_login(_with_email_permission(staff))
    assert client.get(url).status_code == 200


def test_the_job_records_its_progress_as_it_goes(staff, settings):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 2}
    bulk_users(6)
    export = UserExport.objects.create(
        requested_by=staff, requested_by_name=staff.username, total_rows=7
    )
    with CaptureQueriesContext(connection) as queries:
        write_user_export(export.pk)
    export.refresh_from_db()
    assert (export.status, export.rows_written, export.total_rows) == ("done", 7, 7)
    # rows_written moved as the chunks were written, not only at the end.
    progress = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE")
        and "moderation_userexport" in q["sql"]
        and "rows_written" in q["sql"]
        and "status" not in q["sql"]
    ]
    assert [re.search(r'"rows_written" = (\d+)', sql)[1] for sql in progress] == ["2", "4", "6"]


def test_an_export_with_emails_needs_the_permission_to_read(client, staff):
    export = UserExport.objects.create(requested_by_name="boss", include_emails=True)
    client.force_login(StaffFactory())
    assert client.get(reverse("moderation:console_export", args=[export.pk])).status_code == 403


def test_old_export_files_are_deleted_after_48_hours(staff_client):
    old = UserExport.objects.create(requested_by_name="x", status="done")
    old.file.save("members-old.csv", io.BytesIO(b"id\n"), save=True)
    recent = UserExport.objects.create(requested_by_name="x", status="done")
    recent.file.save("members-new.csv", io.BytesIO(b"id\n"), save=True)
    UserExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    old_name, recent_name = old.file.name, recent.file.name
    assert delete_old_exports.delay().get() == 1
    assert not default_storage.exists(old_name) and default_storage.exists(recent_name)
    old.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
    link = reverse(
        "moderation:console_export_download", args=[old.pk, selectors.download_token(old)]
    )
    assert staff_client.get(link).status_code == 410
    assert delete_old_exports.delay().get() == 0  # idempotent


def test_program_filter_and_the_programs_column(staff_client, staff):
    from accounts import services as account_services
    from accounts.models import Program, ProgramMembership
    from moderation import services as programs

    beta = programs.program_create(
        actor=staff,
        devices=(),
        name="Xiaomi 14 closed beta 15.0",
        slug="x14-beta",
        description="",
        seats=5,
        status=Program.Status.OPEN,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=None,
    )
    tester, invited, _outsider = UserFactory(username="tester"), UserFactory(), UserFactory()
    for user in (tester, invited):
        programs.program_invite(program=beta, user=user, actor=staff)
    account_services.program_accept(
        user=tester, code=ProgramMembership.objects.get(user=tester).code
    )

    page = staff_client.get(reverse("moderation:console_members"), {"program": beta.pk})
    assert [u.username for u in page.context["page"].object_list] == ["tester"]
    assert "x14-beta" in page.content.decode()

    _text, rows = _read(staff_client.post(f"{START}?program={beta.pk}"))
    header = rows[0]
    assert [dict(zip(header, row, strict=True))["programs"] for row in rows[1:]] == ["x14-beta"]
    _text, rows = _read(staff_client.post(START))
    by_name = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    # Invited is not a member yet; only accepted memberships are listed.
    assert by_name["tester"]["programs"] == "x14-beta"
    assert by_name[invited.username]["programs"] == ""


def test_a_job_whose_filter_no_longer_holds_fails_instead_of_exporting_everyone(
    staff_client, settings, django_capture_on_commit_callbacks
):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_STREAM_MAX_ROWS": 1}
    device = DeviceFactory(codename="houji")
    for _ in range(3):
        UserFactory().devices.add(device)
    UserFactory()  # owns nothing: must never be in this export
    staff_client.post(f"{START}?device={device.pk}")  # queued, not yet run
    export = UserExport.objects.get()
    device.delete()
    assert write_user_export(export.pk) == 0
    export.refresh_from_db()
    assert export.status == UserExport.Status.FAILED
    assert "device" in export.error and not export.file


def test_the_csv_speaks_the_language_of_whoever_asked_streamed_or_by_a_job(
    staff_client, settings, django_capture_on_commit_callbacks
):
    UserFactory(username="小米发烧友", reputation=1200)
    _text, rows = _read(staff_client.post(START, HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert rows[0][:2] == ["ID", "用户名"] and rows[0][-3] == "核心用户"
    row = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[1] == "小米发烧友")
    assert (row["等级"], row["核心用户"]) == ("资深会员", "否")

    # Written later by the job, in the requester's language, not the worker's.
    settings.POPCORN = {**settings.POPCORN, "EXPORT_STREAM_MAX_ROWS": 1}
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(START, HTTP_ACCEPT_LANGUAGE="zh-CN")
    export = UserExport.objects.filter(streamed=False).get()
    with default_storage.open(export.file.name) as stored:
        first = stored.read().decode("utf-8").removeprefix(selectors.BOM).splitlines()[0]
    assert first.startswith("ID,用户名,等级,积分,")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(START, HTTP_ACCEPT_LANGUAGE="en")
    export = UserExport.objects.filter(streamed=False).latest("pk")
    with default_storage.open(export.file.name) as stored:
        first = stored.read().decode("utf-8").removeprefix(selectors.BOM).splitlines()[0]
    assert first.startswith("id,username,level,reputation,")


@pytest.mark.parametrize("sort", ["-reputation", "reputation", "username", "-days_active"])
def test_export_rows_are_paged_by_key_each_member_once_in_order(settings, sort):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 3}
    users = bulk_users(10)
    for n, user in enumerate(users):  # ties across page edges: the id breaks them
        User.objects.filter(pk=user.pk).update(reputation=n // 4)
    expected = list(selectors.members_filtered({}, sort=sort).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        exported = [user.pk for user in selectors.export_rows({}, sort)]
    assert exported == expected and len(exported) == 10
    pages = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    # Four pages of at most 3 (the last one short), each its own query with a LIMIT: no
    # cursor stays open between them (PgBouncer's transaction mode would break it).
    assert len(pages) == 4 and all("LIMIT 3" in sql for sql in pages)
    assert not any("DECLARE" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize(
    ("filters", "sort"),
    [({}, "-reputation"), ({}, "-days_active"), ({"days_active_min": 2}, "username")],
)
def test_export_rows_carry_the_30_day_figures_of_the_console(settings, filters, sort):
    from accounts.models import DailyActivity

    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 2}
    users = bulk_users(5)
    today = timezone.localdate()
    for n, user in enumerate(users):
        DailyActivity.objects.bulk_create(
            DailyActivity(user=user, day=today - timedelta(days=d), posts=1, likes_received=n)
            for d in range(n)
        )
    # An old row, outside the 30 days, counts for nothing.
    DailyActivity.objects.create(user=users[4], day=today - timedelta(days=40), posts=9)
    expected = {
        row.pk: (row.days_active_30, row.posts_30, row.likes_received_30)
        for row in selectors.members_filtered(filters, sort=sort)
    }
    order = list(selectors.members_filtered(filters, sort=sort).values_list("pk", flat=True))
    exported = list(selectors.export_rows(filters, sort))
    assert [row.pk for row in exported] == order
    assert {
        row.pk: (row.days_active_30, row.posts_30, row.likes_received_30) for row in exported
    } == expected
    assert expected[users[4].pk] == (4, 4, 16)


def test_a_key_paged_export_reads_each_page_with_four_queries(settings):
    settings.POPCORN = {**settings.POPCORN, "EXPORT_CHUNK_ROWS": 10}
    bulk_users(25)
    with CaptureQueriesContext(connection) as queries:
        rows = list(selectors.export_rows({}, "-reputation"))
    assert len(rows) == 25
    # Three pages, each: the members, their 30-day figures, devices, programs; and no
    # per-member subquery in the members' query.
    assert len(queries.captured_queries) == 3 * 4
    pages = [q["sql"] for q in queries.captured_queries if 'FROM "accounts_user"' in q["sql"]]
    assert len(pages) == 3 and not any("accounts_dailyactivity" in sql for sql in pages)
