"""The main pages in a real browser, in Chinese, on a 390×844 phone and a 1366×768 laptop:
nothing wider than the screen, no console error, touch targets a thumb can hit, a header
on one row, and no English label left. Every page leaves a screenshot in
artifacts/screenshots/<page>-<size>.png for a person to look at."""

import re

import pytest
from django.conf import settings

from tests.browser.conftest import EN, SCREENSHOTS, SIZES, ZH
from tests.browser.world import MORE_PAGES, PAGES

CATALOGUE = settings.BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
TOUCH_TARGET = 44  # CSS pixels, both ways (WCAG 2.5.5, Apple's and Google's guidance)
HEADER_ONE_ROW = 72  # a header taller than this has wrapped onto a second row

LAYOUT_JS = """([width, target]) => {
  const shown = (el) => {  // on screen: not in a closed <details>, not hidden by style
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true});
  };
  const describe = (el) => {
    const r = el.getBoundingClientRect();
    const cls = typeof el.className === "string" && el.className
      ? "." + el.className.trim().replace(/\\s+/g, ".") : "";
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "")
      .trim().slice(0, 30);
    const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
    return `${el.tagName.toLowerCase()}${cls} "${text}" ${size} right=${Math.round(r.right)}`;
  };
  const clipped = (el) => {  // inside a box that scrolls or clips sideways: not the page's width
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const overflowing = [...document.body.querySelectorAll("*")]
    .filter((el) => shown(el) && el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
    .slice(0, 10).map(describe);
  const controls = "button, .button, select, input:not([type=hidden]), textarea, summary, "
    + ".site-header a, .pagination a, .queue-nav a, .console-nav a";
  const small = [...document.querySelectorAll(controls)].filter(shown).filter((el) => {
    const tick = el.matches("input[type=checkbox], input[type=radio]");
    const box = (tick && el.closest("label")) || el;  // a tick box counts with its label
    const r = box.getBoundingClientRect();
    return r.height < target || r.width < target;
  }).map(describe);
  const header = document.querySelector(".site-header");
  return {
    width, scrollWidth: document.documentElement.scrollWidth, overflowing, small,
    headerHeight: header ? header.getBoundingClientRect().height : 0,
    lang: document.documentElement.lang,
  };
}"""

# What a reader sees as the interface's own words: buttons, headings of columns, form
# labels, menus, placeholders and the accessible names. Only an element's own text
# counts, so a label around a <select> is not mistaken for its options.
LABELS_JS = """() => {
  const own = (el) => [...el.childNodes].filter((n) => n.nodeType === 3)
    .map((n) => n.textContent).join(" ").replace(/\\s+/g, " ").trim();
  const labels = new Set();
  const chrome = "button, summary, th, caption, label, legend, option, h1, h2, h3, dt, "
    + ".site-header a, .site-footer p, nav a, .button, .tag, .muted, .actions a, .post-actions a";
  for (const el of document.querySelectorAll(chrome)) {
    if (el.closest(".post-body, .snippet, .signature")) continue;
    const text = own(el);
    if (text) labels.add(text);
  }
  for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
    for (const name of ["placeholder", "aria-label", "title"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) labels.add(value);
    }
  }
  return [...labels];
}"""

# Latin words that stay as they are in Chinese: the site's name, figures' acronyms and
# the example firmware version in a placeholder.
LATIN_IN_CHINESE = {"Popcorn", "DAU", "WAU", "MAU", "IP", "CSV", "OS", "V14.0.4.0.TMCCNXM"}

# A few labels each page shows in English, which the Chinese page must not show.
KNOWN_ENGLISH = {
    "front": ["Latest activity", "Search", "Settings"],
    "board": ["Mark board read", "New thread", "Replies", "Filter"],
    "thread": ["Moderation", "Post reply", "Quote", "Watching · stop"],
    "reply": ["Post reply", "Reply"],
    "signup": ["Sign in", "Join", "Search"],
    "notifications": ["Notifications", "Mark all read"],
    "search": ["Search", "Words"],
    "profile": ["Joined", "Reputation", "Recent threads"],
    "queue": ["Reported posts", "Dismiss", "Hide post"],
    "console": ["Staff console", "Dashboard", "Show"],
}


