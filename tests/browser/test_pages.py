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
    const label = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`));
    const box = (tick && label) || el;  // a tick box is tapped through its label too
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
    // Text marked as another language on purpose (the footer's switch names each in itself).
    const lang = el.closest("[lang]");
    const page = document.documentElement;
    if (lang && lang !== page && lang.lang !== page.lang) continue;
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
    return visit(open_context(size, user=world.role(role), language=language), path(world))


def layout_problems(world, open_context, visit, name: str, size: str) -> list:
    """Open a page in Chinese at one size, keep its screenshot, say what is wrong with it."""
    seen = _open(world, open_context, visit, name, size)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", full_page=True)
    # The size asked for, not window.innerWidth: a phone browser widens its layout
    # viewport to fit a page that overflows, and innerWidth follows.
    width = SIZES[size][0]
    layout = seen.page.evaluate(LAYOUT_JS, [width, TOUCH_TARGET])
    checks = {
        f"status {seen.response.status}": seen.response.status == 200,
        "not served in Chinese": layout["lang"] == "zh-hans",
        f"{layout['scrollWidth']} px wide: {layout['overflowing']}": layout["scrollWidth"] <= width,
        f"errors: {seen.errors}": not seen.errors,
        "no Content-Security-Policy": "content-security-policy" in seen.response.headers,
        f"the header wrapped ({layout['headerHeight']} px)": layout["headerHeight"]
        <= HEADER_ONE_ROW,
        f"touch targets under 44 px: {layout['small']}": size != "390" or not layout["small"],
    }
    return [problem for problem, fine in checks.items() if not fine]


@pytest.mark.parametrize("name", PAGES)
def test_page_in_chinese_fits_a_phone_and_a_laptop(world, open_context, visit, name):
    problems = {size: layout_problems(world, open_context, visit, name, size) for size in SIZES}
    assert problems == {size: [] for size in SIZES}


def test_more_pages_fit_a_phone_and_a_laptop(world, open_context, visit):
    problems = {
        f"{name}-{size}": layout_problems(world, open_context, visit, name, size)
        for name in MORE_PAGES
        for size in SIZES
    }
    assert {page: found for page, found in problems.items() if found} == {}


def test_no_english_label_is_left_on_the_chinese_pages(world, open_context, visit):
    if not CATALOGUE.exists():
        pytest.skip(
            f"no zh-Hans catalogue yet ({CATALOGUE.relative_to(settings.BASE_DIR)}): "
            "this check is meaningful once the translations land"
        )
    left = {}
    for name in PAGES:
        english = _open(world, open_context, visit, name, "1366", language=EN)
        chinese = _open(world, open_context, visit, name, "1366")
        left[name] = english_labels_left(
            english=english.page.evaluate(LABELS_JS),
            chinese=chinese.page.evaluate(LABELS_JS),
            known=KNOWN_ENGLISH[name],
            data=world.fixture_words(),
        )
    assert {name: labels for name, labels in left.items() if labels} == {}


COLOURS_JS = """() => {
  const rgb = (el, prop) => getComputedStyle(el)[prop].match(/\\d+/g).slice(0, 3).map(Number);
  const card = document.querySelector(".card");
  return {page: rgb(document.body, "backgroundColor"), card: rgb(card, "backgroundColor"),
          text: rgb(document.body, "color")};
}"""


def test_pages_follow_the_systems_colour_scheme(world, open_context, visit):
    for scheme in ("light", "dark"):
        context = open_context("390", user=world.moderator, color_scheme=scheme)
        seen = visit(context, world.thread.get_absolute_url())
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        seen.page.screenshot(path=SCREENSHOTS / f"thread-390-{scheme}.png")
        colours = seen.page.evaluate(COLOURS_JS)

        dark = scheme == "dark"
        assert all((c < 64) == dark for c in colours["page"] + colours["card"]), (scheme, colours)
        assert all((c > 192) == dark for c in colours["text"]), (scheme, colours)
        assert seen.errors == []


def test_a_script_the_policy_blocks_counts_as_an_error(world, open_context, visit):
    """The pages' "no console error" checks would see a CSP violation: prove it with one."""
    seen = visit(open_context("1366", user=world.member), world.thread.get_absolute_url())
    assert seen.errors == []
    seen.page.evaluate(
        """() => { const s = document.createElement("script");
        s.textContent = "window.ranInline = true"; document.head.appendChild(s); }"""
    )
    seen.page.wait_for_timeout(300)
    assert seen.page.evaluate("() => window.ranInline === undefined")
    assert any("CSP violation: script-src" in error for error in seen.errors), seen.errors
