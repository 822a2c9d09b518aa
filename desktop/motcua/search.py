"""Offline search over procedures and dossiers (SQLite FTS5), forgiving of how people type.

Rules (docs/catalog.md has the long form):
- text and queries are folded alike (motcua.domain.text.fold): no tone or vowel marks, đ→d, so
  "giay phep", "giấy phép" and "giầy phẹp" (wrong tones) are the same query;
- every word is a prefix ("buu ch" finds "bưu chính"); all words must match;
- a query that looks like a code is also matched against codes: an exact code comes first, then
  codes containing it ("003560" finds 1.003560);
- when nothing matches, stray Telex letters are removed and the query runs again ("giaays pheps"),
  and as a last resort (three words or more) all words but one must match;
- procedures rank by bm25 with column weights (code, name, field, components, guidance), except
  that a name equal to the query, then a name holding the query as a phrase, goes first.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from motcua.domain.text import clean, fold

# snippet() markers: control characters never found in catalog text, turned into [..] or <b>..</b>.
_OPEN, _CLOSE = "\x02", "\x03"
PROCEDURE_WEIGHTS = (10.0, 5.0, 2.0, 1.0, 0.5)  # code, name, field, components, guidance
_EXACT_CODE_SCORE = 1_000_000.0
_CODE_PART_SCORE = 100_000.0
_NAME_BONUS = 1_000.0  # per tier: the name holds the query as a phrase (1) or is the query (2)
_RERANK_POOL = 50  # bm25 candidates re-ranked by the name tiers

_WORD = re.compile(r"[0-9a-z]+")
_CODE_LIKE = re.compile(r"[0-9][0-9a-z.\-]*")


@dataclass(frozen=True)
class SearchResult:
    kind: str  # "procedure" | "dossier"
    code: str
    name: str
    score: float  # higher is better; comparable within one kind only
    snippet: str  # matched words in [brackets]
    marked: str = field(default="", repr=False, compare=False)

    def snippet_html(self) -> str:
        """The snippet as Qt rich text: escaped, matched words in bold."""
        return html.escape(self.marked).replace(_OPEN, "<b>").replace(_CLOSE, "</b>")

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "score": self.score,
            "snippet": self.snippet,
        }


def terms(query: str) -> list[str]:
    """The folded words of a query; punctuation separates words as it does in the index."""
    return _WORD.findall(fold(clean(query)))


_TONE_LETTER_INSIDE = re.compile(r"(?<=[aeiouyw])[sfrxjz]")
_TRAILING_TONE = re.compile(r"(?<=.)[sfrxjz]+$")
_W_AFTER_VOWEL = re.compile(r"(?<=[aou])w")
_DOUBLED = re.compile(r"([aeod])\1")


def strip_telex(word: str) -> str:
    """Undo Telex keystrokes that reached the text unconverted: "giaays" → "giay", "dduwowngf" → "duong".

    Folded Vietnamese never has s/f/r/x/j/z after a vowel or at the end of a word (they are only
    initials: s-, r-, x-, tr-), so there they can only be tone keys. w marks ă/ơ/ư; aa/ee/oo/dd mark
    â/ê/ô/đ. Only a fallback: "xoong" loses a letter, which is why the plain query runs first.
    """
    if any(ch.isdigit() for ch in word):
        return word
    word = _TRAILING_TONE.sub("", word)
    word = _TONE_LETTER_INSIDE.sub("", word)
    word = _W_AFTER_VOWEL.sub("", word).replace("w", "u")  # aw/ow/uw: ă/ơ/ư; a lone w is ư
    return _DOUBLED.sub(r"\1", word) or word


def _match(words: Sequence[str]) -> str:
    # Quoted, so words such as AND/OR/NOT or a leading digit are never read as query syntax.
    return " ".join(f'"{w}"*' for w in words)


def _today() -> str:
    return dt.date.today().isoformat()


def _plain(marked: str) -> str:
    return marked.replace(_OPEN, "[").replace(_CLOSE, "]").replace("\n", " · ")


def _procedure_code_hits(
    conn: sqlite3.Connection, folded: str, limit: int, include_abolished: bool
) -> list[SearchResult]:
    if not _CODE_LIKE.fullmatch(folded) or not any(ch.isdigit() for ch in folded):
        return []
    like = "%" + folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        "SELECT code, name, code_folded = :q AS exact FROM procedures"
        " WHERE (code_folded = :q OR code_folded LIKE :like ESCAPE '\\')"
        "   AND (:all OR effective_until IS NULL OR effective_until > :today)"
        " ORDER BY exact DESC, code LIMIT :limit",
        {"q": folded, "like": like, "all": include_abolished, "today": _today(), "limit": limit},
    ).fetchall()
    marked = lambda code: _OPEN + code + _CLOSE  # noqa: E731 - the whole code is the match
    return [
        SearchResult(
            "procedure", code, name, _EXACT_CODE_SCORE if exact else _CODE_PART_SCORE, _plain(marked(code)),
            marked(code),
        )
        for code, name, exact in rows
    ]


def _name_tier(name: str, words: Sequence[str]) -> int:
    """2: the name is the query; 1: the name holds the query's words in order (the last as a prefix)."""
    have = _WORD.findall(fold(name))
    n = len(words)
    if not n or n > len(have):
        return 0
    if have == list(words):
        return 2
    for i in range(len(have) - n + 1):
        window = have[i : i + n]
        if window[:-1] == list(words[:-1]) and window[-1].startswith(words[-1]):
            return 1
    return 0


