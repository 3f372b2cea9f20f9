"""The last seat under concurrent applications over the API, on PostgreSQL: each request
on its own connection, the seat still the invitations' one conditional UPDATE."""

import pytest

from accounts.models import MembershipState, Program, ProgramMembership
from tests.accounts.programs_apply_world import answers_for, open_program, quiz_for
from tests.api.conftest import token_client
from tests.factories import UserFactory
from tests.utils import postgresql_only, run_at_once

CALLERS = 6


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_applications_for_the_last_seat_admit_exactly_one():
    program = open_program(seats=1, auto_accept=True)
    callers = []
    for _ in range(CALLERS):
        user = UserFactory()
        body = {
            "answers": {str(k): v for k, v in answers_for(program).items()},
            "quiz": {str(k): v for k, v in quiz_for(program, user).items()},
        }
        callers.append((token_client(user), body))

    def submit(caller, wait):
        client, body = caller
        wait()
        response = client.post(f"/api/v1/programs/{program.pk}/apply/", body, format="json")
        return response.status_code, response.json()["state"]

    results, errors = run_at_once(callers, submit)

    assert errors == []
    assert sorted(results) == [(201, "accepted")] + [(201, "pending")] * (CALLERS - 1)
    assert Program.objects.get(pk=program.pk).seats_taken == 1
    accepted = ProgramMembership.objects.filter(program=program, state=MembershipState.ACCEPTED)
    assert accepted.count() == 1
