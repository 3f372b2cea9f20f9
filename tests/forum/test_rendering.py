"""Post Markdown → HTML: known XSS vectors must come out inert, ordinary Markdown intact.

Every rendered fragment is read back with a real HTML parser (the standard library's
`html.parser`) and audited against the allow-list in forum/rendering.py: no element
outside it, no event-handler attribute, no `style` but `text-align`, and no link or
image URL with a scheme other than http, https or mailto.
"""

import re
import unicodedata
from html.parser import HTMLParser

import pytest

from forum.models import Post
from forum.rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitize_html
from tests.factories import make_thread

# Elements that can run script, load active content or rewrite the page: never allowed,
# whatever the allow-list in forum/rendering.py grows to.
DANGEROUS_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "svg",
    "math", "form", "input", "button", "textarea", "select", "option", "meta", "base",
    "link", "template", "noscript", "noembed", "noframes", "xmp", "plaintext", "body",
    "html", "head", "title", "details", "video", "audio", "source", "track", "picture",
    "use", "image", "foreignobject", "animate", "set", "portal", "marquee", "isindex",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "xlink:href",
}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
SCHEME_RE = re.compile(r"([a-z][a-z0-9+.\-]*):")
STYLE_DECLARATION_RE = re.compile(r"\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*")
# A second opinion that does not rely on html.parser: an opening tag whose attributes,
# tokenized with quoted values kept whole, include an on* event handler.
EVENT_HANDLER_IN_TAG_RE = re.compile(
    r"""<[a-z][^\s/>]*(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?|\s*/)*"""
    r"""\s+on[a-z]+\s*=""",
    re.IGNORECASE,
)
DANGEROUS_TAG_RE = re.compile(
    r"<\s*/?\s*(?:" + "|".join(sorted(DANGEROUS_TAGS)) + r")[\s/>]", re.IGNORECASE
)


class Audit(HTMLParser):
    """Collects elements, attributes and visible text of an HTML fragment.

    With `scope_class`, only what lies inside `<div class="scope_class">` elements is
    collected (used on whole pages, where the site's own <head> has a script tag).
    """

    def __init__(self, scope_class: str | None = None):
        super().__init__(convert_charrefs=True)
        self.scope_class = scope_class
        self.div_depth = 0  # depth of <div> nesting inside the current scope
        self.scopes_seen = 0
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text_parts: list[str] = []
        self.markup_declarations: list[str] = []  # comments, doctypes, PIs, CDATA

    @property
    def collecting(self) -> bool:
        return self.scope_class is None or self.div_depth > 0

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    @property
    def visible(self) -> str:
        """Text plus image alt text, which is what stands in for an image."""
        alts = [dict(attrs).get("alt") or "" for tag, attrs in self.elements if tag == "img"]
        return " ".join([self.text, *alts])

    def handle_starttag(self, tag, attrs):
        if self.scope_class is not None and tag == "div":
            if self.div_depth:
                self.div_depth += 1
            elif self.scope_class in (dict(attrs).get("class") or "").split():
                self.div_depth = 1
                self.scopes_seen += 1
                return
        if self.collecting:
            self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        if self.collecting:
            self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.scope_class is not None and tag == "div" and self.div_depth:
            self.div_depth -= 1

    def handle_data(self, data):
        if self.collecting:
            self.text_parts.append(data)

    def handle_comment(self, data):
        if self.collecting:
            self.markup_declarations.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        if self.collecting:
            self.markup_declarations.append(f"<!{decl}>")

    def handle_pi(self, data):
        if self.collecting:
            self.markup_declarations.append(f"<?{data}>")

    def unknown_decl(self, data):
        if self.collecting:
            self.markup_declarations.append(f"<![{data}]>")


def audit(html: str, scope_class: str | None = None) -> Audit:
    parser = Audit(scope_class)
    parser.feed(html)
    parser.close()
    return parser


def normalize_url(value: str) -> str:
    """What a browser effectively sees as the start of a URL, made stricter.

    html.parser has already decoded character references in attribute values (once, as
    a browser does). Browsers drop tabs and newlines anywhere in a URL and leading C0
    controls and spaces; here every whitespace, control and invisible format character
    goes, wherever it is, and the result is lowercased.
    """
    return "".join(
        ch for ch in value if not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"})
    ).lower()


