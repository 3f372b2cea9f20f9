"""Applying to a programme through the services: the day's quiz, the criteria with their
reasons, staff decisions (audited), automatic acceptance within the seats."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.models import (
    ApplicationState,
    MembershipState,
    Notification,
    Program,
    ProgramApplication,
    ProgramMembership,
)
from moderation import services as moderation_services
from moderation.models import AuditLog
from tests.factories import UserFactory

from .programs_apply_world import answers_for, apply, open_program, quiz_for
from .programs_world import invite, make_program, programme_staff

pytestmark = pytest.mark.django_db


def test_the_quiz_is_the_same_all_day_for_a_member_and_another_the_next_day():
    program = open_program()
    user, other = UserFactory(), UserFactory()
    today = timezone.localdate()
    draw = [i.pk for i in account_selectors.quiz_draw(program, user, today, 3)]
    assert draw == [i.pk for i in account_selectors.quiz_draw(program, user, today, 3)]
    assert len(set(draw)) == 3
    days = {
        tuple(i.pk for i in account_selectors.quiz_draw(program, user, today + timedelta(d), 3))
        for d in range(6)
    }
    assert len(days) > 1
    others = {
        tuple(i.pk for i in account_selectors.quiz_draw(program, UserFactory(), today, 3))
        for _ in range(6)
    } | {tuple(draw)}
    assert len(others) > 1
    assert other.pk != user.pk


def test_an_application_waits_with_its_reasons_and_staff_accept_it_into_a_seat():
    program = open_program(seats=2, program={"min_reputation": 50})
    user = UserFactory(reputation=10)
    application = apply(program, user)
    assert application.state == ApplicationState.PENDING
    assert application.quiz_passed and application.quiz_correct == 3
    assert not application.criteria_passed
    reputation = next(c for c in application.criteria if c["key"] == "reputation")
    assert reputation == {
        "key": "reputation",
        "label": "reputation",
        "need": 50,
        "have": 10,
        "passed": False,
    }
    assert [a["question"] for a in application.answers] == [
        q.text for q in program.apply_questions.all()
    ]

    staff = programme_staff()
    moderation_services.program_application_accept(application=application, actor=staff)
    application.refresh_from_db()
    assert application.state == ApplicationState.ACCEPTED and application.decided_by == staff
    assert application.membership.state == MembershipState.ACCEPTED
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    log = AuditLog.objects.get(action=AuditLog.Action.PROGRAM_APPLICATION_ACCEPT)
    assert log.target_id == user.pk and log.after["application"] == application.pk
    assert Notification.objects.filter(
        recipient=user, title_key="accounts.program_application_accepted"
    ).exists()
    assert application.membership.standing.score == 100
    with pytest.raises(ValidationError, match="decided already"):
        moderation_services.program_application_accept(application=application, actor=staff)


def test_a_quiz_below_the_pass_mark_is_refused_at_once_and_not_retried_the_same_day():
    program = open_program(pass_mark=2)
    user = UserFactory()
    application = apply(program, user, right=1)
    assert application.state == ApplicationState.REJECTED and application.automatic
    assert "1 of 3 right, 2 needed" in application.decision_reason
    with pytest.raises(ValidationError, match="already applied"):
        apply(program, user)
    assert ProgramApplication.objects.filter(user=user).count() == 1


def test_missing_answers_and_choices_are_field_errors_and_nothing_is_written():
    program = open_program()
    user = UserFactory()
    answers = answers_for(program)
    first_question = next(iter(answers))
    answers[first_question] = "  "
    quiz = quiz_for(program, user)
    dropped = next(iter(quiz))
    del quiz[dropped]
    with pytest.raises(ValidationError) as caught:
        account_services.program_apply(user=user, program=program, answers=answers, quiz=quiz)
    assert set(caught.value.message_dict) == {f"question_{first_question}", f"quiz_{dropped}"}
    assert not ProgramApplication.objects.exists()


def test_a_quiz_from_another_day_or_member_is_refused():
    program = open_program()
    user = UserFactory()
    with pytest.raises(ValidationError) as caught:
        account_services.program_apply(
            user=user,
            program=program,
            answers=answers_for(program),
            quiz=quiz_for(program, UserFactory()) | quiz_for(program, user),
        )
    assert "quiz" in caught.value.message_dict or len(caught.value.message_dict) >= 1
    with pytest.raises(ValidationError) as caught:
        account_services.program_apply(
            user=user,
            program=program,
            answers=answers_for(program),
            quiz=quiz_for(program, user),
            quiz_day=timezone.localdate() - timedelta(days=3),
        )
    assert "quiz_day" in caught.value.message_dict


def test_automatic_acceptance_stays_within_the_seats_and_needs_every_criterion():
    program = open_program(seats=1, auto_accept=True, program={"min_reputation": 20})
    first, second, weak = UserFactory(reputation=30), UserFactory(reputation=30), UserFactory()
    assert apply(program, first).state == ApplicationState.ACCEPTED
    assert apply(program, second).state == ApplicationState.PENDING  # no seat left
    assert apply(program, weak).state == ApplicationState.PENDING  # criteria not met
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    assert ProgramMembership.objects.filter(program=program, state="accepted").count() == 1
    pending = ProgramApplication.objects.get(user=second)
    with pytest.raises(ValidationError, match="All seats"):
        moderation_services.program_application_accept(application=pending, actor=programme_staff())
    pending.refresh_from_db()
    assert pending.state == ApplicationState.PENDING  # all or nothing


def test_staff_reject_with_a_reason_the_applicant_is_told():
    program = open_program()
    user = UserFactory()
    application = apply(program, user)
    with pytest.raises(ValidationError) as caught:
        moderation_services.program_application_reject(
            application=application, actor=programme_staff(), reason=" "
        )
    assert "reason" in caught.value.message_dict
    moderation_services.program_application_reject(
        application=application, actor=programme_staff(), reason="No log captured yet."
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.REJECTED
    assert application.decision_reason == "No log captured yet."
    log = AuditLog.objects.get(action=AuditLog.Action.PROGRAM_APPLICATION_REJECT)
    assert log.reason == "No log captured yet."
    assert Notification.objects.filter(
        recipient=user, title_key="accounts.program_application_rejected"
    ).exists()


def test_who_may_not_apply():
    closed = make_program()
    user = UserFactory()
    with pytest.raises(ValidationError, match="not open for applications"):
        account_services.program_apply(user=user, program=closed, answers={}, quiz={})
    program = open_program()
    invite(program=program, user=user)
    assert "invitation" in account_services.apply_refusal(program, user)
    with pytest.raises(ValidationError, match="invitation"):
        apply(program, user)


def test_an_application_accepted_takes_over_a_pending_invitation():
    program = open_program()
    application = apply(program, UserFactory())
    invitation = invite(program=program, user=application.user)
    moderation_services.program_application_accept(application=application, actor=programme_staff())
    application.refresh_from_db()
    assert application.membership_id == invitation.pk
    assert ProgramMembership.objects.get(pk=invitation.pk).state == MembershipState.ACCEPTED
    assert Program.objects.get(pk=program.pk).seats_taken == 1


def test_rules_are_checked_and_audited():
    program = make_program()
    with pytest.raises(ValidationError) as caught:
        moderation_services.program_apply_rules_set(
            program=program,
            actor=programme_staff(),
            fields={"accepting_applications": True, "quiz_per_day": 3, "quiz_pass_mark": 5},
            quiz=[{"text": "Q", "choices": ["only one"], "answer": 0}],
        )
    assert {"quiz_pass_mark", "quiz"} <= set(caught.value.message_dict)
    open_program()
    log = AuditLog.objects.filter(action=AuditLog.Action.PROGRAM_APPLY_RULES).latest("pk")
    assert log.after["accepting_applications"] is True and log.after["quiz"] == 8
