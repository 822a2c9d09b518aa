"""Offline search over procedures and dossiers (SQLite FTS5), forgiving of how people type.

Rules (docs/catalog.md has the long form):
- text and queries are folded alike (motcua.domain.text.fold): no tone or vowel marks, đ→d, so
  "giay phep", "giấy phép" and "giầy phẹp" (wrong tones) are the same query;
- all words must match; the last one as a prefix ("buu ch" finds "bưu chính"), and if that finds
  nothing, every word as a prefix ("ng van d");
- a query that looks like a code is also matched against codes: an exact code comes first, then
  codes containing it ("003560" finds 1.003560);
- when nothing matches, stray Telex letters are removed and the query runs again ("giaays pheps"),
  and as a last resort (three words or more) all words but one must match;
- procedures rank by bm25 with column weights (code, name, field, components, guidance), except
  that a name equal to the query, then a name holding the query as a phrase, goes first;
- dossiers: the newest 50 matches, plus the newest matching the words as a phrase, are ranked by
  the applicant's name (equal to the query, then holding it as a phrase), then newest first: a
  common name matches thousands of dossiers; the desk wants the person named, and recent ones.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from motcua.domain.text import clean, fold

# snippet() markers: control characters never found in catalog text, turned into [..] or <b>..</b>.
_OPEN, _CLOSE = "\x02", "\x03"
PROCEDURE_WEIGHTS = (10.0, 5.0, 2.0, 1.0, 0.5)  # code, name, field, components, guidance
_EXACT_CODE_SCORE = 1_000_000.0
_CODE_PART_SCORE = 100_000.0
_NAME_BONUS = 1_000.0  # per tier: the name holds the query as a phrase (1) or is the query (2)
_RERANK_POOL = 30  # bm25 candidates re-ranked by the name tiers
_DOSSIER_POOL = 50  # newest matching dossiers that are ranked

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
    # procedures: the name holds every word of the query (or the code matched). False: the words are
    # only in the papers or the guidance, or one word did not match — a look-alike, not the procedure
    close: bool = field(default=True, compare=False)

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
            "close": self.close,
        }


@lru_cache(maxsize=65_536)
def _fold_word(word: str) -> str:
    # Names and procedure words repeat endlessly across result rows; folding is the hot path of
    # re-ranking and highlighting.
    return fold(word)


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


def _match(words: Sequence[str], *, all_prefixes: bool = False) -> str:
    """FTS5 query text: every word must match; the last word (being typed) as a prefix.

    Quoted, so words such as AND/OR/NOT or a leading digit are never read as query syntax. Prefixes
    on every word cost more (each expands to many index terms), so they are a fallback.
    """
    last = len(words) - 1
    return " ".join(f'"{w}"*' if all_prefixes or i == last else f'"{w}"' for i, w in enumerate(words))


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


def _without_lead(words: Sequence[str]) -> list[str]:
    """Without the "Thủ tục" national names often start with (and people may type or not)."""
    return list(words[2:]) if list(words[:2]) == ["thu", "tuc"] and len(words) > 2 else list(words)


@lru_cache(maxsize=8_192)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_without_lead(_WORD.findall(_fold_word(name))))


def _name_tier(name: str, words: Sequence[str]) -> int:
    """2: the name is the query; 1: the name holds the query's words in order (the last as a prefix)."""
    have = list(_name_words(name))
    words = _without_lead(words)
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


_LEAD_WORD_PENALTY = 0.2
_NAME_COVERAGE_BONUS = 10.0  # among look-alikes, the one sharing most words in its name
_FULL_NAME_BONUS = 100.0  # the name holds every word: above any procedure holding them elsewhere
_PHRASE_BONUS = 20.0  # the words in order somewhere in the text (a question of the guidance)


