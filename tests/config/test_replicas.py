"""Reads to a replica where that is safe (config.db_router): page reads, but not the
writer's own next reads, nor reads in a transaction, nor jobs; writes to the primary.

The replica here mirrors the test database (settings.test), so what it answers is the
primary's data: the test watches which connection each query went to.
"""

import pytest
from django.db import connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.models import Post, Thread
from tests.factories import BoardFactory, UserFactory, make_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica1"]),
]

ROUTED = override_settings(
    DATABASE_REPLICAS=["replica1"], DATABASE_ROUTERS=["config.db_router.PrimaryReplicaRouter"]
)


def queries_on(alias):
    return CaptureQueriesContext(connections[alias])


@ROUTED
def test_page_reads_go_to_the_replica_and_the_writers_next_reads_to_the_primary(client):
    fan = UserFactory()
    thread = make_thread(board=BoardFactory())
    client.force_login(fan)

    with queries_on("replica1") as replica, queries_on("default") as primary:
        assert client.get(thread.get_absolute_url()).status_code == 200
    assert len(replica) > 0
    assert not any(q["sql"].lstrip().upper().startswith("SELECT") for q in primary)

    with queries_on("replica1") as replica:
        response = client.post(reverse("forum:reply", args=[thread.pk]), {"body": "Same here."})
    assert response.status_code == 302 and len(replica) == 0
    assert response.cookies["popcorn_primary"]["max-age"] == 10

    # The cookie keeps the writer on the primary: their reply is there at once.
    with queries_on("replica1") as replica:
        page = client.get(thread.get_absolute_url())
    assert len(replica) == 0 and "Same here." in page.content.decode()

    # Once it has expired, their reads go back to the replica.
    del client.cookies["popcorn_primary"]
    with queries_on("replica1") as replica:
        client.get(thread.get_absolute_url())
    assert len(replica) > 0


@ROUTED
def test_reads_inside_a_transaction_and_outside_requests_stay_on_the_primary():
    thread = make_thread(board=BoardFactory())
    with queries_on("replica1") as replica:
        # A job, a management command, a shell: no request said it was safe.
        assert Thread.objects.get(pk=thread.pk).title
        with transaction.atomic():
            assert Post.objects.filter(thread=thread).exists()
    assert len(replica) == 0


def test_without_replicas_everything_is_the_primary(client):
    thread = make_thread(board=BoardFactory())
    with queries_on("replica1") as replica:
        assert client.get(thread.get_absolute_url()).status_code == 200
        response = client.post(reverse("account_login"), {"login": "x", "password": "y"})
    assert len(replica) == 0 and "popcorn_primary" not in response.cookies
