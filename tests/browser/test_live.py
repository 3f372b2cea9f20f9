"""The live polls in a real browser: a reply posted elsewhere shows as a banner on the open
thread and in the bell, without reloading, under the strict CSP."""

from tests.browser.conftest import EN
from tests.factories import make_reply


def test_a_new_reply_shows_as_a_banner_and_in_the_bell(world, open_context, visit, settings):
    settings.POPCORN = {**settings.POPCORN, "LIVE_POLL_SECONDS": 1}
    author = world.author
    author.refresh_from_db()
    before = author.unread_notifications
    context = open_context("390", user=author, language=EN)
    seen = visit(context, world.thread.get_absolute_url())
    page = seen.page
    assert page.locator("#new-replies a").count() == 0
    make_reply(thread=world.thread, author=world.member, body="Fixed for me in the beta.")
    banner = page.locator("#new-replies a")
    banner.wait_for(timeout=10_000)
    assert "1 new reply" in banner.inner_text()
    page.locator("#header-counts .bell:not(.mail) .badge").filter(
        has_text=str(before + 1)
    ).wait_for(timeout=10_000)
    banner.click()
    page.wait_for_load_state()
    assert "Fixed for me in the beta." in page.content()
    assert seen.errors == []
