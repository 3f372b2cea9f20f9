"""The core-user flag: thresholds, 90% hysteresis, the 14-day hold, staff locks, history."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import CoreFlagChange, CoreLock, DailyActivity, User
from tests.factories import StaffFactory, UserFactory, bulk_activity

pytestmark = pytest.mark.django_db

D = date(2024, 3, 31)
NOW = timezone.make_aware(datetime.combine(D + timedelta(days=1), time(0, 30)))


def member(*, reputation: int, days: int, core_for_days: int | None = None, lock=""):
    user = UserFactory()
    bulk_activity(user, last_day=D, days=days)
    fields = {"reputation": reputation, "core_lock": lock}
    if core_for_days is not None:
        fields.update(is_core=True, core_since=NOW - timedelta(days=core_for_days))
    User.objects.filter(pk=user.pk).update(**fields)
    return user


def run():
    return services.core_flags_update(day=D, now=NOW)


def is_core(user) -> bool:
    user.refresh_from_db()
    return user.is_core


def test_members_meeting_every_threshold_gain_the_flag_with_a_reason():
    gains = member(reputation=1000, days=15)
    low_rep = member(reputation=999, days=30)
    few_days = member(reputation=5000, days=14)
    assert run() == {"day": D.isoformat(), "gained": 1, "lost": 0}
    assert is_core(gains) and not is_core(low_rep) and not is_core(few_days)
    change = CoreFlagChange.objects.get(user=gains)
    assert (change.old, change.new, change.changed_by_id) == (False, True, None)
    assert change.changed_by_name == "accounts.update_core_flags"
    assert "15/30" in change.reason and "1000" in change.reason
    gains.refresh_from_db()
    assert gains.core_since == NOW


def test_only_days_in_the_window_count():
    user = member(reputation=2000, days=0)
    bulk_activity(user, last_day=D - timedelta(days=16), days=16)  # 14 of them inside the 30 days
    DailyActivity.objects.create(user=user, day=D - timedelta(days=1), visited=False)
    run()
    assert not is_core(user)


def test_the_flag_is_kept_until_below_ninety_percent_of_a_threshold():
    keeps = member(reputation=900, days=14, core_for_days=30)
    low_rep = member(reputation=899, days=30, core_for_days=30)
    few_days = member(reputation=5000, days=13, core_for_days=30)
    assert run()["lost"] == 2
    assert is_core(keeps)
    assert not is_core(low_rep) and not is_core(few_days)
    assert "899 below 900" in CoreFlagChange.objects.get(user=low_rep).reason
    assert "13/30" in CoreFlagChange.objects.get(user=few_days).reason
    low_rep.refresh_from_db()
    assert low_rep.core_since is None


def test_every_reason_a_member_loses_the_flag_is_written_in_their_history_row():
    both = member(reputation=10, days=2, core_for_days=30)
    gone = member(reputation=5000, days=30, core_for_days=30)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert run()["lost"] == 2
    assert CoreFlagChange.objects.get(user=both).reason == (
        "reputation 10 below 900; active 2/30 days, below 14"
    )
    assert CoreFlagChange.objects.get(user=gone).reason == "account deactivated"
    assert not is_core(both) and not is_core(gone)


def test_a_rerun_gives_the_same_rows():
    for days in (15, 20, 30):
        member(reputation=1000 + days, days=days)
    member(reputation=0, days=0, core_for_days=20)
    run()
    history = list(
        CoreFlagChange.objects.order_by("user_id").values_list("user_id", "new", "reason")
    )
    flags = list(User.objects.order_by("pk").values_list("pk", "is_core", "core_since"))
    run()
    assert (
        list(CoreFlagChange.objects.order_by("user_id").values_list("user_id", "new", "reason"))
        == history
    )
    assert list(User.objects.order_by("pk").values_list("pk", "is_core", "core_since")) == flags
    assert (
        len(history) == 4 and history[0][2] == "Level Senior (reputation 1015), active 15/30 days"
    )


def test_the_flag_is_not_taken_within_fourteen_days_of_gaining_it():
    recent = member(reputation=0, days=0, core_for_days=13)
    older = member(reputation=0, days=0, core_for_days=15)
    run()
    assert is_core(recent)
    assert not is_core(older)


def test_a_rerun_changes_nothing():
    member(reputation=1000, days=15)
    member(reputation=0, days=0, core_for_days=20)
    assert run() == {"day": D.isoformat(), "gained": 1, "lost": 1}
    assert run() == {"day": D.isoformat(), "gained": 0, "lost": 0}
    assert CoreFlagChange.objects.count() == 2


def test_the_job_leaves_locked_members_alone():
    locked_off = member(reputation=9000, days=30, lock=CoreLock.OFF)
    locked_on = member(reputation=0, days=0, core_for_days=100, lock=CoreLock.ON)
    assert run() == {"day": D.isoformat(), "gained": 0, "lost": 0}
    assert not is_core(locked_off)
    assert is_core(locked_on)


def test_staff_lock_sets_the_flag_and_writes_history():
    staff, user = StaffFactory(), member(reputation=0, days=0)
    change = services.core_flag_lock(user=user, actor=staff, lock="on", reason="Beta lead")
    assert is_core(user) and user.core_lock == "on"
    assert (change.old, change.new, change.changed_by, change.lock) == (False, True, staff, "on")
    services.core_flag_lock(user=user, actor=staff, lock="", reason="Let the job decide")
    user.refresh_from_db()
    assert (user.is_core, user.core_lock) == (True, "")
    services.core_flag_lock(user=user, actor=staff, lock="off", reason="Left the team")
    assert not is_core(user)
    assert CoreFlagChange.objects.filter(user=user).count() == 3


def test_only_staff_lock_and_a_reason_is_needed():
    user = member(reputation=0, days=0)
    with pytest.raises(PermissionDenied):
        services.core_flag_lock(user=user, actor=UserFactory(), lock="on", reason="x")
    with pytest.raises(ValidationError):
        services.core_flag_lock(user=user, actor=StaffFactory(), lock="on", reason="  ")
    with pytest.raises(ValidationError):
        services.core_flag_lock(user=user, actor=StaffFactory(), lock="maybe", reason="x")
    assert not is_core(user)
    assert not CoreFlagChange.objects.exists()


def test_criteria_come_from_settings(settings):
    settings.POPCORN = {
        **settings.POPCORN,
        "CORE_USERS": {**settings.POPCORN["CORE_USERS"], "MIN_LEVEL": "core", "DAYS_ACTIVE": 5},
    }
    senior = member(reputation=1000, days=30)
    core = member(reputation=5000, days=5)
    run()
    assert not is_core(senior) and is_core(core)