def url_problem(value: str) -> str | None:
    url = normalize_url(value)
    for scheme in ("javascript:", "vbscript:", "data:", "livescript:"):
        if url.startswith(scheme):
            return f"{scheme} URL"
    match = SCHEME_RE.match(url)
    if match and match.group(1) not in SAFE_SCHEMES:
        return f"scheme {match.group(1)!r} not allowed"
    return None  # http(s), mailto, or relative (a `%` or `&` before the colon: no scheme)


def style_problem(value: str | None) -> str | None:
    declarations = [d for d in (value or "").split(";") if d.strip()]
    for declaration in declarations:
        if not STYLE_DECLARATION_RE.fullmatch(declaration.lower()):
            return f"style declaration {declaration!r} is not text-align"
    return None


def problems_in(result: Audit) -> list[str]:
    problems = [f"markup declaration {d!r}" for d in result.markup_declarations]
    for tag, attrs in result.elements:
        if tag in DANGEROUS_TAGS:
            problems.append(f"dangerous element <{tag}>")
        if tag not in ALLOWED_TAGS:
            problems.append(f"element <{tag}> outside the allow-list")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            if name not in allowed:
                problems.append(f"attribute {name}= not allowed on <{tag}>")
            if name == "style" and (problem := style_problem(value)):
                problems.append(f"<{tag}>: {problem}")
            if name in URL_ATTRIBUTES and (problem := url_problem(value or "")):
                problems.append(f"<{tag} {name}={value!r}>: {problem}")
            if value and "javascript:" in normalize_url(value):
                problems.append(f"<{tag} {name}={value!r}> mentions javascript:")
    return problems


def assert_inert(html: str) -> Audit:
    result = audit(html)
    problems = problems_in(result)
    # Second opinions straight on the markup, independent of html.parser's tokenizer.
    if match := DANGEROUS_TAG_RE.search(html):
        problems.append(f"raw dangerous tag {match.group(0)!r}")
    if match := EVENT_HANDLER_IN_TAG_RE.search(html):
        problems.append(f"raw event handler in {match.group(0)!r}")
    assert not problems, f"unsafe output {html!r}: {problems}"
    return result


# --- The audit itself must catch what it is meant to catch ---------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<IMG SRC="x" OnError="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVa&#x09;ScRiPt:alert(1)">x</a>',
        '<a href=" &#106;avascript:alert(1)">x</a>',
        '<a href="java\x00script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        '<img src="vbscript:msgbox(1)">',
        '<a href="ftp://example.com/">x</a>',
        '<td style="background:url(javascript:alert(1))">x</td>',
        '<td style="text-align:left;position:fixed">x</td>',
        '<p style="text-align:left">x</p>',
        '<a href="/x" target="_blank">x</a>',
        "<svg><use href=#x /></svg>",
        "<div>x</div>",
        "<!-- x -->",
    ],
)
def test_the_audit_flags_unsafe_html(html):
    result = audit(html)
    raw_hits = DANGEROUS_TAG_RE.search(html) or EVENT_HANDLER_IN_TAG_RE.search(html)
    assert problems_in(result) or raw_hits


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc">x</a></p>',
        '<a href="/thread/1/">x</a> <a href="#floor-2">y</a> <a href="mailto:a@example.com">z</a>',
        '<a href="java%09script:alert(1)">relative path</a>',
        '<img src="x.png" alt="a&quot; onerror=&quot;alert(1)">',
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>",
        '<table><tr><th style="text-align:center">a</th><td style="">b</td></tr></table>',
    ],
)
def test_the_audit_passes_safe_html(html):
    assert_inert(html)


def test_the_allow_list_has_no_dangerous_element():
    assert not ALLOWED_TAGS & DANGEROUS_TAGS
    assert not any(name.startswith("on") for names in ALLOWED_ATTRIBUTES.values() for name in names)


# --- Known XSS vectors as post Markdown -----------------------------------------------