def english_labels_left(*, english: list[str], chinese: list[str], known: list[str], data) -> list:
    """The English page's labels that the Chinese page still shows.

    `known` must be on the English page (so the list is not stale); `data` are the
    fixture's own Latin names, which are content rather than labels.
    """
    missing = sorted(set(known) - set(english))
    assert not missing, f"the English page no longer shows {missing}: update KNOWN_ENGLISH"
    allowed = LATIN_IN_CHINESE | set(data)

    def is_label(text: str) -> bool:
        words = re.findall(r"[A-Za-z]{2,}", text)
        return bool(words) and not all(word in allowed for word in words) and text not in allowed

    return sorted(text for text in set(english) & set(chinese) if is_label(text))


def _open(world, open_context, visit, name, size, language=ZH):
    role, path = PAGES.get(name) or MORE_PAGES[name]
    seen = visit(open_context(size, user=world.role(role), language=language), path(world))
    assert seen.response.status == 200, (name, seen.response.status)
    return seen


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_in_chinese_without_errors(world, open_context, visit, name, size):
    seen = _open(world, open_context, visit, name, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", full_page=True)
    # The size asked for, not window.innerWidth: a phone browser widens its layout
    # viewport to fit a page that overflows, and innerWidth follows.
    width = SIZES[size][0]
    layout = seen.page.evaluate(LAYOUT_JS, [width, TOUCH_TARGET])

    assert layout["lang"] == "zh-hans", "the page was not served in Chinese"
    assert layout["scrollWidth"] <= width, layout["overflowing"]
    assert seen.errors == []
    assert layout["headerHeight"] <= HEADER_ONE_ROW, "the header wrapped"
    if size == "390":
        assert layout["small"] == [], "touch targets under 44 px"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", MORE_PAGES)
def test_more_pages_fit_the_screen_without_errors(world, open_context, visit, name, size):
    seen = _open(world, open_context, visit, name, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", full_page=True)
    width = SIZES[size][0]
    layout = seen.page.evaluate(LAYOUT_JS, [width, TOUCH_TARGET])

    assert layout["scrollWidth"] <= width, layout["overflowing"]
    assert seen.errors == []
    assert layout["headerHeight"] <= HEADER_ONE_ROW, "the header wrapped"


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_no_english_label_in_chinese(world, open_context, visit, name):
    if not CATALOGUE.exists():
        pytest.skip(
            f"no zh-Hans catalogue yet ({CATALOGUE.relative_to(settings.BASE_DIR)}): "
            "this check is meaningful once the translations land"
        )
    english = _open(world, open_context, visit, name, "1366", language=EN).page.evaluate(LABELS_JS)
    chinese = _open(world, open_context, visit, name, "1366").page.evaluate(LABELS_JS)
    left = english_labels_left(
        english=english, chinese=chinese, known=KNOWN_ENGLISH[name], data=world.fixture_words()
    )
    assert left == [], f"English labels on the Chinese {name} page: {left}"


COLOURS_JS = """() => {
  const rgb = (el, prop) => getComputedStyle(el)[prop].match(/\\d+/g).slice(0, 3).map(Number);
  const card = document.querySelector(".card");
  return {page: rgb(document.body, "backgroundColor"), card: rgb(card, "backgroundColor"),
          text: rgb(document.body, "color")};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_follow_the_systems_colour_scheme(world, open_context, visit, scheme):
    context = open_context("390", user=world.moderator, color_scheme=scheme)
    seen = visit(context, world.thread.get_absolute_url())
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=SCREENSHOTS / f"thread-390-{scheme}.png")
    colours = seen.page.evaluate(COLOURS_JS)

    dark = scheme == "dark"
    assert all((channel < 64) == dark for channel in colours["page"] + colours["card"]), colours
    assert all((channel > 192) == dark for channel in colours["text"]), colours
    assert seen.errors == []
