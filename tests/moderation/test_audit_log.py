"""The audit log is append-only (model, queryset and admin) and each moderator reads
only the rows of the boards they moderate; its page costs a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation import services
from moderation.models import AppendOnlyError, AuditLog
from tests.factories import StaffFactory, make_thread
from tests.moderation.world import thread_action_url

pytestmark = pytest.mark.django_db

LOG = reverse("moderation:log")


def _shown(response) -> set[tuple[str, str]]:
    return {(row.action, row.target_label) for row in response.context["page"].object_list}


@pytest.fixture
def acted(client, world):
    """One lock in A (by mod_a), one in B (by mod_b)."""
    thread_b = make_thread(board=world.board_b, author=world.member, title="Redmi thread")
    client.force_login(world.mod_a)
    client.post(thread_action_url(world.thread, "lock"), {"reason": "Heated"})
    client.force_login(world.mod_b)
    client.post(thread_action_url(thread_b, "lock"), {})
    client.logout()
    return thread_b


def test_staff_read_every_row(client, world, acted):
    client.force_login(world.staff)
    shown = _shown(client.get(LOG))
    assert ("thread_lock", world.thread.title) in shown and ("thread_lock", acted.title) in shown
    assert ("moderator_add", "section_mod") in shown  # a section role has no board


def test_a_board_moderator_reads_only_their_boards_rows(client, world, acted):
    client.force_login(world.mod_a)
    shown = _shown(client.get(LOG))
    assert ("thread_lock", world.thread.title) in shown
    assert ("thread_lock", acted.title) not in shown
    assert ("moderator_add", "mod_b") not in shown and ("moderator_add", "section_mod") not in shown
    html = client.get(LOG).content.decode()
    assert world.board_b.name not in html  # not even in the board filter


def test_a_global_moderator_reads_every_boards_rows(client, world, acted):
    client.force_login(world.global_mod)
    shown = _shown(client.get(LOG))
    assert ("thread_lock", world.thread.title) in shown and ("thread_lock", acted.title) in shown
    assert ("moderator_add", "section_mod") not in shown


def test_members_get_403_and_anonymous_the_sign_in_page(client, world):
    assert client.get(LOG)["Location"].startswith(reverse("account_login"))
    client.force_login(world.member)
    assert client.get(LOG).status_code == 403


def test_the_log_filters_by_moderator_action_board_and_date(client, world, acted):
    old = AuditLog.objects.create(
        actor=world.mod_a,
        actor_name="mod_a",
        action="thread_feature",
        target_type="thread",
        target_id=world.thread.pk,
        target_label="Last month",
        board=world.board_a,
        created_at=timezone.now() - timedelta(days=30),
    )
    client.force_login(world.staff)
    assert _shown(client.get(LOG, {"actor": "mod_b"})) == {("thread_lock", acted.title)}
    by_action = _shown(client.get(LOG, {"action": "thread_feature"}))
    assert by_action == {("thread_feature", "Last month")}
    by_board = _shown(client.get(LOG, {"board": world.board_b.pk}))
    assert ("thread_lock", acted.title) in by_board
    assert ("thread_lock", world.thread.title) not in by_board
    day = timezone.localdate(old.created_at).isoformat()
    assert _shown(client.get(LOG, {"date_from": day, "date_to": day})) == {
        ("thread_feature", "Last month")
    }
    recent = _shown(client.get(LOG, {"date_from": timezone.localdate().isoformat()}))
    assert ("thread_feature", "Last month") not in recent and recent


def test_rows_keep_who_what_where_why_and_from_which_address(client, world, acted):
    row = AuditLog.objects.get(action="thread_lock", target_id=world.thread.pk)
    assert (row.actor_id, row.actor_name) == (world.mod_a.pk, "mod_a")
    assert row.board_id == world.board_a.pk
    assert (row.reason, row.ip) == ("Heated", "127.0.0.1")
    assert (row.before, row.after) == ({"is_locked": False}, {"is_locked": True})
    assert row.target_label == world.thread.title


def test_the_model_refuses_to_change_or_delete_a_row(world):
    row = AuditLog.objects.filter(action="moderator_add").first()
    row.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=row.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=row.pk).reason == ""


def test_deleting_a_moderators_account_keeps_their_rows_and_name(world):
    services.moderator_add(user=world.member, board=world.board_b, actor=world.staff)
    count = AuditLog.objects.count()
    world.staff.delete()
    assert AuditLog.objects.count() == count
    row = AuditLog.objects.filter(action="moderator_add").last()
    assert row.actor_id is None and row.actor_name == "boss"


def test_the_admin_cannot_add_change_or_delete_rows(client, world):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    row = AuditLog.objects.first()
    change = reverse("admin:moderation_auditlog_change", args=[row.pk])
    delete = reverse("admin:moderation_auditlog_delete", args=[row.pk])

    assert client.get(reverse("admin:moderation_auditlog_changelist")).status_code == 200
    assert client.get(change).status_code == 403
    assert client.post(change, {"reason": "rewritten", "action": row.action}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:moderation_auditlog_add")).status_code == 403
    bulk = client.post(
        reverse("admin:moderation_auditlog_changelist"),
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditLog.objects.filter(pk=row.pk, reason="").exists()


def test_appointing_a_moderator_in_the_admin_is_audited(client, world):
    admin = StaffFactory(is_superuser=True, username="root")
    client.force_login(admin)
    data = {"board": world.board_b.pk, "user": world.member.pk}
    response = client.post(reverse("admin:forum_boardmoderator_add"), data)
    assert response.status_code == 302
    row = AuditLog.objects.get(action="moderator_add", target_id=world.member.pk)
    assert (row.actor_name, row.board_id) == ("root", world.board_b.pk)


def _fill_log(board, actor, rows: int) -> None:
    for n in range(rows):
        services.audit_record(
            actor=actor,
            action=AuditLog.Action.THREAD_LOCK,
            target_type=AuditLog.TargetType.THREAD,
            target_id=n + 1,
            target_label=f"Thread {n}",
            board_id=board.pk,
            before={"is_locked": False},
            after={"is_locked": True},
            ip="10.0.0.1",
        )


# session + user (2) + the filter's board list (1) + COUNT (1) + the page with boards (1)
LOG_PAGE_STAFF = 5
# a moderator adds the boards they moderate (1)
LOG_PAGE_MODERATOR = 6


@pytest.mark.parametrize("rows", [5, 50])
def test_log_page_queries_do_not_grow_with_rows(client, world, django_assert_num_queries, rows):
    _fill_log(world.board_a, world.mod_a, rows)
    client.force_login(world.staff)
    with django_assert_num_queries(LOG_PAGE_STAFF):
        response = client.get(LOG)
    assert len(response.context["page"].object_list) == min(rows + 4, 50)
    client.force_login(world.mod_a)
    with django_assert_num_queries(LOG_PAGE_MODERATOR):
        response = client.get(LOG)
    assert len(response.context["page"].object_list) == min(rows + 2, 50)