def _name_coverage(name: str, words: Sequence[str]) -> float:
    """The share of the query's words that the name holds (as word prefixes), in any order: among
    procedures that only share words with the query, those sharing them in the name come first."""
    words = _without_lead(words)
    if not words:
        return 0.0
    return _coverage(_name_words(name), tuple(words))


@lru_cache(maxsize=8_192)
def _coverage(have: tuple[str, ...], words: tuple[str, ...]) -> float:
    exact = set(have)
    return sum(1 for w in words if w in exact or any(h.startswith(w) for h in have)) / len(words)


def _lead_words(name: str, words: Sequence[str]) -> int:
    """How many words of the name come before the query's first word (0 when it is absent)."""
    have = _name_words(name)
    first = words[0] if words else ""
    return next((i for i, word in enumerate(have) if word.startswith(first)), 0)


def _procedure_fts(
    conn: sqlite3.Connection, words: Sequence[str], all_prefixes: bool, limit: int, include_abolished: bool
) -> list[SearchResult]:
    weights = ", ".join(str(w) for w in PROCEDURE_WEIGHTS)
    # No snippet() here: over the national records' long papers and steps it cost 20–150 ms for the
    # re-rank pool; the snippets of the few results shown are highlighted in Python (_snippets).
    rows = conn.execute(
        f"SELECT p.code, p.name, bm25(procedures_fts, {weights}) AS rank_"
        " FROM procedures_fts JOIN procedures p ON p.id = procedures_fts.rowid"
        " WHERE procedures_fts MATCH :match"
        "   AND (:all OR p.effective_until IS NULL OR p.effective_until > :today)"
        " ORDER BY rank_ LIMIT :limit",
        {"match": _match(words, all_prefixes=all_prefixes), "all": include_abolished, "today": _today(),
         "limit": max(limit, _RERANK_POOL)},
    ).fetchall()
    # bm25 is negative, better matches more so; flip it so that higher is better everywhere. Then a
    # name that *is* the query, or holds it as a phrase, goes above names that merely share words:
    # "đăng ký khai sinh" must put Đăng ký khai sinh above Đăng ký lại khai sinh.
    # Among names of one tier, the one whose match starts sooner is the closer one: "giấy phép bưu
    # chính" means Cấp giấy phép… before Cấp lại giấy phép… before Sửa đổi, bổ sung giấy phép….
    results = [
        SearchResult("procedure", c, n,
                     round(-r + _NAME_BONUS * _name_tier(n, words) + _NAME_COVERAGE_BONUS * _name_coverage(n, words)
                           - _LEAD_WORD_PENALTY * _lead_words(n, words), 4),
                     "", "")
        for c, n, r in rows
    ]
    phrased = _phrase_codes(conn, words, [r.code for r in results]) if len(words) > 2 else set()
    results = [
        SearchResult(r.kind, r.code, r.name,
                     round(r.score + (_FULL_NAME_BONUS if full else 0.0)
                           + (_PHRASE_BONUS if r.code in phrased else 0.0), 4),
                     r.snippet, r.marked, full)
        for r in results
        for full in [_name_coverage(r.name, words) == 1.0]
    ]
    return sorted(results, key=lambda r: -r.score)[:limit]  # snippets: _snippets() on what is shown


def _snippets(conn: sqlite3.Connection, results: list[SearchResult], words: Sequence[str]) -> list[SearchResult]:
    """Each result with its snippet: the first of name, field, papers, guidance holding a query word,
    the words marked where they stand in the text with its diacritics."""
    if not results:
        return results
    # Papers and guidance run to kilobytes: only a window around the first query word is read (the
    # folded column gives its place; folding keeps a letter a letter, so the place holds).
    window = "CASE WHEN instr({f}, ?) > 0 THEN substr({c}, max(1, instr({f}, ?) - 80), 320) END"
    marks = ",".join("?" * len(results))
    first = words[0]
    texts = {row[0]: row[1:] for row in conn.execute(
        f"SELECT code, name, field, {window.format(f='components_folded', c='components')},"
        f"  {window.format(f='guidance_folded', c='guidance')} FROM procedures WHERE code IN ({marks})",
        [first, first, first, first, *(r.code for r in results)])}
    out = []
    for r in results:
        marked = ""
        for text in texts.get(r.code, ()):
            found = highlight(text or "", words)
            if _OPEN in found:
                marked = _window(found)
                break
        out.append(replace(r, snippet=_plain(marked), marked=marked))
    return out


