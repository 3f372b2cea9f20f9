"""Seats under concurrent accepts, on PostgreSQL: each accept on its own connection."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services as account_services
from accounts.models import MembershipState, Program, ProgramMembership
from tests.factories import UserFactory
from tests.utils import postgresql_only, run_at_once

from .programs_world import invite, make_program

SEATS = 3
INVITED = 12


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_no_more_members_than_seats_accept_at_the_same_instant():
    program = make_program(seats=SEATS)
    invitations = [invite(program=program, user=UserFactory(), actor=None) for _ in range(INVITED)]

    def accept(invitation, wait):
        wait()
        return account_services.program_accept(user=invitation.user, code=invitation.code)

    accepted, errors = run_at_once(invitations, accept)

    assert len(accepted) == SEATS
    assert len(errors) == INVITED - SEATS
    assert all(isinstance(e, ValidationError) and "seats" in str(e) for e in errors)
    assert Program.objects.get(pk=program.pk).seats_taken == SEATS
    states = ProgramMembership.objects.filter(program=program).values_list("state", flat=True)
    assert sorted(states).count(MembershipState.ACCEPTED) == SEATS
    assert list(states).count(MembershipState.INVITED) == INVITED - SEATS


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_leaves_and_accepts_keep_the_seat_count_exact():
    program = make_program(seats=2)
    members = []
    for _ in range(2):
        user = UserFactory()
        invitation = invite(program=program, user=user, actor=None)
        members.append(account_services.program_accept(user=user, code=invitation.code))
    waiting = [invite(program=program, user=UserFactory(), actor=None) for _ in range(6)]

    def act(item, wait):
        kind, row = item
        wait()
        if kind == "leave":
            return account_services.program_leave(user=row.user, program=program)
        return account_services.program_accept(user=row.user, code=row.code)

    _done, errors = run_at_once(
        [("leave", m) for m in members] + [("accept", w) for w in waiting], act
    )
    assert all(isinstance(e, ValidationError) for e in errors)
    program.refresh_from_db()
    accepted = ProgramMembership.objects.filter(program=program, state=MembershipState.ACCEPTED)
    assert program.seats_taken == accepted.count() <= 2
