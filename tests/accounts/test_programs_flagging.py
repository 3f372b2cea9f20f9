"""The daily flagging job: who qualifies, with what numbers and reasons, idempotently."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import services as account_services
from accounts.models import MembershipState, ProgramCandidate, ProgramMembership
from accounts.selectors import candidate_page
from accounts.tasks import programs_flag_candidates
from tests.factories import DeviceFactory, bulk_activity

from .programs_world import TODAY, active, fan, invite, make_program

pytestmark = pytest.mark.django_db


def _candidates(program):
    return {
        c.user.username: (c.days_active_30d, c.posts_30d, c.reputation, c.score)
        for c in ProgramCandidate.objects.filter(program=program).select_related("user")
    }


@pytest.fixture
def device():
    return DeviceFactory(brand="Xiaomi", model="14", codename="houji")


@pytest.fixture
def world(device):
    """Five fans, each failing one criterion but `core`, who meets them all."""
    core = fan(username="core", reputation=6_000)
    core.devices.add(device)
    active(core, days=27, posts_per_day=2)
    active(core, days=5, posts_per_day=9, offset=40)  # before the window: not counted

    lurker = fan(username="lurker", reputation=6_000)  # active enough, posts too few
    lurker.devices.add(device)
    active(lurker, days=29, posts_per_day=0)

    newbie = fan(username="newbie", reputation=100)  # level too low
    newbie.devices.add(device)
    active(newbie, days=30, posts_per_day=3)

    deviceless = fan(username="deviceless", reputation=9_000)
    active(deviceless, days=30, posts_per_day=3)

    fresh = fan(username="fresh", reputation=6_000, joined_days_ago=10)  # account too young
    fresh.devices.add(device)
    active(fresh, days=10, posts_per_day=5)

    banned = fan(
        username="banned",
        reputation=6_000,
        suspended_until=timezone.now() + timedelta(days=3),
    )
    banned.devices.add(device)
    active(banned, days=30, posts_per_day=5)
    return {u.username: u for u in (core, lurker, newbie, deviceless, fresh, banned)}


@pytest.fixture
def program(device):
    return make_program(
        min_level="senior",
        min_days_active_30d=8,
        min_posts_30d=20,
        requires_device=True,
        min_account_age_days=30,
        exclude_suspended=True,
        devices=[device],
    )


def test_flagging_finds_exactly_who_meets_every_criterion(world, program):
    assert account_services.program_flag_candidates(program=program, today=TODAY) == 1
    # 27 days in the window, 54 posts; score = 27*10 + 54*2 + 6000/100.
    assert _candidates(program) == {"core": (27, 54, 6_000, 270 + 108 + 60)}


def test_each_criterion_lets_its_fan_in_when_relaxed(world, program, device):
    world["deviceless"].devices.add(device)
    program.min_posts_30d = 0
    program.save()
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert set(_candidates(program)) == {"core", "lurker", "deviceless"}


def test_suspension_and_account_age_can_be_ignored(world, program):
    program.exclude_suspended = False
    program.min_account_age_days = 0
    program.save()
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert set(_candidates(program)) == {"core", "fresh", "banned"}


def test_an_expired_suspension_does_not_exclude(world, program):
    world["banned"].suspended_until = timezone.now() - timedelta(minutes=1)
    world["banned"].save()
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert set(_candidates(program)) == {"core", "banned"}


def test_without_activity_criteria_inactive_users_qualify_with_zeroes(program, device):
    quiet = fan(username="quiet", reputation=1_500)
    quiet.devices.add(device)
    program.min_days_active_30d = 0
    program.min_posts_30d = 0
    program.save()
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert _candidates(program) == {"quiet": (0, 0, 1_500, 15)}


def test_reasons_read_like_the_issue(world, program):
    account_services.program_flag_candidates(program=program, today=TODAY)
    row = candidate_page(program, page=1).object_list[0]
    assert row.reasons.startswith("days active 27/30, 54 posts, level Core")
    assert "owns the device" in row.reasons
    assert "member for 365 days" in row.reasons


def test_running_twice_gives_the_same_rows(world, program):
    account_services.program_flag_candidates(program=program, today=TODAY)
    first = list(ProgramCandidate.objects.values_list("pk", "user_id", "score", "flagged_at"))
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert list(ProgramCandidate.objects.values_list("pk", "user_id", "score", "flagged_at")) == (
        first
    )


def test_who_no_longer_qualifies_drops_off_and_numbers_refresh(world, program):
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert set(_candidates(program)) == {"core"}
    # A week later, with no new activity, 4 of core's days have left the window.
    later = TODAY + timedelta(days=7)
    account_services.program_flag_candidates(program=program, today=later)
    assert _candidates(program) == {"core": (23, 46, 6_000, 230 + 92 + 60)}
    # Three more weeks: 2 days left, below the 8 required.
    account_services.program_flag_candidates(program=program, today=later + timedelta(days=21))
    assert _candidates(program) == {}


def test_dropping_off_keeps_an_invitation_and_a_membership(world, program):
    account_services.program_flag_candidates(program=program, today=TODAY)
    invitation = invite(program=program, user=world["core"], actor=None)
    account_services.program_flag_candidates(program=program, today=TODAY + timedelta(days=60))
    assert not ProgramCandidate.objects.exists()
    invitation.refresh_from_db()
    assert invitation.state == MembershipState.INVITED
    account_services.program_accept(user=world["core"], code=invitation.code)
    account_services.program_flag_candidates(program=program, today=TODAY + timedelta(days=61))
    assert ProgramMembership.objects.get(pk=invitation.pk).state == MembershipState.ACCEPTED


def test_the_task_flags_open_programs_only(world, program, device):
    closed = make_program(
        status="closed", min_level="senior", requires_device=True, devices=[device]
    )
    ended = make_program(
        min_level="senior",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=1),
    )
    result = programs_flag_candidates.delay(TODAY.isoformat()).get()
    assert result == {program.pk: 1}
    assert not ProgramCandidate.objects.filter(program__in=[closed, ended]).exists()


def test_flagging_costs_the_same_queries_for_any_number_of_users(
    world, program, device, django_assert_num_queries
):
    # INSERT … SELECT … ON CONFLICT, DELETE of those dropped, stamp on the program,
    # inside a savepoint and its release (the test runs in a transaction);
    # PostgreSQL also raises work_mem for the transaction.
    expected = 6 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(expected):
        account_services.program_flag_candidates(program=program, today=TODAY)
    for n in range(20):
        more = fan(username=f"more{n}", reputation=6_000)
        more.devices.add(device)
        active(more, days=10, posts_per_day=3)
    with django_assert_num_queries(expected):
        assert account_services.program_flag_candidates(program=program, today=TODAY) == 21


def test_days_with_only_likes_received_are_not_days_active():
    program = make_program(min_days_active_30d=3)
    liked = fan(username="liked", reputation=100)
    # Three days on which others liked their posts, but they never came by.
    bulk_activity(liked, last_day=TODAY, days=3, visited=False, likes_received=4)
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert "liked" not in _candidates(program)
    active(liked, days=3, offset=3)
    account_services.program_flag_candidates(program=program, today=TODAY)
    assert _candidates(program)["liked"][0] == 3
