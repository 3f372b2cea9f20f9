"""The cache on a real Redis Cluster (three redis-server nodes started for the test):
single keys go to their nodes, and the page versions a page reads together share a
hash tag, so the cluster answers them in one slot."""

import shutil
import subprocess
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from redis.exceptions import RedisClusterException, ResponseError

from forum import caching

PORTS = (7311, 7312, 7313)
pytestmark = pytest.mark.skipif(
    not shutil.which("redis-server") or not shutil.which("redis-cli"),
    reason="needs Redis's own redis-server and redis-cli",
)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    base = tmp_path_factory.mktemp("redis-cluster")
    nodes = []
    for port in PORTS:
        folder = base / str(port)
        folder.mkdir()
        nodes.append(
            subprocess.Popen(  # noqa: S603 (the system's redis-server)
                [
                    shutil.which("redis-server"),
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(folder),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        time.sleep(0.5)
        subprocess.run(  # noqa: S603
            [
                shutil.which("redis-cli"),
                "--cluster",
                "create",
                *[f"127.0.0.1:{p}" for p in PORTS],
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            info = subprocess.run(  # noqa: S603
                [shutil.which("redis-cli"), "-p", str(PORTS[0]), "cluster", "info"],
                capture_output=True,
                text=True,
            ).stdout
            if "cluster_state:ok" in info:
                break
            time.sleep(0.2)
        yield f"redis://127.0.0.1:{PORTS[0]}/0"
    finally:
        for node in nodes:
            node.kill()
            node.wait(timeout=10)


@pytest.fixture
def cluster_cache(cluster):
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "config.cache.ResilientRedisClusterCache",
                "LOCATION": cluster,
                "KEY_PREFIX": "popcorn-test",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
    ):
        cache.clear()
        yield cache


def test_keys_spread_over_the_nodes_and_counters_work(cluster_cache):
    for n in range(50):
        cluster_cache.set(f"key-{n}", n)
    assert [cluster_cache.get(f"key-{n}") for n in range(50)] == list(range(50))
    assert cluster_cache.add("once", 1) is True and cluster_cache.add("once", 2) is False
    cluster_cache.set("count", 1)
    assert cluster_cache.incr("count") == 2
    # The keys landed on more than one node: this is a cluster, not one server.
    client = cluster_cache._cache.get_client()
    owners = {client.get_node_from_key(cluster_cache.make_key(f"key-{n}")).port for n in range(50)}
    assert len(owners) > 1


def test_a_pages_versions_are_read_together_in_one_slot(cluster_cache):
    scopes = (caching.INDEX, caching.board_scope(1), caching.thread_scope(2))
    first = caching.versions(*scopes)
    assert caching.versions(*scopes) == first
    caching.bump(caching.thread_scope(2))
    assert caching.versions(*scopes) != first
    # Without the shared tag the same read is refused by the cluster.
    client = cluster_cache._cache.get_client()
    untagged = [cluster_cache.make_key(f"v:{scope}") for scope in scopes]
    with pytest.raises((RedisClusterException, ResponseError)):
        client.mget(untagged)
