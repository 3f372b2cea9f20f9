"""Markdown → safe HTML, done once when a post is written.

markdown-it-py parses with raw HTML switched off (so `<script>` arrives as
text), then nh3 (the Ammonia sanitizer) keeps only an allow-list of tags,
attributes and URL schemes: whatever slips past the parser cannot carry script.

@mentions are linked by a core rule that rewrites text tokens only, so a name
inside a code span, a code block or a link's text stays as written. Which
names exist is the caller's business (one query, see forum.services.mentions): this
module does no I/O.
"""

import html
import re
from collections.abc import Iterator

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# Bump when the output for the same source changes; old posts can be re-rendered.
# 2: @mentions of existing members link to their profile.
RENDER_VERSION = 2

# A name as accounts.validators allows it ([\w.-]+), not glued to a word before
# it (so foo@example.com is no mention).
MENTION_RE = re.compile(r"(?<![\w.@/-])@([\w.-]+)")
# Where a quote links back to: forum:floor, /t/<thread id>/<floor>.
FLOOR_LINK_RE = re.compile(r"^/t/(\d+)/(\d+)/?$")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {"a": {"mention"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _resolve(name: str, known: frozenset[str]) -> str | None:
    """The member a matched name refers to: `@fan12.` ends a sentence, it is fan12."""
    if name in known:
        return name
    trimmed = name.rstrip(".-")
    return trimmed if trimmed in known else None


def _candidates(name: str) -> set[str]:
    return {name, name.rstrip(".-")} - {""}


def _mention_tokens(text: str, known: frozenset[str]) -> list[Token] | None:
    """The text token split around linked mentions, or None when nothing links."""
    pieces: list[Token] = []
    position = 0
    for match in MENTION_RE.finditer(text):
        username = _resolve(match.group(1), known)
        if username is None:
            continue
        start, end = match.start(), match.start() + 1 + len(username)
        if start > position:
            pieces.append(_text(text[position:start]))
        link = Token("link_open", "a", 1)
        link.attrs = {
            "href": reverse("forum:member", kwargs={"username": username}),
            "class": "mention",
        }
        pieces += [link, _text("@" + username), Token("link_close", "a", -1)]
        position = end
    if not pieces:
        return None
    if position < len(text):
        pieces.append(_text(text[position:]))
    return pieces


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _outside_links(children: list[Token]) -> Iterator[tuple[int, Token]]:
    """Text tokens of an inline run that are not already inside a link."""
    depth = 0
    for index, token in enumerate(children):
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
        elif token.type == "text" and depth == 0 and "@" in token.content:
            yield index, token


def _link_mentions(state: StateCore) -> None:
    known = state.env.get("known_usernames")
    if not known:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        replaced = {}
        for index, token in _outside_links(block.children):
            pieces = _mention_tokens(token.content, known)
            if pieces:
                replaced[index] = pieces
        if replaced:
            block.children = [
                piece
                for index, token in enumerate(block.children)
                for piece in replaced.get(index, [token])
            ]


_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)
# After text_join, so "hi @fan_12" reaches the rule as one text token.
_markdown.core.ruler.push("mentions", _link_mentions)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Table alignment from Markdown comes as style="text-align: …": keep only that.
        filter_style_properties={"text-align"},
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(source: str, *, known_usernames: frozenset[str] = frozenset()) -> str:
    """Sanitized HTML; `@name` links to the profile when name is in known_usernames."""
    return sanitize_html(_markdown.render(source, {"known_usernames": known_usernames}))


def plain_text(source: str, *, limit: int) -> str:
    """A post's words as plain text, for previews that are not HTML (the bell, emails).

    Rendered, then every tag dropped, so no Markdown marks (`**`, `#`, `[]()`)
    are left; what the post quotes is left out, and the text is cut to `limit`.
    """
    rendered = _markdown.render(source, {"known_usernames": frozenset()})
    text = nh3.clean(rendered, tags=set(), attributes={}, clean_content_tags={"blockquote"})
    text = " ".join(html.unescape(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# Reading a source without rendering it --------------------------------------


def _inline_runs(source: str) -> Iterator[tuple[Token, int]]:
    """Each inline token of the source with how deep in blockquotes it sits."""
    quote_depth = 0
    for token in _markdown.parse(source):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline" and token.children:
            yield token, quote_depth


def _mention_matches(source: str) -> Iterator[tuple[str, bool]]:
    """(name as typed, inside a quote) for every @name outside code and links."""
    for inline, quote_depth in _inline_runs(source):
        for _index, token in _outside_links(inline.children):
            for match in MENTION_RE.finditer(token.content):
                yield match.group(1), quote_depth > 0


def mention_candidates(source: str) -> set[str]:
    """Every name that might be a mention: what to look up before rendering."""
    names: set[str] = set()
    for name, _quoted in _mention_matches(source):
        names |= _candidates(name)
    return names


def mentioned_usernames(
    source: str, *, known_usernames: frozenset[str], outside_quotes: bool = False
) -> list[str]:
    """Members mentioned, in order of first mention, each once.

    With outside_quotes, names that only appear inside a quote of someone
    else's words are left out: quoting a post does not mention its mentions.
    """
    found: dict[str, None] = {}
    for name, quoted in _mention_matches(source):
        if outside_quotes and quoted:
            continue
        username = _resolve(name, known_usernames)
        if username is not None:
            found.setdefault(username)
    return list(found)


# A bare address in text: not a link (linkify is off) but read as one, and what spam pastes.
BARE_URL_RE = re.compile(r"(?i)(?<![\w/])(?:https?://|www\.)[^\s<>]+")


def _points_elsewhere(url: str) -> bool:
    return url.lower().startswith(("http://", "https://", "//", "www."))


def external_links(source: str) -> list[str]:
    """Every address elsewhere a post shows, in order: links, images and bare URLs.

    Local links (quotes' floor links, mentions) do not count; code does not
    either, since a pasted log is full of addresses nobody clicks.
    """
    found: list[str] = []
    for inline, _quote_depth in _inline_runs(source):
        depth = 0
        for token in inline.children:
            if token.type == "link_open":
                depth += 1
                href = str(token.attrs.get("href", ""))
                if _points_elsewhere(href):
                    found.append(href)
            elif token.type == "link_close":
                depth -= 1
            elif token.type == "image":
                src = str(token.attrs.get("src", ""))
                if _points_elsewhere(src):
                    found.append(src)
            elif token.type == "text" and depth == 0:
                found += BARE_URL_RE.findall(token.content)
    return found


def quoted_floors(source: str) -> list[tuple[int, int]]:
    """(thread id, floor) of every floor link inside a blockquote, in order, each once."""
    found: dict[tuple[int, int], None] = {}
    for inline, quote_depth in _inline_runs(source):
        if not quote_depth:
            continue
        for token in inline.children:
            if token.type != "link_open":
                continue
            match = FLOOR_LINK_RE.match(str(token.attrs.get("href", "")))
            if match:
                found.setdefault((int(match.group(1)), int(match.group(2))))
    return list(found)


def strip_blockquotes(source: str) -> str:
    """The source without its top-level blockquotes (code blocks with `>` stay)."""
    lines = source.splitlines()
    dropped: set[int] = set()
    for token in _markdown.parse(source):
        if token.type == "blockquote_open" and token.level == 0 and token.map:
            dropped.update(range(*token.map))
    kept = "\n".join(line for number, line in enumerate(lines) if number not in dropped)
    return re.sub(r"\n{3,}", "\n\n", kept).strip()