def _phrase_codes(conn: sqlite3.Connection, words: Sequence[str], codes: list[str]) -> set[str]:
    """Which of the candidates hold the query's words as one phrase (the last as a prefix)."""
    if not codes:
        return set()
    marks = ",".join("?" * len(codes))
    rows = conn.execute(
        "SELECT p.code FROM procedures_fts JOIN procedures p ON p.id = procedures_fts.rowid"
        f" WHERE procedures_fts MATCH ? AND p.code IN ({marks})",
        ['"' + " ".join(words) + '"*', *codes],
    ).fetchall()
    return {code for (code,) in rows}


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


def _one_char_folds() -> dict[int, str]:
    table = {}
    for cp in (*range(0x80, 0x250), *range(0x1E00, 0x1F00), *range(0x41, 0x5B)):
        folded = fold(chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            table[cp] = folded
    return table


# Latin letters (with every Vietnamese mark) folded one character for one character, so that a
# match found in the folded text has the same position in the original.
_FOLD_TABLE = _one_char_folds()


def highlight(text: str, words: Sequence[str]) -> str:
    """Mark the words of ``text`` whose folded form starts with a query word (keeps diacritics)."""
    if not words:
        return text
    folded = text.translate(_FOLD_TABLE).lower()
    if len(folded) != len(text):  # a letter outside the table changed length when lowered
        return text
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    out, last = [], 0
    for found in re.finditer(rf"(?<!\w)(?:{alternatives})\w*", folded):
        out.append(text[last : found.start()])
        out.append(_OPEN + text[found.start() : found.end()] + _CLOSE)
        last = found.end()
    out.append(text[last:])
    return "".join(out)


def _window(marked: str, width: int = 160) -> str:
    """At most about ``width`` characters, starting a little before the first highlight."""
    if len(marked) <= width:
        return marked
    first = max(marked.find(_OPEN), 0)
    start = marked.rfind(" ", 0, max(first - 40, 0)) + 1 if first > 60 else 0
    end = marked.find(" ", start + width)
    text = marked[start:] if end < 0 else marked[start:end] + " …"
    if text.count(_OPEN) > text.count(_CLOSE):
        text += _CLOSE
    return ("… " if start else "") + text


def _dossier_fts(
    conn: sqlite3.Connection, words: Sequence[str], all_prefixes: bool, limit: int
) -> list[SearchResult]:
    # A common name ("nguyễn văn") or word ("giấy phép") matches tens of thousands of dossiers. The
    # newest matches are read in rowid order (FTS5 stops after the LIMIT) and ranked among themselves:
    # applicant name equal to the query, then holding it as a phrase, then newest first. No bm25
    # here: its document frequencies scan every match (3 ms for "giấy phép" over 100,000 dossiers),
    # and between dossiers that all hold the words it only measures text length. The same words as
    # an adjacent phrase bring in older dossiers of exactly that person.
    sql = (
        "SELECT dossiers_fts.rowid, d.code, d.applicant_name, d.applicant_id_number, d.applicant_phone,"
        "  d.procedure_name, d.summary"
        " FROM dossiers_fts JOIN dossiers d ON d.rowid = dossiers_fts.rowid"
        " WHERE dossiers_fts MATCH ? ORDER BY dossiers_fts.rowid DESC LIMIT ?"
    )
    newest = conn.execute(sql, (_match(words, all_prefixes=all_prefixes), max(limit, _DOSSIER_POOL))).fetchall()
    phrase = '"' + " ".join(words) + '"'  # whole words: "an" here is not "anh"
    exact = conn.execute(sql, (phrase, limit)).fetchall() if len(words) > 1 and len(newest) >= _DOSSIER_POOL else []
    rows = sorted({row[0]: row for row in (*exact, *newest)}.values(), key=lambda row: -row[0])
    scored = sorted(
        # recency in (0, 1]: the newest of the pool 1.0; a name tier outweighs any recency
        ((round(_NAME_BONUS * _name_tier(row[2] or "", words) + 1 - i / len(rows), 4), i, row)
         for i, row in enumerate(rows)),
        key=lambda x: (-x[0], x[1]),
    )[:limit]
    results = []
    for score, _, (_, code, name, id_number, phone, procedure, summary) in scored:
        # The snippet is built from the dossier's own fields, not snippet() over search_text: that
        # column is folded (no diacritics) and would be shown so.
        parts = (code, name, id_number, phone, summary or procedure)
        marked = _window(highlight(" · ".join(x for x in parts if x), words))
        results.append(SearchResult("dossier", code, name or "", score, _plain(marked), marked))
    return results


Runner = Callable[[list[str], bool], list[SearchResult]]


def _all_but_one(words: list[str], run: Runner, prefixes: bool = True) -> list[SearchResult]:
    """Every word but one must match (a typo, a word the catalog does not use); never close."""
    found = []
    for skip in range(len(words)):
        found.extend(run([w for i, w in enumerate(words) if i != skip], prefixes))
    best: dict[str, SearchResult] = {}
    for result in sorted(found, key=lambda r: -r.score):
        best.setdefault(result.code, replace(result, close=False))
    return list(best.values())


def _with_fallbacks(words: list[str], run: Runner) -> list[SearchResult]:
    """The plain query, then every word a prefix, then without stray Telex letters, then all words but one."""
    found = run(words, False)
    if found:
        return found
    if len(words) > 1:
        found = run(words, True)  # "ng van duc": earlier words typed short too
        if found:
            return found
    telex = [strip_telex(w) for w in words]
    if telex != words:
        found = run(telex, True)
        if found:
            return found
    if len(words) > 2:
        return _all_but_one(telex, run)
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
    run: Runner = lambda w, p: _procedure_fts(conn, w, p, limit, include_abolished)  # noqa: E731
    by_text = _with_fallbacks(words, run)
    if by_text and not by_code and len(words) > 2 and not any(r.close for r in by_text):
        # Only look-alikes (the words scattered through papers and guidance): the procedures whose
        # names hold all words but one may be closer ("chứng chỉ vô tuyến điện viên").
        pool = {r.code: r for r in _all_but_one(words, run, prefixes=False)}
        pool.update({r.code: r for r in by_text})
        by_text = sorted(pool.values(), key=lambda r: -r.score)
    # the words as typed and as the Telex repair read them: either may be what matched
    shown = list(dict.fromkeys([*words, *(strip_telex(w) for w in words)]))
    return _merge(by_code, _snippets(conn, by_text[:limit], shown), limit)


def has_close_match(results: Sequence[SearchResult]) -> bool:
    """Whether the first result is the procedure asked for rather than a look-alike."""
    return bool(results) and results[0].close


def search_dossiers(conn: sqlite3.Connection, query: str, *, limit: int = 20) -> list[SearchResult]:
    """Dossiers by applicant name, dossier code, ID number, phone, procedure name or summary."""
    words = terms(query)
    if not words:
        return []
    by_code = _dossier_code_hits(conn, query, limit)
    if by_code:
        # Codes are unique; the words of a full code (agency parts such as "000", "h56") are in every
        # dossier and would make the text query read the whole index for nothing.
        return by_code
    by_text = _with_fallbacks(words, lambda w, p: _dossier_fts(conn, w, p, limit))
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
