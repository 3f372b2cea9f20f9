"""The last seat under concurrent accepts over the API, on PostgreSQL: each request on its
own connection, the seat still the service's one conditional UPDATE."""

import pytest

from accounts.models import MembershipState, Program, ProgramMembership
from tests.accounts.programs_world import invite, make_program
from tests.api.conftest import token_client
from tests.factories import UserFactory
from tests.utils import postgresql_only, run_at_once

CALLERS = 6


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_on_the_last_seat_admit_exactly_one():
    program = make_program(seats=2)
    first = UserFactory()
    token_client(first).post(
        f"/api/v1/programs/invitations/{invite(program=program, user=first).code}/accept/"
    )
    callers = []
    for _ in range(CALLERS):
        user = UserFactory()
        callers.append((token_client(user), invite(program=program, user=user).code))

    def accept(caller, wait):
        client, code = caller
        wait()
        return client.post(f"/api/v1/programs/invitations/{code}/accept/").status_code

    statuses, errors = run_at_once(callers, accept)

    assert errors == []
    assert sorted(statuses) == [200] + [409] * (CALLERS - 1)
    assert Program.objects.get(pk=program.pk).seats_taken == 2
    states = list(ProgramMembership.objects.filter(program=program).values_list("state", flat=True))
    assert states.count(MembershipState.ACCEPTED) == 2
    assert states.count(MembershipState.INVITED) == CALLERS - 1
