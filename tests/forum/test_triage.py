"""Bug and feedback triage through the services and pages: "me too" / votes, feedback
status, duplicates, releases that fix bugs, the board's sort and filters."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Notification
from forum import services
from forum.models import BugStatus, FeedbackStatus, Thread, ThreadType, ThreadVote
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import BoardFactory, DeviceFactory, StaffFactory, UserFactory, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def bug(board):
    return make_thread(board=board, thread_type=ThreadType.BUG, title="Wi-Fi drops after update")


def _count(thread) -> int:
    return Thread.objects.values_list("vote_count", flat=True).get(pk=thread.pk)


def test_me_too_records_device_and_version_and_counts_once(bug, member):
    device = DeviceFactory(codename="fuxi")
    assert services.thread_vote(
        thread=bug, user=member, device=device, firmware_version="V14.0.3.0"
    )
    assert not services.thread_vote(thread=bug, user=member, device=device)
    vote = ThreadVote.objects.get(thread=bug)
    assert (vote.user, vote.device, vote.firmware_version) == (member, device, "V14.0.3.0")
    assert _count(bug) == 1


def test_me_too_is_taken_back_once(bug, member):
    services.thread_vote(thread=bug, user=member)
    assert services.thread_unvote(thread=bug, user=member)
    assert not services.thread_unvote(thread=bug, user=member)
    assert _count(bug) == 0 and not ThreadVote.objects.exists()


@pytest.mark.parametrize("thread_type", [ThreadType.DISCUSSION, ThreadType.RELEASE])
def test_only_bug_reports_and_feedback_take_votes(board, member, thread_type):
    thread = make_thread(board=board, thread_type=thread_type)
    with pytest.raises(PermissionDenied):
        services.thread_vote(thread=thread, user=member)
    assert _count(thread) == 0


def test_the_reporter_cannot_say_me_too_on_their_own_bug(bug):
    with pytest.raises(PermissionDenied):
        services.thread_vote(thread=bug, user=bug.author)


def test_a_bad_firmware_version_is_a_field_error_and_writes_nothing(bug, member):
    with pytest.raises(ValidationError) as caught:
        services.thread_vote(thread=bug, user=member, firmware_version="x" * 41)
    assert "firmware_version" in caught.value.message_dict
    assert _count(bug) == 0 and not ThreadVote.objects.exists()


def test_sync_counters_repairs_the_vote_count(bug, member):
    services.thread_vote(thread=bug, user=member)
    Thread.objects.filter(pk=bug.pk).update(vote_count=42)
    call_command("sync_counters", board=[bug.board.slug], stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _count(bug) == 1
    Thread.objects.filter(pk=bug.pk).update(vote_count=7)
    assert services.votes_sync_all() >= 1
    assert _count(bug) == 1


# Feedback status ----------------------------------------------------------------------


def test_feedback_status_is_set_audited_and_told_and_declined_needs_a_reason(board, staff):
    feedback = make_thread(board=board, thread_type=ThreadType.FEEDBACK, title="Dark mode")
    moderation_services.thread_set_feedback_status(
        thread=feedback, actor=staff, status=FeedbackStatus.ADOPTED
    )
    feedback.refresh_from_db()
    assert feedback.feedback_status == FeedbackStatus.ADOPTED
    with pytest.raises(ValidationError):
        moderation_services.thread_set_feedback_status(
            thread=feedback, actor=staff, status=FeedbackStatus.DECLINED
        )
    moderation_services.thread_set_feedback_status(
        thread=feedback, actor=staff, status=FeedbackStatus.DECLINED, reason="Out of scope"
    )
    feedback.refresh_from_db()
    assert (feedback.feedback_status, feedback.status_reason) == ("declined", "Out of scope")
    actions = AuditLog.objects.filter(target_id=feedback.pk).values_list("action", flat=True)
    assert list(actions).count(AuditLog.Action.THREAD_FEEDBACK_STATUS) == 2
    told = Notification.objects.filter(recipient=feedback.author)
    assert {n.title_key for n in told} == {"moderation.thread_feedback_status"}


def test_feedback_status_is_for_feedback_only_and_for_moderators_only(bug, board, member, staff):
    with pytest.raises(ValidationError):
        moderation_services.thread_set_feedback_status(
            thread=bug, actor=staff, status=FeedbackStatus.PLANNED
        )
    feedback = make_thread(board=board, thread_type=ThreadType.FEEDBACK)
    with pytest.raises(PermissionDenied):
        moderation_services.thread_set_feedback_status(
            thread=feedback, actor=member, status=FeedbackStatus.PLANNED
        )


# Duplicates ---------------------------------------------------------------------------


def test_a_duplicate_is_closed_and_its_votes_move_without_double_counting(board, staff):
    original = make_thread(board=board, thread_type=ThreadType.BUG, title="Camera crash")
    duplicate = make_thread(board=board, thread_type=ThreadType.BUG, title="Camera crashes")
    both, only_dup, only_orig = UserFactory(), UserFactory(), UserFactory()
    for user in (both, only_orig):
        services.thread_vote(thread=original, user=user)
    for user in (both, only_dup, original.author):
        services.thread_vote(thread=duplicate, user=user)
    moderation_services.thread_mark_duplicate(
        thread=duplicate, original=original, actor=staff, reason="Same crash"
    )
    voters = set(ThreadVote.objects.filter(thread=original).values_list("user", flat=True))
    # both once, only_dup moved, the duplicate's reporter hit it too; the original's author
    # is not counted on their own report.
    assert voters == {both.pk, only_dup.pk, only_orig.pk, duplicate.author_id}
    assert _count(original) == 4
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of_id == original.pk and duplicate.is_locked
    assert duplicate.vote_count == 0 and not ThreadVote.objects.filter(thread=duplicate).exists()
    row = AuditLog.objects.get(action=AuditLog.Action.THREAD_DUPLICATE)
    assert row.after["duplicate_of"] == original.pk and row.after["votes_moved"] == 2
    notice = Notification.objects.get(recipient=duplicate.author)
    assert notice.title_key == "moderation.thread_duplicate"
    assert notice.title_params == {"title": duplicate.title, "target": original.title}
    with pytest.raises(PermissionDenied):  # a closed duplicate takes no more votes
        services.thread_vote(thread=duplicate, user=UserFactory())


def test_duplicates_must_be_of_one_type_and_not_of_themselves(board, bug, staff):
    feedback = make_thread(board=board, thread_type=ThreadType.FEEDBACK)
    with pytest.raises(ValidationError):
        moderation_services.thread_mark_duplicate(thread=bug, original=feedback, actor=staff)
    with pytest.raises(ValidationError):
        moderation_services.thread_mark_duplicate(thread=bug, original=bug, actor=staff)
    assert not Thread.objects.filter(duplicate_of__isnull=False).exists()


def test_a_member_cannot_mark_duplicates(board, bug, member):
    other = make_thread(board=board, thread_type=ThreadType.BUG)
    with pytest.raises(PermissionDenied):
        moderation_services.thread_mark_duplicate(thread=bug, original=other, actor=member)


def test_the_moderators_duplicate_form_closes_the_thread(client, board, bug, staff):
    original = make_thread(board=board, thread_type=ThreadType.BUG)
    client.force_login(staff)
    url = reverse("moderation:thread_action", args=[bug.pk, "duplicate"])
    response = client.post(url, {"original": original.pk, "reason": "dupe"})
    assert response.status_code == 302
    bug.refresh_from_db()
    assert bug.duplicate_of_id == original.pk
    page = client.get(bug.get_absolute_url()).content.decode()
    assert "Closed as a duplicate of" in page and original.get_absolute_url() in page
    response = client.post(
        reverse("moderation:thread_action", args=[original.pk, "duplicate"]), {"original": 0}
    )
    original.refresh_from_db()
    assert response.status_code == 302 and original.duplicate_of_id is None


# Releases -----------------------------------------------------------------------------


def test_fixed_in_a_version_links_the_release_and_tells_everyone_who_hit_it(
    board, bug, staff, django_capture_on_commit_callbacks
):
    release = make_thread(
        board=board,
        author=staff,
        thread_type=ThreadType.RELEASE,
        title="V14.0.4.0 release notes",
        firmware_version="V14.0.4.0",
    )
    hit = [UserFactory() for _ in range(3)]
    for user in hit:
        services.thread_vote(thread=bug, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.thread_set_bug_status(
            thread=bug, actor=staff, status=BugStatus.FIXED, fixed_in_version="V14.0.4.0"
        )
    bug.refresh_from_db()
    assert bug.fixed_in_release_id == release.pk
    told = Notification.objects.filter(title_key="forum.bug_fixed")
    assert {n.recipient_id for n in told} == {u.pk for u in hit}
    assert told[0].title_params == {"title": bug.title, "version": "V14.0.4.0"}
    # A redelivered task tells nobody twice.
    assert services.bug_notify_fixed(thread=bug) == 0


def test_the_release_page_lists_the_bugs_it_fixes(client, board, bug, staff):
    release = make_thread(
        board=board, author=staff, thread_type=ThreadType.RELEASE, firmware_version="V14.0.2.0"
    )
    moderation_services.thread_set_bug_status(
        thread=bug,
        actor=staff,
        status=BugStatus.FIXED,
        fixed_in_version="V14.0.3.0",
        release=release,
    )
    html = client.get(release.get_absolute_url()).content.decode()
    assert "Bugs fixed in this release" in html and bug.get_absolute_url() in html
    bug_page = client.get(bug.get_absolute_url()).content.decode()
    assert release.get_absolute_url() in bug_page


def test_only_a_release_notes_thread_can_be_named_the_release(board, bug, staff):
    other = make_thread(board=board)
    with pytest.raises(ValidationError):
        moderation_services.thread_set_bug_status(
            thread=bug,
            actor=staff,
            status=BugStatus.FIXED,
            fixed_in_version="V14.0.3.0",
            release=other,
        )


# Pages --------------------------------------------------------------------------------


def test_the_me_too_button_on_the_page_records_the_form(client, bug, member):
    device = DeviceFactory(codename="houji")
    client.force_login(member)
    html = client.get(bug.get_absolute_url()).content.decode()
    assert "Me too" in html
    response = client.post(
        reverse("forum:thread_vote", args=[bug.pk]),
        {"device": "houji", "firmware_version": "V1.0.2"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "You hit this too" in response.content.decode()
    vote = ThreadVote.objects.get(thread=bug, user=member)
    assert vote.device == device and vote.firmware_version == "V1.0.2"
    response = client.post(reverse("forum:thread_unvote", args=[bug.pk]))
    assert response.status_code == 302 and not ThreadVote.objects.exists()


def test_a_bad_device_on_the_me_too_form_is_refused_without_a_write(client, bug, member):
    client.force_login(member)
    response = client.post(reverse("forum:thread_vote", args=[bug.pk]), {"device": "nope"})
    assert response.status_code == 302 and not ThreadVote.objects.exists()


def test_the_board_sorts_by_votes_and_filters_by_status_version_and_device(client, staff):
    board = BoardFactory()
    device = DeviceFactory(codename="aurora")
    few = make_thread(board=board, thread_type=ThreadType.BUG, title="Few", device=device)
    many = make_thread(
        board=board, thread_type=ThreadType.BUG, title="Many", firmware_version="V14.0.9.0"
    )
    feedback = make_thread(board=board, thread_type=ThreadType.FEEDBACK, title="Idea")
    for user in [UserFactory() for _ in range(3)]:
        services.thread_vote(thread=many, user=user)
    services.thread_vote(thread=few, user=UserFactory())
    moderation_services.thread_set_bug_status(thread=many, actor=staff, status="confirmed")

    def titles(query):
        response = client.get(board.get_absolute_url() + query)
        return [t.title for t in response.context["page"].object_list]

    assert titles("?sort=votes") == ["Many", "Few", "Idea"]
    assert titles("?status=bug-confirmed") == ["Many"]
    assert titles("?status=bug-open&sort=votes") == ["Few"]
    assert titles("?status=feedback-new") == ["Idea"] and feedback
    assert titles("?firmware_version=V14.0.9.0") == ["Many"]
    assert titles("?device=aurora") == ["Few"]
    assert titles("?status=nonsense&sort=nonsense")  # ignored, not a 500


def test_similar_threads_are_suggested_by_title(client, board):
    make_thread(board=board, title="Bluetooth disconnects in the car", body="Every time.")
    make_thread(board=board, title="Battery drain overnight", body="Lost 30%.")
    response = client.get(reverse("forum:similar_threads"), {"title": "bluetooth car"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bluetooth disconnects in the car" in html and "Battery drain" not in html
    assert client.get(reverse("forum:similar_threads"), {"title": ""}).content.strip() == b""


def test_the_new_thread_form_asks_for_similar_threads_as_the_title_is_typed(member_client, board):
    html = member_client.get(reverse("forum:thread_create", args=[board.slug])).content.decode()
    assert f'hx-get="{reverse("forum:similar_threads")}"' in html
    assert 'hx-target="#similar-threads"' in html and 'id="similar-threads"' in html


def test_similar_threads_leave_out_boards_the_reader_cannot_see(client):
    staff_board = BoardFactory(visibility="staff")
    make_thread(board=staff_board, author=StaffFactory(), title="Secret bluetooth firmware")
    html = client.get(reverse("forum:similar_threads"), {"title": "bluetooth"}).content.decode()
    assert "Secret" not in html
