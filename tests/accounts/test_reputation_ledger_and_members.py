"""The ledger page, the member list and levels on posts: who sees what, and fixed query counts."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.services import reputation_grant
from forum import services as forum_services
from tests.factories import StaffFactory, UserFactory, make_reply, make_thread

pytestmark = pytest.mark.django_db


def ledger_url(user):
    return reverse("accounts:ledger", kwargs={"username": user.username})


def test_the_ledger_says_what_earned_each_point(client):
    author, fan = UserFactory(), UserFactory()
    thread = make_thread(author=author, title="Battery drain on 14.0.3")
    post = make_reply(thread=thread, author=author)
    forum_services.post_like(post=post, user=fan)
    client.force_login(author)
    page = client.get(ledger_url(author)).content.decode()
    assert "+2" in page and "Like on your post in “Battery drain on 14.0.3”, floor 2" in page
    assert post.get_permalink() in page


def test_a_taken_back_like_shows_as_taken_back(client):
    author, fan = UserFactory(), UserFactory()
    post = make_thread(author=author).posts.get(floor=1)
    forum_services.post_like(post=post, user=fan)
    forum_services.post_unlike(post=post, user=fan)
    client.force_login(author)
    page = client.get(ledger_url(author)).content.decode()
    assert "Taken back: Like on your post in" in page and "-2" in page


@pytest.mark.parametrize(
    ("viewer", "status"),
    [("anonymous", 403), ("other", 403), ("owner", 200), ("staff", 200), ("global_mod", 200)],
)
def test_only_the_owner_and_staff_see_a_ledger(client, viewer, status):
    owner = UserFactory()
    viewers = {
        "other": UserFactory,
        "owner": lambda: owner,
        "staff": StaffFactory,
        "global_mod": lambda: UserFactory(is_global_moderator=True),
    }
    if viewer != "anonymous":
        client.force_login(viewers[viewer]())
    assert client.get(ledger_url(owner)).status_code == status


@pytest.mark.parametrize(
    ("viewer", "sees_link"),
    [
        ("anonymous", False),
        ("other", False),
        ("owner", True),
        ("staff", True),
        ("global_mod", True),
    ],
)
def test_the_profile_links_the_ledger_for_those_the_ledger_lets_in(client, viewer, sees_link):
    """The member page asks accounts.permissions (through accounts_perms), as the ledger does."""
    owner = UserFactory()
    viewers = {
        "other": UserFactory,
        "owner": lambda: owner,
        "staff": StaffFactory,
        "global_mod": lambda: UserFactory(is_global_moderator=True),
    }
    if viewer != "anonymous":
        client.force_login(viewers[viewer]())
    page = client.get(owner.get_absolute_url()).content.decode()
    assert (ledger_url(owner) in page) is sees_link
    assert (">Edit profile<" in page) is (viewer == "owner")


@pytest.mark.parametrize("rows", [5, 60])
def test_ledger_page_queries_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    member = UserFactory()
    for n in range(rows):
        reputation_grant(user_id=member.pk, reason="thread", source=f"thread:{n}", title="T")
    client.force_login(member)
    # session, user, the header's moderation reach, the member, COUNT, the page
    with django_assert_num_queries(6):
        response = client.get(ledger_url(member))
    assert response.status_code == 200


def test_profile_shows_reputation_level_and_progress(client):
    member = UserFactory()
    User.objects.filter(pk=member.pk).update(reputation=125)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "Member" in page  # 50 points and up
    assert "75 points to Active" in page
    assert 'aria-valuenow="50"' in page  # 75 of the 150 between Member and Active


def test_posts_show_the_authors_level(client):
    author = UserFactory()
    User.objects.filter(pk=author.pk).update(reputation=5000)
    thread = make_thread(author=author)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert 'class="tag level level-core"' in page


def test_member_list_orders_by_reputation_and_pages_by_keyset(client, settings):
    settings.POPCORN = {**settings.POPCORN, "MEMBERS_PER_PAGE": 2}
    users = [UserFactory() for _ in range(5)]
    for n, user in enumerate(users):
        User.objects.filter(pk=user.pk).update(reputation=n * 100)
    seen, url = [], reverse("accounts:members")
    for _ in range(3):
        response = client.get(url)
        seen += [m.username for m in response.context["page"].members]
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        url = reverse("accounts:members") + f"?after={cursor}"
    assert seen == [u.username for u in reversed(users)]


def test_member_list_filters_by_level_and_name(client):
    senior = UserFactory(username="senior_fan")
    User.objects.filter(pk=senior.pk).update(reputation=1500)
    UserFactory(username="new_fan")
    by_level = client.get(reverse("accounts:members") + "?level=senior")
    assert [m.username for m in by_level.context["page"].members] == ["senior_fan"]
    by_name = client.get(reverse("accounts:members") + "?q=new")
    assert [m.username for m in by_name.context["page"].members] == ["new_fan"]


def test_member_list_survives_a_bad_cursor(client):
    UserFactory()
    response = client.get(reverse("accounts:members") + "?after=not-a-cursor&sort=joined")
    assert response.status_code == 200
    assert len(response.context["page"].members) == 1


@pytest.mark.parametrize("rows", [3, 40])
def test_member_list_queries_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    for _ in range(rows):
        UserFactory()
    # the page of members, their devices
    with django_assert_num_queries(2):
        assert client.get(reverse("accounts:members")).status_code == 200


@pytest.mark.parametrize("authors", [2, 15])
def test_thread_page_with_levels_does_not_grow_with_authors(
    client, django_assert_num_queries, authors
):
    thread = make_thread()
    for n in range(authors):
        author = UserFactory()
        User.objects.filter(pk=author.pk).update(reputation=n * 400)
        make_reply(thread=thread, author=author)
    # Levels come from each author's reputation, already on the joined row (the fourth
    # query is the authors' shown medals, one for the page; the view is counted in the
    # cache, no UPDATE: 5 before).
    with django_assert_num_queries(4):
        page = client.get(thread.get_absolute_url()).content.decode()
    assert page.count('class="tag level ') == authors + 1


@pytest.mark.parametrize(
    "query",
    [
        "?sort=joined&after=0001-01-01T00:00:00:1",
        "?sort=joined&after=9999-12-31T23:59:59%2B14:00:1",
        "?after=99999999999999999999:1",
        "?after=5:99999999999999999999",
    ],
)
def test_member_list_bad_input_is_ignored_not_a_500(client, query):
    UserFactory(username="fan_one")
    response = client.get(reverse("accounts:members") + query)
    assert response.status_code == 200
    assert len(response.context["page"].members) == 1


def test_member_list_query_with_a_nul_byte_is_a_400_not_a_500(client):
    assert client.get(reverse("accounts:members") + "?q=%00fan").status_code == 400