# (source, text that must still be visible, id). With raw HTML off, HTML vectors are shown
# as text, so a distinctive part of them has to survive; links keep their text.
XSS_VECTORS = [
    pytest.param("<script>alert(1)</script>", "<script>alert(1)</script>", id="script"),
    pytest.param("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "evil.example", id="script-src"),
    pytest.param("<img src=x onerror=alert(1)>", "onerror=alert(1)", id="img-onerror"),
    pytest.param("[x](javascript:alert(1))", "x", id="link-javascript"),
    pytest.param("[x](JaVaScRiPt:alert(1))", "x", id="link-mixed-case"),
    pytest.param("[x](java&#x09;script:alert(1))", "x", id="link-tab-entity"),
    pytest.param("[x](jav\tascript:alert(1))", "x", id="link-raw-tab"),
    pytest.param("[x](java\nscript:alert(1))", "x", id="link-newline"),
    pytest.param("[x](&#106;avascript:alert(1))", "x", id="link-decimal-entity"),
    pytest.param("[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))", "x", id="link-hex-entities"),
    pytest.param("[x](&#0000106&#0000097vascript:alert(1))", "x", id="link-padded-entities"),
    pytest.param("[x](javascript&colon;alert(1))", "x", id="link-colon-entity"),
    pytest.param("[x](<javascript:alert(1)>)", "x", id="link-pointy-destination"),
    pytest.param("![x](javascript:alert(1))", "x", id="image-javascript"),
    pytest.param(
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x", id="link-data"
    ),
    pytest.param("![x](data:image/svg+xml,<svg onload=alert(1)>)", "x", id="image-data-svg"),
    pytest.param("[x](vbscript:msgbox(1))", "x", id="link-vbscript"),
    pytest.param("[x](file:///etc/passwd)", "x", id="link-file"),
    pytest.param("[x](  javascript:alert(1))", "x", id="link-leading-spaces"),
    pytest.param("[x](\x01javascript:alert(1))", "x", id="link-leading-control"),
    pytest.param("[x](java\x00script:alert(1))", "x", id="link-null-byte"),
    pytest.param("[x](java\\x00script:alert(1))", "x", id="link-escaped-null"),
    pytest.param("[x](\\u006aavascript:alert(1))", "x", id="link-unicode-escape"),
    pytest.param("[x](\uff4a\uff41\uff56\uff41script:alert(1))", "x", id="link-fullwidth"),
    pytest.param("[x](%6Aavascript:alert(1))", "x", id="link-percent-encoded"),
    pytest.param("[x][1]\n\n[1]: javascript:alert(1)", "x", id="reference-link"),
    pytest.param('[x][1]\n\n[1]: <javascript:alert(1)> "t"', "x", id="reference-link-pointy"),
    pytest.param("[x]\n\n[x]: vbscript:msgbox(1)", "x", id="shortcut-reference"),
    pytest.param("<javascript:alert(1)>", "javascript:alert(1)", id="autolink-javascript"),
    pytest.param("<JAVASCRIPT:alert(1)>", "alert(1)", id="autolink-upper"),
    pytest.param("<data:text/html,<script>alert(1)</script>>", "alert(1)", id="autolink-data"),
    pytest.param('<http://a.example/"onmouseover=alert(1)>', "a.example", id="autolink-quote"),
    # The breakout text stays whole inside the alt / title value.
    pytest.param('![a" onerror="alert(1)](x.png)', 'a" onerror="alert(1)', id="image-alt-breakout"),
    pytest.param('![x](x.png "a\\" onerror=\\"alert(1)")', "x", id="image-title-breakout"),
    pytest.param('[a](x.png "t\\" onmouseover=\\"alert(1)")', "a", id="link-title-breakout"),
    pytest.param('[x](https://ok.example/" onmouseover="alert(1))', "x", id="link-href-quote"),
    pytest.param("[x](https://ok.example/'onmouseover=alert(1)//)", "x", id="link-href-apos"),
    pytest.param("<svg onload=alert(1)>", "onload=alert(1)", id="svg-onload"),
    pytest.param(
        '<svg><use href="data:image/svg+xml,<svg id=x xmlns=http://www.w3.org/2000/svg>'
        '<script>alert(1)</script></svg>#x"/></svg>',
        "<use",
        id="svg-use-href",
    ),
    pytest.param("<iframe src=javascript:alert(1)>", "<iframe", id="iframe"),
    pytest.param('<a href="javascript:alert(1)">x</a>', "x", id="html-anchor"),
    pytest.param('<a href="&#x6A;avascript:alert(1)">x</a>', "x", id="html-anchor-entity"),
    pytest.param(
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<mglyph>",
        id="math-mglyph-mutation",
    ),
    pytest.param(
        "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
        "<mglyph>",
        id="form-math-mutation",
    ),
    pytest.param("<style>@import 'x'</style>", "@import", id="style-import"),
    pytest.param("<body onload=alert(1)>", "<body", id="body-onload"),
    pytest.param(
        '<div style="background:url(javascript:alert(1))">x</div>', "x", id="div-style-url"
    ),
    pytest.param('<object data="javascript:alert(1)"></object>', "<object", id="object"),
    pytest.param('<embed src="data:text/html,<script>alert(1)</script>">', "<embed", id="embed"),
    pytest.param(
        '<form action="javascript:alert(1)"><button>x</button></form>', "<form", id="form"
    ),
    pytest.param("<input onfocus=alert(1) autofocus>", "autofocus", id="input-autofocus"),
    pytest.param("<details open ontoggle=alert(1)>", "ontoggle", id="details-ontoggle"),
    pytest.param(
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "<meta", id="meta"
    ),
    pytest.param('<base href="javascript:alert(1)//">', "<base", id="base"),
    pytest.param('<link rel=import href="https://evil.example/x.html">', "<link", id="link-tag"),
    pytest.param("<template><script>alert(1)</script></template>", "<template>", id="template"),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "</noscript>",
        id="noscript-mutation",
    ),
    pytest.param('<xss style="behavior:url(x.htc)">x</xss>', "behavior", id="custom-behavior"),
    pytest.param("<scr<script>ipt>alert(1)</scr</script>ipt>", "ipt>", id="split-script"),
    pytest.param("<!--<img src=x onerror=alert(1)>-->", "<!--", id="comment"),
    pytest.param("<![CDATA[<script>alert(1)</script>]]>", "CDATA", id="cdata"),
    pytest.param("`<script>alert(1)</script>`", "<script>alert(1)</script>", id="code-span"),
    pytest.param(
        "```html\n<script>alert(1)</script>\n```", "<script>alert(1)</script>", id="code-block"
    ),
    pytest.param(
        "    <img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>", id="indented-code"
    ),
    pytest.param('```js" onclick="alert(1)\nx\n```', "x", id="fence-info-breakout"),
    pytest.param(
        "**<img src=x onerror=alert(1)>** _[y](javascript:alert(1))_",
        "y",
        id="emphasis-mix",
    ),
    pytest.param(
        "> <script>alert(1)</script>\n> [x](javascript:alert(1))", "x", id="blockquote-mix"
    ),
    pytest.param(
        "[<img src=x onerror=alert(1)>](https://ok.example)", "onerror", id="html-in-link-text"
    ),
    pytest.param("[![x](javascript:alert(1))](javascript:alert(1))", "x", id="nested-image-link"),
    pytest.param("| a |\n|:-:|\n| <img src=x onerror=alert(1)> |", "onerror", id="table-cell-html"),
    pytest.param(
        "- <a href=javascript:alert(1)>x</a>\n- [y](javascript:alert(1))", "y", id="list-mix"
    ),
    pytest.param(
        "<a href='https://ok.example' style='position:fixed;top:0'>x</a>", "x", id="style-overlay"
    ),
]


