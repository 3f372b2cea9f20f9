"""The dataset shapes and load settings of each preset (`make bench PRESET=...`)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    name: str
    members: int
    sections: int
    boards: int
    threads: int
    posts: int
    # Posts in each board's first thread: the "thread page last" of the table.
    big_thread_posts: int
    days: int = 30
    # Members active nearly every day (seed: the daily jobs' core).
    core_members: int = 0
    # HTTP load: wrk per URL.
    wrk_seconds: int = 10
    wrk_threads: int = 1
    wrk_connections: int = 16
    reply_seconds: int = 10
    reply_members: int = 8
    http: bool = True  # seed is for the jobs only
    # smoke: every page must answer 2xx/3xx with no errors, or the run fails.
    strict: bool = False


PRESETS = {
    "smoke": Preset(
        name="smoke",
        members=50,
        sections=1,
        boards=2,
        threads=20,
        posts=200,
        big_thread_posts=50,
        wrk_seconds=3,
        wrk_connections=4,
        reply_seconds=3,
        strict=True,
    ),
    "peer": Preset(
        name="peer",
        members=10_000,
        sections=4,
        boards=20,
        threads=10_000,
        posts=200_000,
        big_thread_posts=250,
    ),
    "seed": Preset(
        name="seed",
        members=1_000_000,
        core_members=300_000,
        sections=10,
        boards=100,
        threads=300_000,
        posts=6_000_000,
        big_thread_posts=250,
        http=False,
    ),
}
