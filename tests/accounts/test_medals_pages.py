"""Medals on the pages: next to the author on posts (queries pinned at 3 and 40 posts), on
profiles, the member's choice of three, and staff's page to award them."""

import pytest
from django.utils import translation

from accounts import services
from accounts.models import Medal, MedalRule, MemberMedal
from moderation.models import AuditLog
from tests.factories import BoardFactory, StaffFactory, UserFactory, bulk_replies, make_thread
from tests.forum.test_query_counts import MEMBER_PROFILE_ANON, THREAD_PAGE_ANON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _medals(n=3):
    return [
        Medal.objects.create(name=f"Medal {i}", slug=f"medal-{i}", icon="🐞", rule=MedalRule.MANUAL)
        for i in range(n)
    ]


def _showing(user, medals):
    for medal in medals:
        services.medal_grant(medal=medal, user=user)
    services.medals_choose_shown(user=user, medal_ids=[m.pk for m in medals])


@pytest.mark.parametrize("posts", [3, 40])
def test_thread_page_shows_authors_medals_in_a_constant_number_of_queries(
    client, django_assert_num_queries, settings, posts
):
    settings.POPCORN = {**settings.POPCORN, "POSTS_PER_PAGE": 40}
    medals = _medals()
    authors = [UserFactory() for _ in range(min(posts, 20))]
    for author in authors:
        _showing(author, medals)
    thread = make_thread(board=BoardFactory(), author=authors[0])
    bulk_replies(thread, posts - 1, authors=authors)

    with django_assert_num_queries(THREAD_PAGE_ANON):
        response = client.get(thread.get_absolute_url())

    html = response.content.decode()
    assert len(response.context["page"].posts) == posts
    assert html.count('class="medal"') == posts * 3
    assert "Medal 2" in html


def test_only_chosen_medals_show_on_posts_in_their_order(client):
    medals = _medals(4)
    author = UserFactory()
    for medal in medals:
        services.medal_grant(medal=medal, user=author)
    services.medals_choose_shown(user=author, medal_ids=[medals[3].pk, medals[1].pk])
    thread = make_thread(author=author)

    html = client.get(thread.get_absolute_url()).content.decode()
    aside = html.split('class="medals"', 1)[1].split("</div>", 1)[0]
    assert aside.index("Medal 3") < aside.index("Medal 1")
    assert "Medal 0" not in aside and "Medal 2" not in aside


@pytest.mark.parametrize("count", [3, 40])
def test_profile_lists_every_medal_in_constant_queries(client, django_assert_num_queries, count):
    member = UserFactory()
    for medal in _medals(count):
        services.medal_grant(medal=medal, user=member)
    with django_assert_num_queries(MEMBER_PROFILE_ANON):
        response = client.get(member.get_absolute_url())
    assert response.content.decode().count('class="medal"') == count


def test_member_chooses_medals_to_show_on_their_settings_page(client):
    member = UserFactory()
    medals = _medals(4)
    for medal in medals:
        services.medal_grant(medal=medal, user=member)
    client.force_login(member)

    response = client.post("/settings/medals/", {"shown": [medals[0].pk, medals[2].pk]})
    assert response.status_code == 302
    shown = MemberMedal.objects.filter(user=member, shown_position__isnull=False)
    assert set(shown.values_list("medal_id", flat=True)) == {medals[0].pk, medals[2].pk}

    too_many = client.post("/settings/medals/", {"shown": [m.pk for m in medals]})
    assert too_many.status_code == 400
    assert "at most 3" in too_many.content.decode()
    bad = client.post("/settings/medals/", {"shown": ["x1"]})
    assert bad.status_code == 400
    assert shown.count() == 2


def test_staff_award_a_medal_on_the_members_medals_page(client):
    staff, member = StaffFactory(), UserFactory()
    medal = _medals(1)[0]
    client.force_login(staff)
    url = f"/mod/u/{member.username}/medals/"
    assert client.get(url).status_code == 200

    client.post(url, {"medal": medal.pk, "reason": "Organised Chengdu"})

    assert MemberMedal.objects.get(user=member).awarded_by_name == staff.username
    assert AuditLog.objects.filter(action="medal_award", subject=member).count() == 1


def test_members_cannot_open_the_staff_medals_page(client):
    member = UserFactory()
    client.force_login(member)
    medal = _medals(1)[0]
    response = client.post(f"/mod/u/{member.username}/medals/", {"medal": medal.pk, "reason": "x"})
    assert response.status_code == 403
    assert not MemberMedal.objects.exists()
