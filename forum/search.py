"""Search: one tokenizer for what is stored and what is asked, and the highlighter.

Posts keep a `search_text` column written at post time by forum.services:
Latin words lower-cased as they are, and every run of CJK characters turned
into its single characters and its overlapping pairs (bigrams):

    "这个固件更新后耗电很快"  ->  "这 这个 个 个固 固 固件 件 件更 … 快"

Why bigrams: Chinese is written without spaces and we ship no dictionary, so
we cannot know where words end. Every two-character word (固件, 耗电, 刷机 …)
is a bigram of any text that contains it, so recall is complete for them, and
longer words are found through their bigrams; it needs no word list, so new slang
and device names (澎湃OS, 小米14) are found the day they appear. Single
characters are stored too, so a one-character query still finds something.

Traditional and Simplified characters are one script here: text and queries
alike are folded to Simplified with OpenCC's t2s table (論壇 -> 论坛, 裡/裏 ->
里) before tokenizing, so 論壇 finds 论坛 and the other way round. The fold
maps one character to one character (checked below), so the highlighter can
match on folded text and mark the original. When the fold changes, rebuild
search_text (a data migration running forum.services.post_search_text_rebuild).

A query needs fewer than all of its runs' bigrams: 微信通知 needs 微信 and
通知 but not 信通, so it finds what 微信 通知 finds (see _run_terms); posts
holding the query's characters in a row rank first.

On PostgreSQL the column is indexed as `to_tsvector('simple', search_text)`:
the 'simple' configuration only lower-cases, so nothing is stemmed or dropped
as a stop word and each stored token is matched as written. SQLite (the
embedded default) has no full-text index here; it ANDs `icontains` on the same
tokens, so Chinese works there too, just by scanning.
"""

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import opencc
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


@functools.cache
def _opencc(config: str) -> opencc.OpenCC:
    # Loading a table takes under a millisecond; each is kept for the process.
    return opencc.OpenCC(config)


def fold_script(text: str) -> str:
    """Traditional characters as Simplified; everything else as it is. Same length.

    OpenCC's standard Traditional -> Simplified table with its phrases (乾燥 ->
    干燥); variants such as 裡 and 裏 both become 里. Words stay the writer's:
    Taiwan's 韌體 becomes 韧体, not the mainland's 固件 (see regional_spellings).
    """
    return _opencc("t2s").convert(text) if text else text


def _normalize(text: str) -> str:
    # NFKC folds full-width letters and digits (ＭＩＵＩ１４) into plain ones.
    return fold_script(unicodedata.normalize("NFKC", text).lower())


class _CharFold(dict):
    """str.translate table: each character NFKC-folded and lower-cased, if it stays one."""

    def __missing__(self, char_code: int) -> int:
        folded = unicodedata.normalize("NFKC", chr(char_code)).lower()
        self[char_code] = ord(folded) if len(folded) == 1 else char_code
        return self[char_code]


_CHAR_FOLD = _CharFold()


def _normalize_aligned(text: str) -> str:
    """_normalize() that keeps every character where it was, for the highlighter.

    Folds character by character, so ligatures and the like that NFKC widens
    stay as they are; the t2s fold maps one character to one (all of its
    tables do), and a character-by-character fold stands in if it ever did not.
    """
    folded = text.translate(_CHAR_FOLD)
    simplified = fold_script(folded)
    if len(simplified) == len(folded):
        return simplified
    return "".join(c if len(s := fold_script(c)) != 1 else s for c in folded)


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


def _run_tokens(run: str) -> list[str]:
    """A CJK run as stored: each character, then the pair it starts."""
    tokens: list[str] = []
    for i, char in enumerate(run):
        tokens.append(char)
        if i + 1 < len(run):
            tokens.append(run[i : i + 2])
    return tokens


