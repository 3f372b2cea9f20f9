"""The pages of programme applications: the member's form and programme page, the staff's
rules and applications with reasons, accept and reject by POST; query counts pinned."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import (
    ApplicationState,
    ProgramApplication,
    ProgramScoreEntry,
    ScoreReason,
)
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import StaffFactory, UserFactory, bulk_users

from .programs_apply_world import QUIZ, apply, open_program, quiz_for
from .programs_world import make_program, programme_staff

pytestmark = pytest.mark.django_db


def _form_data(program, user, *, blank_first=False):
    data = {"quiz_day": timezone.localdate().isoformat()}
    for n, q in enumerate(program.apply_questions.all()):
        data[f"question_{q.pk}"] = "" if blank_first and n == 0 else "My answer"
    for pk, choice in quiz_for(program, user).items():
        data[f"quiz_{pk}"] = str(choice)
    return data


def test_a_member_applies_through_the_page(member_client, member):
    program = open_program()
    url = reverse("accounts:program_apply", args=[program.slug])
    html = member_client.get(url).content.decode()
    for pk in quiz_for(program, member):
        assert f'name="quiz_{pk}"' in html
    bad = member_client.post(url, _form_data(program, member, blank_first=True))
    assert bad.status_code == 400 and "Answer this question." in bad.content.decode()
    assert not ProgramApplication.objects.exists()
    response = member_client.post(url, _form_data(program, member), follow=True)
    page = response.content.decode()
    assert "Your application was sent." in page and "Waiting for staff" in page
    assert ProgramApplication.objects.get(user=member).state == ApplicationState.PENDING


def test_automatic_acceptance_leads_to_the_programme_page(member_client, member):
    program = open_program(auto_accept=True, weekly_bug_reports_with_log=1)
    response = member_client.post(
        reverse("accounts:program_apply", args=[program.slug]), _form_data(program, member)
    )
    assert response["Location"] == reverse("accounts:program_mine", args=[program.slug])
    page = member_client.get(response["Location"]).content.decode()
    assert "0 / 1" in page and "Joined the programme" in page and "+100" in page


def test_a_closed_programme_offers_no_form(member_client):
    program = make_program()
    html = member_client.get(reverse("accounts:program_apply", args=[program.slug])).content
    assert b"not open for applications" in html and b"quiz_day" not in html


def test_the_programme_page_shows_the_warning(member_client, member):
    program = open_program(weekly_bug_reports_with_log=1)
    application = apply(program, member)
    moderation_services.program_application_accept(application=application, actor=programme_staff())
    application.refresh_from_db()
    standing = application.membership.standing
    standing.missed_weeks, standing.warned_at = 1, timezone.now()
    standing.save()
    page = member_client.get(reverse("accounts:program_mine", args=[program.slug])).content
    assert b"You missed the weekly tasks 1 week in a row." in page
    assert b"After 2 missed weeks in a row" in page


def test_staff_see_reasons_and_decide_by_post():
    program = open_program(seats=1, program={"min_reputation": 50})
    applicant = UserFactory(reputation=3)
    application = apply(program, applicant)
    client = Client()
    client.force_login(programme_staff())
    page = client.get(reverse("moderation:program_applications", args=[program.pk])).content
    assert applicant.username.encode() in page and b"reputation (3 / 50)" in page
    assert "✗".encode() in page
    reject = reverse("moderation:program_application_reject", args=[program.pk, application.pk])
    client.post(reject, {"reason": ""})
    assert ProgramApplication.objects.get(pk=application.pk).state == ApplicationState.PENDING
    accept = reverse("moderation:program_application_accept", args=[program.pk, application.pk])
    assert client.get(accept).status_code == 405
    client.post(accept)
    assert ProgramApplication.objects.get(pk=application.pk).state == ApplicationState.ACCEPTED
    assert AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_APPLICATION_ACCEPT).exists()


def test_staff_set_the_rules_on_a_page():
    program = make_program()
    client = Client()
    client.force_login(programme_staff())
    url = reverse("moderation:program_apply_rules", args=[program.pk])
    quiz = "\n".join(
        " | ".join(
            [q["text"]]
            + [("*" if i == q["answer"] else "") + c for i, c in enumerate(q["choices"])]
        )
        for q in QUIZ
    )
    data = {
        "accepting_applications": "on",
        "quiz_per_day": 3,
        "quiz_pass_mark": 2,
        "weekly_bug_reports_with_log": 1,
        "weekly_missed_limit": 2,
        "start_score": 100,
        "weekly_points": 5,
        "deduct_removed_post": 10,
        "deduct_upheld_report": 20,
        "deduct_silence": 30,
        "questions": "Why?\nWhich device?",
        "quiz": "Broken line without a right choice | a | b",
    }
    bad = client.post(url, data)
    assert bad.status_code == 400 and "Line 1" in bad.content.decode()
    response = client.post(url, data | {"quiz": quiz})
    assert response.status_code == 302
    assert program.quiz_items.count() == 8 and program.apply_questions.count() == 2
    assert program.apply_rules.deduct_silence == 30
    assert "*" in client.get(url).content.decode()  # the bank shown back as typed


def test_the_staff_pages_are_staff_only(member_client):
    program = open_program()
    application = apply(program, UserFactory())
    for url in (
        reverse("moderation:program_applications", args=[program.pk]),
        reverse("moderation:program_apply_rules", args=[program.pk]),
    ):
        assert member_client.get(url).status_code == 403
    url = reverse("moderation:program_application_accept", args=[program.pk, application.pk])
    assert member_client.post(url).status_code == 403
    assert ProgramApplication.objects.get(pk=application.pk).state == ApplicationState.PENDING


# Query counts ---------------------------------------------------------------------------


def _bulk(program, count):
    ProgramApplication.objects.bulk_create(
        [
            ProgramApplication(
                program=program,
                user=u,
                quiz_day=timezone.localdate(),
                answers=[{"question": "Why?", "answer": "Because."}],
                quiz=[{"item": 1, "question": "Q", "chosen": "A", "right": True}],
                criteria=[{"key": "posts", "label": "posts", "need": 1, "have": 2, "passed": True}],
                decided_by=StaffFactory() if not n else None,
            )
            for n, u in enumerate(bulk_users(count))
        ]
    )


@pytest.mark.parametrize("rows", [3, 40])
def test_the_pages_queries_do_not_grow(rows, member_client, member, django_assert_num_queries):
    program = open_program(weekly_bug_reports_with_log=1)
    _bulk(program, rows)
    staff = Client()
    staff.force_login(programme_staff())
    url = reverse("moderation:program_applications", args=[program.pk])
    staff.get(url)
    # session, user, the programme, the count, the page with users and deciders joined
    with django_assert_num_queries(5):
        html = staff.get(url).content.decode()
    assert html.count('class="card application"') == rows

    for n in range(rows):
        open_program(program={"slug": f"open-{rows}-{n}"})
    with django_assert_num_queries(5):  # session+user, programmes, my applications, header
        html = member_client.get(reverse("accounts:programs_open")).content.decode()
    assert html.count('href="/early-access/p/') == rows + 1

    application = apply(program, member)
    moderation_services.program_application_accept(application=application, actor=programme_staff())
    application.refresh_from_db()
    ProgramScoreEntry.objects.bulk_create(
        [
            ProgramScoreEntry(
                membership=application.membership,
                reason=ScoreReason.REMOVED_POST,
                delta=-1,
                source=f"post:{n}",
            )
            for n in range(rows)
        ]
    )
    mine = reverse("accounts:program_mine", args=[program.slug])
    member_client.get(mine)
    # session, user, the programme, the membership with its standing, the rules, this
    # week's count, the history, the weeks, the header's moderation reach
    with django_assert_num_queries(9):
        html = member_client.get(mine).content.decode()
    assert html.count("<td>-1</td>") == min(rows, 20)  # the latest 20 changes