def _procedure_fts(
    conn: sqlite3.Connection, words: Sequence[str], limit: int, include_abolished: bool
) -> list[SearchResult]:
    weights = ", ".join(str(w) for w in PROCEDURE_WEIGHTS)
    rows = conn.execute(
        f"SELECT p.code, p.name, bm25(procedures_fts, {weights}) AS rank_,"
        f"  snippet(procedures_fts, -1, '{_OPEN}', '{_CLOSE}', '…', 12)"
        " FROM procedures_fts JOIN procedures p ON p.id = procedures_fts.rowid"
        " WHERE procedures_fts MATCH :match"
        "   AND (:all OR p.effective_until IS NULL OR p.effective_until > :today)"
        " ORDER BY rank_ LIMIT :limit",
        {"match": _match(words), "all": include_abolished, "today": _today(), "limit": max(limit, _RERANK_POOL)},
    ).fetchall()
    # bm25 is negative, better matches more so; flip it so that higher is better everywhere. Then a
    # name that *is* the query, or holds it as a phrase, goes above names that merely share words:
    # "đăng ký khai sinh" must put Đăng ký khai sinh above Đăng ký lại khai sinh.
    results = [
        SearchResult("procedure", c, n, round(-r + _NAME_BONUS * _name_tier(n, words), 4), _plain(s), s)
        for c, n, r, s in rows
    ]
    return sorted(results, key=lambda r: -r.score)[:limit]


def _dossier_code_hits(conn: sqlite3.Connection, query: str, limit: int) -> list[SearchResult]:
    raw = clean(query)
    if " " in raw or not raw:
        return []
    rows = conn.execute(
        "SELECT code, applicant_name FROM dossiers WHERE code IN (?, ?) LIMIT ?", (raw, raw.upper(), limit)
    ).fetchall()
    return [
        SearchResult("dossier", c, n or "", _EXACT_CODE_SCORE, f"[{c}]", _OPEN + c + _CLOSE) for c, n in rows
    ]


def _dossier_fts(conn: sqlite3.Connection, words: Sequence[str], limit: int) -> list[SearchResult]:
    rows = conn.execute(
        "SELECT d.code, d.applicant_name, bm25(dossiers_fts) AS rank_,"
        f"  snippet(dossiers_fts, 0, '{_OPEN}', '{_CLOSE}', '…', 12)"
        " FROM dossiers_fts JOIN dossiers d ON d.rowid = dossiers_fts.rowid"
        " WHERE dossiers_fts MATCH :match ORDER BY rank_ LIMIT :limit",
        {"match": _match(words), "limit": limit},
    ).fetchall()
    return [SearchResult("dossier", c, n or "", round(-r, 4), _plain(s), s) for c, n, r, s in rows]


def _with_fallbacks(words: list[str], run: Callable[[list[str]], list[SearchResult]]) -> list[SearchResult]:
    """The plain query, then without stray Telex letters, then any one word."""
    found = run(words)
    if found:
        return found
    telex = [strip_telex(w) for w in words]
    if telex != words:
        found = run(telex)
        if found:
            return found
    if len(words) > 2:
        # One word too many (a typo, a word the catalog does not use): every word but one must match.
        found = []
        for skip in range(len(words)):
            found.extend(run([w for i, w in enumerate(telex) if i != skip]))
        best: dict[str, SearchResult] = {}
        for result in sorted(found, key=lambda r: -r.score):
            best.setdefault(result.code, result)
        return list(best.values())
    return []


def _merge(first: list[SearchResult], then: list[SearchResult], limit: int) -> list[SearchResult]:
    seen = {r.code for r in first}
    return (first + [r for r in then if r.code not in seen])[:limit]


def search_procedures(
    conn: sqlite3.Connection, query: str, *, limit: int = 20, include_abolished: bool = False
) -> list[SearchResult]:
    words = terms(query)
    if not words:
        return []
    by_code = _procedure_code_hits(conn, fold(clean(query)), limit, include_abolished)
    by_text = _with_fallbacks(words, lambda m: _procedure_fts(conn, m, limit, include_abolished))
    return _merge(by_code, by_text, limit)


def search_dossiers(conn: sqlite3.Connection, query: str, *, limit: int = 20) -> list[SearchResult]:
    """Dossiers by applicant name, dossier code, ID number, phone, procedure name or summary."""
    words = terms(query)
    if not words:
        return []
    by_code = _dossier_code_hits(conn, query, limit)
    by_text = _with_fallbacks(words, lambda m: _dossier_fts(conn, m, limit))
    return _merge(by_code, by_text, limit)


def search(
    conn: sqlite3.Connection, query: str, *, kind: str | None = None, limit: int = 20
) -> list[SearchResult]:
    """Both kinds unless one is asked for: exact code matches first, then procedures, then dossiers."""
    procedures = search_procedures(conn, query, limit=limit) if kind in (None, "procedure") else []
    dossiers = search_dossiers(conn, query, limit=limit) if kind in (None, "dossier") else []
    exact = [r for r in procedures + dossiers if r.score == _EXACT_CODE_SCORE]
    rest = [r for r in procedures + dossiers if r.score != _EXACT_CODE_SCORE]
    return (exact + rest)[:limit]


def rebuild_dossier_index(conn: sqlite3.Connection) -> None:
    """Re-read dossiers.search_text into the index (after a VACUUM may have renumbered rowids)."""
    conn.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('rebuild')")
