"""Markdown → safe HTML, done once when a post is written.

markdown-it-py parses with raw HTML switched off (so `<script>` arrives as
text), then nh3 (the Ammonia sanitizer) keeps only an allow-list of tags,
attributes and URL schemes: whatever slips past the parser cannot carry script.
"""

import nh3
from markdown_it import MarkdownIt

# Bump when the output for the same source changes; old posts can be re-rendered.
RENDER_VERSION = 1

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)

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
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        # Table alignment from Markdown comes as style="text-align: …": keep only that.
        filter_style_properties={"text-align"},
        link_rel="nofollow ugc noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(source: str) -> str:
    return sanitize_html(_markdown.render(source))
