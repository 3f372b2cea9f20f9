"""PostgreSQL restarted under the site: requests fail for the window only, with a 503
page (or the API's error body) and Retry-After, never a traceback; a request cut off in
the middle of a write leaves nothing half-written.

Real PostgreSQL: the window is a refused connection (the port nobody listens on), and a
cut-off write is the server ending the request's own connection from inside the reply's
transaction (a trigger calling pg_terminate_backend), as a restart does.
"""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import ReputationEntry
from forum.models import Post, Thread
from tests.factories import BoardFactory, UserFactory, make_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a server restart needs PostgreSQL"
    ),
]


@pytest.fixture
def server_errors_as_pages(client):
    """The test client raises a view's exception by default; a server answers it."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def database_away():
    """Connections are refused until the fixture's `back()` (as during a restart)."""
    settings_dict = connection.settings_dict
    port = settings_dict["PORT"]

    class Window:
        def start(self):
            connection.close()
            settings_dict["PORT"] = 1  # nothing listens there: connection refused

        def back(self):
            connection.close()
            settings_dict["PORT"] = port

    window = Window()
    yield window
    window.back()


def test_pages_answer_503_while_the_database_is_away_then_recover(database_away):
    fan = UserFactory()
    thread = make_thread(board=BoardFactory())
    client = Client(raise_request_exception=False)
    client.force_login(fan)
    url = thread.get_absolute_url()
    assert client.get(url).status_code == 200

    database_away.start()
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "try again" in page and "Traceback" not in page

    api = client.get("/api/v1/sections/")
    assert api.status_code == 503 and api["Retry-After"] == "10"
    assert api.json()["retry_after"] == 10 and "try again" in api.json()["detail"]

    database_away.back()
    assert client.get(url).status_code == 200


@pytest.fixture
def server_ends_connection_on_post_insert():
    """Inserting a post ends the inserting connection, inside its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION popcorn_test_cut_off() RETURNS trigger AS $$
            BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END
            $$ LANGUAGE plpgsql;
            CREATE TRIGGER popcorn_test_cut_off AFTER INSERT ON forum_post
            FOR EACH ROW EXECUTE FUNCTION popcorn_test_cut_off();
            """
        )
    yield
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER popcorn_test_cut_off ON forum_post;DROP FUNCTION popcorn_test_cut_off();"
        )


def test_a_reply_cut_off_mid_transaction_leaves_nothing_half_written(
    server_ends_connection_on_post_insert,
):
    connection.close()  # the trigger's connection stays out of the request's way
    fan = UserFactory()
    # The thread existed before the trigger: made on a fresh connection below.
    thread = Thread.objects.get(pk=_thread_without_trigger().pk)
    before = (
        Post.objects.filter(thread=thread).count(),
        Thread.objects.values_list("reply_count", "last_floor", "last_posted_at").get(pk=thread.pk),
        ReputationEntry.objects.count(),
    )
    client = Client(raise_request_exception=False)
    client.force_login(fan)

    response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Same here."})
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()

    connection.close()
    after = (
        Post.objects.filter(thread=thread).count(),
        Thread.objects.values_list("reply_count", "last_floor", "last_posted_at").get(pk=thread.pk),
        ReputationEntry.objects.count(),
    )
    assert after == before


def _thread_without_trigger():
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE forum_post DISABLE TRIGGER popcorn_test_cut_off")
    try:
        return make_thread(board=BoardFactory())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE forum_post ENABLE TRIGGER popcorn_test_cut_off")