def search_document(title: str, body: str) -> str:
    """The `search_text` stored for a post: its title (floor 1 only) and body as tokens."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(_normalize(f"{title}\n{body}")):
        run = match.group("cjk")
        if run:
            tokens.extend(_run_tokens(run))
            continue
        word = match.group("word")
        tokens.append(word)
        if "." in word:
            tokens.extend(_dotted_variants(word))
    return " ".join(tokens)


def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


@dataclass(frozen=True)
class Query:
    """What a search string asks for: every term must occur in the post."""

    terms: tuple[str, ...]
    # The last term is a Latin word the searcher may still be typing: match as a prefix.
    prefix_last: bool = False
    # More terms were asked for than SEARCH_MAX_TERMS; only the first ones are used.
    truncated: bool = False
    # The query's CJK text, runs split only by spaces or punctuation joined up
    # (微信 通知 -> 微信通知): posts holding one in a row rank first.
    phrases: tuple[str, ...] = ()
    # What the highlighter marks: Latin words, one-character runs and every
    # bigram of the phrases, never a long run's lone middle characters.
    marks: tuple[str, ...] = ()

    def __bool__(self):
        return bool(self.terms)

    @property
    def phrase_bigrams(self) -> tuple[str, ...]:
        """Every bigram of the phrases: what ranks a post and what gets marked."""
        pairs = (pair for phrase in self.phrases for pair in _bigrams(phrase))
        return tuple(dict.fromkeys(pairs))[: settings.POPCORN["SEARCH_MAX_TERMS"] * 2]

    @property
    def ranked_phrases(self) -> tuple[str, ...]:
        # A phrase of two characters is one bigram, already a required term.
        return tuple(phrase for phrase in self.phrases if len(phrase) > 2)

    def tsquery(self) -> str:
        """to_tsquery() syntax with every term quoted as a lexeme, all required.

        Quoting makes & | ! ( ) : * < > in the input plain characters; the
        string is still passed to the database as a parameter, never spliced
        into SQL. (Terms hold only letters, digits and dots; the escaping is a
        second guard in case the tokenizer ever lets more through.)
        """
        return " & ".join(self._lexemes(self.terms))

    def rank_tsquery(self) -> str:
        """Any term or phrase bigram: ts_rank scores a post by how many it holds, how often."""
        terms = tuple(dict.fromkeys([*self.terms, *self.phrase_bigrams]))
        return " | ".join(self._lexemes(terms))

    def phrase_tsquery(self) -> str:
        """Every long phrase in a row: its bigrams two positions apart, as stored."""
        return " & ".join(
            "(" + " <2> ".join(_lexeme(pair) for pair in _bigrams(phrase)) + ")"
            for phrase in self.ranked_phrases
        )

    def phrase_documents(self) -> tuple[str, ...]:
        """Each long phrase as the tokens search_document writes for it (SQLite's phrase test)."""
        return tuple(" ".join(_run_tokens(phrase)) for phrase in self.ranked_phrases)

    def _lexemes(self, terms) -> list[str]:
        prefix = self.terms[-1] if self.prefix_last else None
        return [_lexeme(term) + (":*" if term == prefix else "") for term in terms]


def _run_terms(run: str) -> list[str]:
    """What a query's CJK run requires: its first and last bigram and the characters between.

    Any split of the run into words of two or more characters keeps those two
    bigrams and every character, so 微信通知 (微信 通知) finds all that 微信 通知
    finds, and 更新后耗电很快 all that 更新后 耗电 很快 finds. The bigrams
    across a possible word boundary (信通) only rank.
    """
    if len(run) <= 2:
        return [run]
    return [run[:2], *run[2:-2], run[-2:]]


def parse_query(text: str) -> Query:
    """Tokenize a search string like search_document(), with limits.

    A CJK run becomes _run_terms() (one or two characters: itself), Latin
    words stay whole. The input is cut to SEARCH_MAX_QUERY_LENGTH characters
    and SEARCH_MAX_TERMS distinct terms, so no input makes the query
    arbitrarily large.
    """
    text = _normalize((text or "")[: settings.POPCORN["SEARCH_MAX_QUERY_LENGTH"]])
    terms: list[str] = []
    phrases: list[str] = []
    marks: list[str] = []
    last_is_word = joining = False
    for match in _TOKEN.finditer(text):
        run = match.group("cjk")
        if run:
            terms.extend(_run_terms(run))
            marks.extend(_bigrams(run) or [run])
            if joining:
                marks.append(phrases[-1][-1] + run[0])
                phrases[-1] += run
            else:
                phrases.append(run)
            last_is_word, joining = False, True
        else:
            terms.append(match.group("word"))
            marks.append(match.group("word"))
            last_is_word, joining = True, False
    unique = tuple(dict.fromkeys(terms))
    limit = settings.POPCORN["SEARCH_MAX_TERMS"]
    truncated = len(unique) > limit
    return Query(
        terms=unique[:limit],
        prefix_last=last_is_word and not truncated,
        truncated=truncated,
        phrases=tuple(dict.fromkeys(phrases)),
        marks=tuple(dict.fromkeys(marks)),
    )


def vocabulary(names: Iterable[str]) -> frozenset[str]:
    """The Latin words of some names (boards, devices) a misspelt query word may mean."""
    return frozenset(
        word
        for name in names
        for match in _TOKEN.finditer(_normalize(name))
        if (word := match.group("word")) and len(word) >= 3 and not word[0].isdigit()
    )


def did_you_mean(text: str, known: frozenset[str]) -> str:
    """text with each Latin word that is not a known word but close to one put right, or "".

    Known words come from vocabulary(); "" when no word needed putting right.
    """
    if not known:
        return ""
    choices = sorted(known)
    pieces, cursor = [], 0
    for match in _TOKEN.finditer(text):
        word = match.group("word")
        folded = word and _normalize(word)
        if not folded or len(folded) < 3 or folded in known:
            continue
        close = difflib.get_close_matches(folded, choices, n=1, cutoff=0.75)
        if close:
            pieces += [text[cursor : match.start()], close[0]]
            cursor = match.end()
    return "".join([*pieces, text[cursor:]]) if pieces else ""


def regional_spellings(text: str) -> list[str]:
    """text in the other region's words, where they differ: 韌體 (Taiwan) <-> 固件 (mainland).

    The fold keeps each writer's words, so a post about 韌體 is not found by
    固件; these are offered when a search finds nothing. tw2sp writes the
    mainland's words in Simplified, s2twp Taiwan's in Traditional.
    """
    seen = {fold_script(text)}
    spellings = []
    for config in ("tw2sp", "s2twp"):
        spelling = _opencc(config).convert(text)
        if fold_script(spelling) not in seen:
            seen.add(fold_script(spelling))
            spellings.append(spelling)
    return spellings


class _PostTextSearch(Func):
    """to_tsvector('simple', search_text) spelled exactly like the GIN index.

    Migration 0003_search creates `post_search_gin` on that expression; the
    planner only uses an expression index for the identical expression, so
    these are written out here rather than built from SearchVector (which adds
    a COALESCE). The tsquery text (a Query's tsquery(), rank_tsquery() or
    phrase_tsquery()) is a bound parameter.
    """

    sql_template = ""

    def __init__(self, tsquery: str):
        super().__init__(F("search_text"), Value(tsquery))

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
    """Where the query's marks are in text, found in its folded form.

    The folded text is as long as the original and aligned with it, so a
    Traditional 論壇 is found by the Simplified term 论坛 and marked as written.
    """
    if not query or not text:
        return []
    # Longest terms first; a lookahead so overlapping bigrams (固件, 件更) all count.
    marks = query.marks or query.terms
    alternatives = "|".join(_term_pattern(t) for t in sorted(marks, key=len, reverse=True))
    finder = re.compile(rf"(?=({alternatives}))")
    spans: list[tuple[int, int]] = []
    for match in finder.finditer(_normalize_aligned(text)):
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