@pytest.mark.parametrize(("source", "visible"), XSS_VECTORS)
def test_xss_vector_renders_inert(source, visible):
    html = render_markdown(source)
    result = assert_inert(html)
    assert result.visible.strip(), f"nothing visible left of {source!r}: {html!r}"
    if visible is not None:
        assert visible in result.visible, f"{visible!r} not visible in {html!r}"


# Raw HTML never reaches nh3 from the Markdown parser as configured; feed it to the
# sanitizer directly, so the second layer is tested on its own.
SANITIZER_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)//>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JAVASCRIPT:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="java\x00script:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="https://ok.example/" title="t" onmouseover="alert(1)">x</a>',
    '<a href="/x" rel="opener" target="_blank">x</a>',
    '<img src="javascript:alert(1)" alt="x">',
    "<svg onload=alert(1)>",
    "<svg><p><style><img src=x onerror=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi><style><img src=x onerror=alert(1)></style>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object><embed src=javascript:alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//"><link rel=import href="https://evil.example/">',
    "<template><script>alert(1)</script></template>",
    "<details open ontoggle=alert(1)>x</details>",
    '<input onfocus=alert(1) autofocus><form action="javascript:alert(1)"><button>x</button>',
    "<style>@import 'x'</style><p style=\"text-align:left\">x</p>",
    '<xss style="behavior:url(x.htc)">x</xss>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<table><tr><td style="text-align:left;background:url(javascript:alert(1))">x</td></tr>'
    "</table>",
    '<table><tr><th style="width:expression(alert(1))">x</th></tr></table>',
    '<code class="language-py" onclick="alert(1)">x</code>',
    '<ol start="1" onclick="alert(1)" type="a"><li>x</li></ol>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<!--<img src=x onerror=alert(1)>-->",
]


