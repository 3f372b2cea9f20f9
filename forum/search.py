"""Search: one tokenizer for what is stored and what is asked, and the highlighter.

Posts keep a `search_text` column written at post time by forum.services:
Latin words lower-cased as they are, and every run of CJK characters turned
into its single characters and its overlapping pairs (bigrams):

    "这个固件更新后耗电很快"  ->  "这 这个 个 个固 固 固件 件 件更 … 快"

Why bigrams: Chinese is written without spaces and we ship no dictionary, so
we cannot know where words end. Every two-character word (固件, 耗电, 刷机 …)
is a bigram of any text that contains it, so recall is complete for them, and
longer words are the AND of their bigrams; it needs no word list, so new slang
and device names (澎湃OS, 小米14) are found the day they appear. Single
characters are stored too, so a one-character query still finds something.

On PostgreSQL the column is indexed as `to_tsvector('simple', search_text)`:
the 'simple' configuration only lower-cases, so nothing is stemmed or dropped
as a stop word and each stored token is matched as written. SQLite (the
embedded default) has no full-text index here; it ANDs `icontains` on the same
tokens, so Chinese works there too, just by scanning.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, F, FloatField, Func, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Han (with extensions and compatibility ideographs), kana, Hangul syllables and
# the ideographic marks 々〆〇. Kana's middle dot ・ (U+30FB) is punctuation.
_CJK = (
    "\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
# A Latin "word": letters and digits of any non-CJK script (no underscore), with
# inner dots kept so firmware versions such as 14.0.3 stay one token.
_WORD_CHAR = rf"[^\W_{_CJK}]"
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>{_WORD_CHAR}+(?:\.{_WORD_CHAR}+)*)")


def _normalize(text: str) -> str:
    # NFKC folds full-width letters and digits (ＭＩＵＩ１４) into plain ones.
    return unicodedata.normalize("NFKC", text).lower()


_LETTER_PREFIX = re.compile(r"^[a-z]+(?=\d)")  # the V of V14.0.3, the OS of OS1.0.5


def _dotted_variants(word: str) -> list[str]:
    """Extra tokens for a dotted word, so a firmware version is found by what fans type.

    v14.0.3.0.tmccnxm also stores its parts (v14, 0, 3, 0, tmccnxm) and its
    leading runs with and without the letter prefix (v14.0, v14.0.3, …, 14.0.3,
    14.0.3.0, 14.0.3.0.tmccnxm), so searching 14.0.3 or OS1.0.5 finds it.
    """
    parts = word.split(".")
    variants = list(parts)
    firsts = [parts[0]]
    bare = _LETTER_PREFIX.sub("", parts[0])
    if bare != parts[0]:
        firsts.append(bare)
    for first in firsts:
        for end in range(2, min(len(parts), 8) + 1):
            run = ".".join([first, *parts[1:end]])
            if run != word:
                variants.append(run)
    return variants


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def search_document(title: str, body: str) -> str:
    """The `search_text` stored for a post: its title (floor 1 only) and body as tokens."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(_normalize(f"{title}\n{body}")):
        run = match.group("cjk")
        if run:
            for i, char in enumerate(run):
                tokens.append(char)
                if i + 1 < len(run):
                    tokens.append(run[i : i + 2])
            continue
        word = match.group("word")
        tokens.append(word)
        if "." in word:
            tokens.extend(_dotted_variants(word))
    return " ".join(tokens)


@dataclass(frozen=True)
class Query:
    """What a search string asks for: every term must occur in the post."""

    terms: tuple[str, ...]
    # The last term is a Latin word the searcher may still be typing: match as a prefix.
    prefix_last: bool = False
    # More terms were asked for than SEARCH_MAX_TERMS; only the first ones are used.
    truncated: bool = False

    def __bool__(self):
        return bool(self.terms)

    def tsquery(self) -> str:
        """to_tsquery() syntax with every term quoted as a lexeme.

        Quoting makes & | ! ( ) : * < > in the input plain characters; the
        string is still passed to the database as a parameter, never spliced
        into SQL. (Terms hold only letters, digits and dots; the escaping is a
        second guard in case the tokenizer ever lets more through.)
        """
        parts = []
        for i, term in enumerate(self.terms):
            lexeme = "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
            if self.prefix_last and i == len(self.terms) - 1:
                lexeme += ":*"
            parts.append(lexeme)
        return " & ".join(parts)


