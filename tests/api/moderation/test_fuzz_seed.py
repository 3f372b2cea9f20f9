"""The fuzz's moderation seed (tests/api/moderation/fuzz_seed.py) makes what it says, so
the fuzz's cases on real rows reach the operations' work, not their 404s."""

import pytest

from moderation.models import ReportCase
from tests.api.conftest import token_client
from tests.api.moderation.fuzz_seed import merged_targets, seed_moderation
from tests.factories import BoardFactory, StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def test_the_seed_gives_each_operation_a_real_row():
    board, member, staff = BoardFactory(), UserFactory(), StaffFactory()
    thread = make_thread(board=board, author=member)
    make_reply(thread=thread, author=UserFactory())
    targets = seed_moderation(member=member, staff=staff, board=board)
    api = token_client(staff)
    reported, held = targets
    case = ReportCase.objects.get(pk=reported["case_id"])
    assert case.is_open and case.post_id == reported["post_id"]
    approvals = api.get("/api/v1/moderation/approvals/").json()["results"]
    assert [p["id"] for p in approvals] == [held["post_id"]]
    assert api.get(f"/api/v1/moderation/members/{held['username']}/").status_code == 200
    assert api.get("/api/v1/staff/actives/").json()["results"]
    history = api.get(f"/api/v1/staff/members/{member.pk}/core-flag-history/").json()
    assert history["results"][0]["lock"] == "on"
    export = f"/api/v1/staff/exports/{reported['export_id']}"
    assert api.get(f"{export}/download/{reported['token']}/").status_code == 200
    assert api.post(f"/api/v1/moderation/boards/{reported['slug']}/bulk/", {}).status_code == 400
    word = api.get(f"/api/v1/moderation/watched-words/{reported['word_id']}/")
    assert word.json()["pattern"] == "fuzzword"
    for kind in ("network", "domain"):
        url = f"/api/v1/moderation/banned-{kind}s/{reported[f'{kind}_id']}/"
        assert api.get(url).status_code == 200, kind


def test_merged_targets_name_every_parameter():
    theirs = [{"thread_id": 1, "attachment_id": 9}, {"thread_id": 2, "attachment_id": 8}]
    mine = [{"thread_id": 3, "username": "fan"}]
    merged = merged_targets(theirs, mine)
    assert merged == [
        {"thread_id": 1, "attachment_id": 9, "username": "fan"},
        {"thread_id": 2, "attachment_id": 8, "username": "fan"},
        {"thread_id": 3, "attachment_id": 9, "username": "fan"},
    ]
    assert merged_targets([], mine) == mine
