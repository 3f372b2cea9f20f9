"""The last seat under concurrent applications and acceptances, on PostgreSQL: each on its
own connection, colliding at the same instant."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services as account_services
from accounts.models import ApplicationState, MembershipState, Program, ProgramApplication
from accounts.models import ProgramMembership as Membership
from moderation import services as moderation_services
from tests.factories import UserFactory
from tests.utils import postgresql_only, run_at_once

from .programs_apply_world import answers_for, open_program, quiz_for
from .programs_world import programme_staff

SEATS = 3
APPLICANTS = 10


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_automatic_acceptance_gives_the_last_seats_once_to_concurrent_applicants():
    program = open_program(seats=SEATS, auto_accept=True)
    applicants = [UserFactory() for _ in range(APPLICANTS)]
    forms = [(u, answers_for(program), quiz_for(program, u)) for u in applicants]

    def submit(item, wait):
        user, answers, quiz = item
        wait()
        return account_services.program_apply(
            user=user, program=program, answers=answers, quiz=quiz
        )

    results, errors = run_at_once(forms, submit)
    assert errors == []
    states = [r.state for r in results]
    assert states.count(ApplicationState.ACCEPTED) == SEATS
    assert states.count(ApplicationState.PENDING) == APPLICANTS - SEATS
    assert Program.objects.get(pk=program.pk).seats_taken == SEATS
    assert (
        Membership.objects.filter(program=program, state=MembershipState.ACCEPTED).count() == SEATS
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_staff_accepting_and_an_applicant_applying_for_the_last_seat_take_it_once():
    program = open_program(seats=1, auto_accept=True)
    waiting = []
    for _ in range(4):  # pending: auto-acceptance is off while staff gather them
        rules = program.apply_rules
        rules.auto_accept = False
        rules.save()
        user = UserFactory()
        waiting.append(
            account_services.program_apply(
                user=user,
                program=program,
                answers=answers_for(program),
                quiz=quiz_for(program, user),
            )
        )
    rules.auto_accept = True
    rules.save()
    late = UserFactory()
    late_form = (answers_for(program), quiz_for(program, late))
    staff = programme_staff()

    def act(item, wait):
        wait()
        if item == "apply":
            return account_services.program_apply(
                user=late, program=program, answers=late_form[0], quiz=late_form[1]
            )
        return moderation_services.program_application_accept(application=item, actor=staff)

    # The same application accepted twice at once, too.
    _results, errors = run_at_once([*waiting, waiting[0], "apply"], act)
    assert all(isinstance(e, ValidationError) for e in errors)
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    assert Membership.objects.filter(program=program, state=MembershipState.ACCEPTED).count() == 1
    assert (
        ProgramApplication.objects.filter(program=program, state=ApplicationState.ACCEPTED).count()
        == 1
    )
