"""Medals and cities over the API: definitions, a member's medals, choosing three, my city,
staff's audited awards; lists' queries pinned."""

import pytest

from accounts import services
from accounts.models import Medal, MedalRule, MemberMedal
from moderation.models import AuditLog
from tests.api.conftest import token_client
from tests.factories import StaffFactory, UserFactory, make_reply, make_thread
from tests.forum.meetups_world import city

pytestmark = pytest.mark.django_db


def _medals(n):
    return [
        Medal.objects.create(name=f"Medal {i}", slug=f"medal-{i}", rule=MedalRule.MANUAL)
        for i in range(n)
    ]


@pytest.mark.parametrize("count", [3, 40])
def test_a_members_medals_in_constant_queries(api, django_assert_num_queries, settings, count):
    settings.POPCORN = {**settings.POPCORN, "API_PAGE_SIZE": 40}
    member = UserFactory()
    for medal in _medals(count):
        services.medal_grant(medal=medal, user=member)
    # The member (1) and one page of their medals with each medal's definition (1).
    with django_assert_num_queries(2):
        response = api.get(f"/api/v1/members/{member.username}/medals/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == count
    assert response.json()["results"][0]["medal"]["rule"] == "manual"


@pytest.mark.parametrize("count", [3, 40])
def test_medal_definitions_in_one_query(api, django_assert_num_queries, settings, count):
    settings.POPCORN = {**settings.POPCORN, "API_PAGE_SIZE": 40}
    _medals(count)
    with django_assert_num_queries(1):
        response = api.get("/api/v1/medals/")
    assert len(response.json()["results"]) == count


def test_choose_shown_medals(member, member_api):
    medals = _medals(4)
    for medal in medals:
        services.medal_grant(medal=medal, user=member)
    response = member_api.put(
        "/api/v1/me/medals/shown/", {"medal_ids": [medals[1].pk, medals[0].pk]}, format="json"
    )
    assert response.status_code == 200
    assert [m["shown_position"] for m in response.json()] == [1, 2]
    too_many = member_api.put(
        "/api/v1/me/medals/shown/", {"medal_ids": [m.pk for m in medals]}, format="json"
    )
    assert too_many.status_code == 400 and "medal_ids" in too_many.json()["errors"]
    foreign = member_api.put(
        "/api/v1/me/medals/shown/",
        {"medal_ids": [Medal.objects.create(name="Other", slug="other").pk]},
        format="json",
    )
    assert foreign.status_code == 400 and "medals" in foreign.json()["errors"]
    assert MemberMedal.objects.filter(user=member, shown_position__isnull=False).count() == 2


def test_cities_and_my_city(api, member, member_api):
    chengdu = city("chengdu")
    cities = api.get("/api/v1/cities/").json()["results"]
    assert {"slug": "chengdu", "name": "成都"}.items() <= next(
        c for c in cities if c["slug"] == "chengdu"
    ).items()
    response = member_api.put("/api/v1/me/city/", {"city_id": chengdu.pk}, format="json")
    assert response.json()["city"]["slug"] == "chengdu"
    member.refresh_from_db()
    assert member.city == chengdu
    assert member_api.put("/api/v1/me/city/", {"city_id": 10**9}, format="json").status_code == 400
    assert member_api.put("/api/v1/me/city/", {"city_id": None}, format="json").json() == {
        "city": None
    }
    assert api.get("/api/v1/me/city/").status_code == 401


def test_staff_award_and_take_back_medals_audited(member):
    medal = _medals(1)[0]
    staff_api = token_client(StaffFactory())
    url = f"/api/v1/staff/members/{member.pk}/medals/"
    response = staff_api.post(url, {"medal_id": medal.pk, "reason": "Helped at Wuhan"})
    assert response.status_code == 201 and response.json()["reason"] == "Helped at Wuhan"
    assert staff_api.post(url, {"medal_id": medal.pk, "reason": "again"}).status_code == 400
    response = staff_api.delete(url, {"medal_id": medal.pk, "reason": "mistake"})
    assert response.status_code == 204
    assert list(AuditLog.objects.order_by("id").values_list("action", flat=True)) == [
        "medal_award",
        "medal_revoke",
    ]


def test_members_cannot_award_medals(member, member_api):
    medal = _medals(1)[0]
    response = member_api.post(
        f"/api/v1/staff/members/{member.pk}/medals/", {"medal_id": medal.pk, "reason": "me"}
    )
    assert response.status_code == 403
    assert not MemberMedal.objects.exists()


def test_a_threads_posts_carry_their_authors_shown_medals(api):
    author = UserFactory()
    medal = _medals(1)[0]
    services.medal_grant(medal=medal, user=author)
    services.medals_choose_shown(user=author, medal_ids=[medal.pk])
    thread = make_thread(author=author)
    make_reply(thread=thread)

    posts = api.get(f"/api/v1/threads/{thread.pk}/posts/").json()["results"]
    assert posts[0]["author"]["shown_medals"] == [
        {"id": medal.pk, "slug": "medal-0", "name": "Medal 0", "icon": "🏅", "image_url": None}
    ]
    assert posts[1]["author"]["shown_medals"] == []
