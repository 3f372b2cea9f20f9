"""Applying to programmes over the API: the member's form, quiz and application, the
staff's rules, list with reasons, accept and reject; errors by field; query counts."""

import pytest
from django.utils import timezone

from accounts.models import ApplicationState, Program, ProgramApplication, ProgramMembership
from moderation.models import AuditLog
from tests.accounts.programs_apply_world import QUIZ, answers_for, apply, open_program, quiz_for
from tests.accounts.programs_world import make_program
from tests.api.conftest import token_client
from tests.api.roles import TOKEN_AUTH_QUERIES
from tests.factories import StaffFactory, UserFactory, bulk_users

pytestmark = pytest.mark.django_db


def _body(program, user, **overrides):
    return {
        "answers": {str(k): v for k, v in answers_for(program).items()},
        "quiz": {str(k): v for k, v in quiz_for(program, user).items()},
        **overrides,
    }


def test_a_member_reads_the_form_and_applies():
    program = open_program(program={"min_reputation": 5})
    user = UserFactory(reputation=9)
    api = token_client(user)
    listed = api.get("/api/v1/programs/open/").json()["results"]
    assert [p["id"] for p in listed] == [program.pk] and listed[0]["quiz_per_day"] == 3
    form = api.get(f"/api/v1/programs/{program.pk}/application-form/").json()
    assert form["can_apply"] and len(form["quiz"]) == 3 and len(form["questions"]) == 2
    assert "answer" not in form["quiz"][0]  # the right answer is never shown
    assert form["criteria"][0] | {"passed": True} == form["criteria"][0]
    response = api.post(
        f"/api/v1/programs/{program.pk}/apply/", _body(program, user), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "pending" and response.json()["quiz_correct"] == 3
    again = api.post(f"/api/v1/programs/{program.pk}/apply/", _body(program, user), format="json")
    assert again.status_code == 409
    mine = api.get("/api/v1/programs/applications/").json()["results"]
    assert [a["state"] for a in mine] == ["pending"]
    assert api.get(f"/api/v1/programs/{program.pk}/application-form/").json()["can_apply"] is True


def test_bad_applications_are_400s_by_field_and_write_nothing():
    program = open_program()
    user = UserFactory()
    api = token_client(user)
    body = _body(program, user)
    first = next(iter(body["answers"]))
    body["answers"][first] = ""
    response = api.post(f"/api/v1/programs/{program.pk}/apply/", body, format="json")
    assert response.status_code == 400
    assert f"question_{first}" in str(response.json())
    response = api.post(
        f"/api/v1/programs/{program.pk}/apply/", {"answers": {"x": "y"}, "quiz": {}}, format="json"
    )
    assert response.status_code == 400
    assert not ProgramApplication.objects.exists()
    closed = make_program()
    assert api.post(f"/api/v1/programs/{closed.pk}/apply/", {}, format="json").status_code == 404


def test_staff_set_rules_and_decide_with_audit():
    staff = StaffFactory()
    api = token_client(staff)
    program = make_program(seats=1)
    url = f"/api/v1/staff/programs/{program.pk}/application-rules/"
    assert api.get(url).json()["accepting_applications"] is False
    bad = api.put(url, {"quiz_per_day": 2, "quiz_pass_mark": 3}, format="json")
    assert bad.status_code == 400 and "quiz_pass_mark" in bad.content.decode()
    body = {
        "accepting_applications": True,
        "quiz_per_day": 3,
        "quiz_pass_mark": 2,
        "questions": ["Why?"],
        "quiz": QUIZ,
    }
    response = api.put(url, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["questions"] == ["Why?"] and len(response.json()["quiz"]) == 8
    assert AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_APPLY_RULES).exists()

    program.refresh_from_db()
    first, second = apply(program, UserFactory()), apply(program, UserFactory())
    rows = api.get(f"/api/v1/staff/programs/{program.pk}/applications/").json()["results"]
    assert {r["id"] for r in rows} == {first.pk, second.pk}
    assert rows[0]["quiz"][0].keys() >= {"question", "chosen", "right"}
    accept = f"/api/v1/staff/programs/{program.pk}/applications/{first.pk}/accept/"
    assert api.post(accept).json()["state"] == "accepted"
    assert api.post(accept).status_code == 409
    full = api.post(f"/api/v1/staff/programs/{program.pk}/applications/{second.pk}/accept/")
    assert full.status_code == 409 and "seats" in full.content.decode()
    reject = f"/api/v1/staff/programs/{program.pk}/applications/{second.pk}/reject/"
    assert api.post(reject, {}, format="json").status_code == 400
    done = api.post(reject, {"reason": "Full, sorry."}, format="json").json()
    assert done["state"] == "rejected" and done["decision_reason"] == "Full, sorry."
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    assert AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_APPLICATION_REJECT).count() == 1


def test_only_staff_reach_the_staff_side():
    program = open_program()
    api = token_client(UserFactory())
    for url in (
        f"/api/v1/staff/programs/{program.pk}/application-rules/",
        f"/api/v1/staff/programs/{program.pk}/applications/",
    ):
        assert api.get(url).status_code == 403
    application = apply(program, UserFactory())
    url = f"/api/v1/staff/programs/{program.pk}/applications/{application.pk}/accept/"
    assert api.post(url).status_code == 403
    assert ProgramApplication.objects.get(pk=application.pk).state == ApplicationState.PENDING


def test_my_progress_is_for_members_only():
    program = open_program(weekly_bug_reports_with_log=1)
    user = UserFactory()
    application = apply(program, user)
    api = token_client(user)
    url = f"/api/v1/programs/{program.pk}/progress/"
    assert api.get(url).status_code == 404
    from moderation import services as moderation_services

    moderation_services.program_application_accept(application=application, actor=StaffFactory())
    body = api.get(url).json()
    assert body["score"] == 100 and body["tasks"][0]["need"] == 1
    assert body["history"][0]["reason"] == "joined"


def _bulk_applications(program, count):
    users = [UserFactory(), *bulk_users(count - 1)]  # the first can sign in
    ProgramApplication.objects.bulk_create(
        [
            ProgramApplication(
                program=program,
                user=u,
                quiz_day=timezone.localdate(),
                answers=[{"question": "Why?", "answer": "Because."}],
                quiz=[{"item": 1, "question": "Q", "chosen": "A", "right": True}],
                criteria=[{"key": "posts", "label": "posts", "need": 1, "have": 2, "passed": True}],
                quiz_correct=1,
                quiz_total=1,
            )
            for u in users
        ]
    )
    return users


@pytest.mark.parametrize("rows", [3, 40])
def test_application_lists_query_counts_are_pinned(rows, django_assert_num_queries):
    program = open_program()
    users = _bulk_applications(program, rows)
    staff_api = token_client(StaffFactory())
    with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):  # the programme, the page
        response = staff_api.get(f"/api/v1/staff/programs/{program.pk}/applications/?page_size=50")
    assert len(response.json()["results"]) == rows
    member_api = token_client(users[0])
    with django_assert_num_queries(TOKEN_AUTH_QUERIES + 1):
        assert len(member_api.get("/api/v1/programs/applications/").json()["results"]) == 1
    with django_assert_num_queries(TOKEN_AUTH_QUERIES + 2):  # programmes, their devices
        assert member_api.get("/api/v1/programs/open/").status_code == 200
    assert ProgramMembership.objects.count() == 0