def parse_query(text: str) -> Query:
    """Tokenize a search string like search_document(), with limits.

    A CJK run of n characters becomes its n-1 bigrams (one character: itself),
    Latin words stay whole. The input is cut to SEARCH_MAX_QUERY_LENGTH
    characters and SEARCH_MAX_TERMS distinct terms, so no input makes the
    query arbitrarily large.
    """
    text = _normalize((text or "")[: settings.POPCORN["SEARCH_MAX_QUERY_LENGTH"]])
    terms: list[str] = []
    last_is_word = False
    for match in _TOKEN.finditer(text):
        run = match.group("cjk")
        if run:
            terms.extend(_bigrams(run) or [run])
            last_is_word = False
        else:
            terms.append(match.group("word"))
            last_is_word = True
    unique = tuple(dict.fromkeys(terms))
    limit = settings.POPCORN["SEARCH_MAX_TERMS"]
    truncated = len(unique) > limit
    return Query(
        terms=unique[:limit], prefix_last=last_is_word and not truncated, truncated=truncated
    )


class _PostTextSearch(Func):
    """to_tsvector('simple', search_text) spelled exactly like the GIN index.

    Migration 0003_search creates `post_search_gin` on that expression; the
    planner only uses an expression index for the identical expression, so
    these are written out here rather than built from SearchVector (which adds
    a COALESCE). The tsquery text is a bound parameter.
    """

    sql_template = ""

    def __init__(self, query: Query):
        super().__init__(F("search_text"), Value(query.tsquery()))

    def as_sql(self, compiler, connection, **extra_context):
        document, tsquery = self.get_source_expressions()
        document_sql, document_params = compiler.compile(document)
        tsquery_sql, tsquery_params = compiler.compile(tsquery)
        sql = self.sql_template % {"document": document_sql, "query": tsquery_sql}
        return sql, (*document_params, *tsquery_params)


class PostTextMatch(_PostTextSearch):
    output_field = BooleanField()
    sql_template = (
        "to_tsvector('simple'::regconfig, %(document)s) @@ "
        "to_tsquery('simple'::regconfig, %(query)s)"
    )


class PostTextRank(_PostTextSearch):
    output_field = FloatField()
    sql_template = (
        "ts_rank(to_tsvector('simple'::regconfig, %(document)s), "
        "to_tsquery('simple'::regconfig, %(query)s))"
    )


# Highlighting works on plain text (a post's Markdown source, a title): find the
# terms, escape everything, then wrap the found spans in <mark>. Marks are only
# ever placed between escaped pieces of the original text, so they can never
# land inside a tag or split an entity such as &amp;.


def _term_pattern(term: str) -> str:
    if term[0].isdigit():
        # 14.0.3 is found inside V14.0.3.0.TMCCNXM, so mark it there too.
        return rf"(?<![\d.]){re.escape(term)}{_WORD_CHAR}*"
    if re.match(_WORD_CHAR, term):
        # A Latin term is marked from a word start through the rest of the word.
        return rf"(?<!{_WORD_CHAR}){re.escape(term)}{_WORD_CHAR}*"
    return re.escape(term)


def _match_spans(text: str, query: Query) -> list[tuple[int, int]]:
    if not query or not text:
        return []
    # Longest terms first; a lookahead so overlapping bigrams (固件, 件更) all count.
    alternatives = "|".join(_term_pattern(t) for t in sorted(query.terms, key=len, reverse=True))
    finder = re.compile(rf"(?=({alternatives}))", re.IGNORECASE)
    spans: list[tuple[int, int]] = []
    for match in finder.finditer(text):
        start, end = match.start(), match.start() + len(match.group(1))
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


def _render(text: str, spans, start: int, end: int) -> str:
    out, cursor = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(text[cursor:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text, escaped, with the query's terms in <mark>."""
    return mark_safe(_render(text, _match_spans(text, query), 0, len(text)))


def snippet(source: str, query: Query, *, length: int = 240, lead: int = 60) -> SafeString:
    """A window of the post's source as plain text around its first match, marked."""
    text = " ".join(source.split())
    spans = _match_spans(text, query)
    start = max(0, spans[0][0] - lead) if spans else 0
    if start and len(text) - start < length:
        start = max(0, len(text) - length)
    end = min(len(text), start + length)
    body = _render(text, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + body + ("…" if end < len(text) else ""))