@pytest.mark.parametrize("html", SANITIZER_VECTORS)
def test_sanitizer_alone_makes_raw_html_inert(html):
    assert_inert(sanitize_html(html))


def test_sanitizer_drops_the_bad_part_but_keeps_the_link():
    out = audit(sanitize_html('<a href="https://ok.example/" onclick="alert(1)">x</a>'))
    assert out.elements == [
        ("a", [("href", "https://ok.example/"), ("rel", "nofollow ugc noopener noreferrer")])
    ]
    assert out.text == "x"


def test_sanitizer_keeps_only_text_align_from_a_cell_style():
    html = sanitize_html(
        '<table><tr><td style="text-align: center; background: url(x)">x</td></tr></table>'
    )
    (td,) = [attrs for tag, attrs in audit(html).elements if tag == "td"]
    assert td == [("style", "text-align:center")]


# --- Ordinary Markdown still renders --------------------------------------------------


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    return [dict(attrs) for name, attrs in audit(html).elements if name == tag]


def test_headings():
    html = render_markdown("# Battery drain\n\n## On 14.0.3\n\n###### Small")
    assert "<h1>Battery drain</h1>" in html
    assert "<h2>On 14.0.3</h2>" in html
    assert "<h6>Small</h6>" in html
    assert_inert(html)


def test_lists():
    html = render_markdown("- one\n- two\n\n3. three\n4. four")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>' in html
    assert_inert(html)


def test_emphasis_strike_quote_and_inline_code():
    html = render_markdown("**bold** *it* ~~gone~~ `adb reboot`\n\n> quoted")
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html
    assert "<s>gone</s>" in html or "<del>gone</del>" in html
    assert "<code>adb reboot</code>" in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert_inert(html)


def test_code_block_shows_script_as_text():
    html = render_markdown("```html\n<script>alert(1)</script>\n```")
    assert html == (
        '<pre><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n'
    )
    result = assert_inert(html)
    assert result.text.strip() == "<script>alert(1)</script>"


def test_inline_html_is_shown_as_text():
    html = render_markdown("Press <kbd>Power</kbd> and <script>x</script>")
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<script" not in html


def test_table_with_alignment():
    html = render_markdown("| Model | Codename | Price |\n|:--|:-:|--:|\n| 14 Pro | houji | 4999 |")
    assert [c.get("style") for c in elements(html, "th")] == [
        "text-align:left",
        "text-align:center",
        "text-align:right",
    ]
    assert [c.get("style") for c in elements(html, "td")] == [
        "text-align:left",
        "text-align:center",
        "text-align:right",
    ]
    result = assert_inert(html)
    assert "houji" in result.text and "4999" in result.text


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[MIUI](https://www.mi.com/global/)", "https://www.mi.com/global/"),
        ("[plain](http://example.com/a?b=1&c=2)", "http://example.com/a?b=1&c=2"),
        ("<https://example.com/auto>", "https://example.com/auto"),
        ("[mail](mailto:help@example.com)", "mailto:help@example.com"),
        ("[floor](/thread/1/#floor-2)", "/thread/1/#floor-2"),
        ("[ref][r]\n\n[r]: https://example.com/ref", "https://example.com/ref"),
    ],
)
def test_links_keep_their_target_and_get_nofollow_ugc(source, href):
    html = render_markdown(source)
    (link,) = elements(html, "a")
    assert link["href"] == href
    rel = (link.get("rel") or "").split()
    assert "nofollow" in rel and "ugc" in rel
    assert_inert(html)


def test_link_with_a_disallowed_scheme_keeps_its_text_but_loses_the_target():
    html = render_markdown("[firmware](ftp://files.example/rom.zip)")
    (link,) = elements(html, "a")
    assert "href" not in link
    assert audit(html).text.strip() == "firmware"


def test_images_with_https_src_are_kept():
    html = render_markdown('![screenshot](https://img.example/shot.png "Settings")')
    (img,) = elements(html, "img")
    assert img == {"src": "https://img.example/shot.png", "alt": "screenshot", "title": "Settings"}
    assert_inert(html)


def test_chinese_paragraph_renders_unchanged():
    text = "小米14 Pro 升级到 HyperOS 1.0.5 之后续航明显变差，待机一晚掉电 15%。有人遇到过吗？"
    assert render_markdown(text) == f"<p>{text}</p>\n"


def test_everything_rendered_is_within_the_allow_list():
    source = (
        "# H\n\nText **b** *i* ~~s~~ `c` [l](https://e.example) ![i](https://e.example/i.png)"
        "\n\n> q\n\n1. a\n2. b\n\n- c\n\n---\n\n```py\nprint(1)\n```"
        "\n\n| a | b |\n|:-|-:|\n| 1 | 2 |"
        "\n\nline  \nbreak"
    )
    html = render_markdown(source)
    result = assert_inert(html)
    tags = {tag for tag, _ in result.elements}
    assert {"h1", "p", "strong", "em", "s", "code", "a", "img", "blockquote", "ol", "ul"} <= tags
    assert {"li", "hr", "pre", "table", "thead", "tbody", "tr", "th", "td", "br"} <= tags


# --- Through the forum: the thread page ------------------------------------------------

# (post source, the exact HTML the thread page must show for it). Comparing the page's
# post body with a fixed expectation is what makes these cases able to fail: an inertness
# audit alone passes for a renderer that drops the post, for one that skips Markdown, and
# for a template that escapes the HTML or prints the source instead.
E2E_VECTORS = [
    pytest.param(
        "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", id="script"
    ),
    pytest.param(
        "<img src=x onerror=alert(1)>",
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>",
        id="img-onerror",
    ),
    pytest.param(
        "[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>", id="link-javascript"
    ),
    pytest.param(
        '![a" onerror="alert(1)](x.png)',
        '<p><img src="x.png" alt="a&quot; onerror=&quot;alert(1)"></p>',
        id="image-alt-breakout",
    ),
    pytest.param(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        '<p>&lt;noscript&gt;&lt;p title="&lt;/noscript&gt;'
        '&lt;img src=x onerror=alert(1)&gt;"&gt;</p>',
        id="noscript",
    ),
    pytest.param(
        "<svg onload=alert(1)><script>alert(2)</script>",
        "<p>&lt;svg onload=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>",
        id="svg",
    ),
    pytest.param(
        "`<script>alert(1)</script>`",
        "<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></p>",
        id="code-span",
    ),
    pytest.param(
        "</div><script>alert(1)</script><div class=post-body>",
        "<p>&lt;/div&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;div class=post-body&gt;</p>",
        id="close-div",
    ),
]


def thread_page(client, body: str) -> str:
    thread = make_thread(body=body)
    response = client.get(thread.get_absolute_url(), follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("body", "expected"), E2E_VECTORS)
def test_thread_page_shows_the_vector_inert(client, db, body, expected):
    harmless = thread_page(client, "It drains.")
    page = thread_page(client, body)
    assert page.count("<script") == harmless.count("<script") >= 1
    assert Post.objects.get(source=body).html.strip() == expected

    result = audit(page, scope_class="post-body")
    assert result.scopes_seen == 1
    assert not problems_in(result), problems_in(result)
    assert result.visible.strip()
    # Sanitized output holds no <div>, so the first </div> closes the post body.
    (post_body,) = re.findall(r'<div class="post-body">(.*?)</div>', page, re.DOTALL)
    assert post_body.strip() == expected  # the stored rendering, shown as HTML, unescaped
    assert "<script" not in post_body.lower()
    # `onerror=` may be visible text (escaped) or inside a quoted alt; never an attribute.
    assert not EVENT_HANDLER_IN_TAG_RE.search(post_body)
    assert not re.search(r"<[^>]*\sonerror\s*=\s*(?!&quot;)", post_body, re.IGNORECASE)
