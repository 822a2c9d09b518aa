"""The search service: query folding and Telex repair, dossiers by name/code/ID, the FTS triggers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from motcua import search
from motcua.catalog.shipped import load_shipped
from motcua.services.desk import Desk
from motcua.services.intake import Applicant, IntakeRequest
from motcua.store.db import transaction
from motcua.store.settings import put_values
from tests.catalog import store_helper

HELPER = store_helper
VN = ZoneInfo("Asia/Ho_Chi_Minh")
PEOPLE = [
    ("Nguyễn Văn Đức", "066095001234", "0905123456", "1.001193", "Đăng ký khai sinh cho con"),
    ("Trần Thị Đào", "066195004321", "0912000111", "1.000894", "Đăng ký kết hôn"),
    ("Lê Đình Dũng", "066090007777", "0988777666", "1.003560", "Cấp giấy phép bưu chính nội tỉnh"),
    ("Phạm Thị Duyên", "066196002222", "0977111222", "2.000815", "Chứng thực bản sao bằng tốt nghiệp"),
]


@pytest.fixture
def desk_store(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, list[str]]]:
    conn = HELPER.open_test_store(tmp_path / "store.sqlite3")
    load_shipped(conn, HELPER.FIXTURE_PROCEDURES)
    with transaction(conn):
        put_values(conn, {"commune_name": "Xã Ea Kao", "agency_code": "000.17.22.H56", "device_id": "dev-1"})
    desk = Desk(conn, tmp_path)
    codes = []
    for i, (name, id_number, phone, procedure, summary) in enumerate(PEOPLE):
        request = IntakeRequest(procedure, Applicant(name, id_number, phone=phone), summary=summary,
                                received_at=datetime(2026, 3, 2 + i, 8, 30, tzinfo=VN))
        codes.append(desk.intake(request, actor="canbo").record.code)
    yield conn, codes
    conn.close()


# ---- query handling -----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "meant"), [
    ("giaays", "giay"), ("pheps", "phep"), ("ddawng", "dang"), ("kys", "ky"), ("vieejt", "viet"),
    ("nguwowif", "nguoi"), ("chuwngs", "chung"), ("thuwcj", "thuc"), ("tw", "tu"),
    ("xa", "xa"), ("trong", "trong"), ("003560", "003560"),
])
def test_strip_telex(typed: str, meant: str) -> None:
    assert search.strip_telex(typed) == meant


def test_terms_fold_like_the_index() -> None:
    assert search.terms("  Đăng KÝ   khai-sinh! ") == ["dang", "ky", "khai", "sinh"]
    assert search.terms("1.003560") == ["1", "003560"]
    assert search.terms('"AND" OR *') == ["and", "or"]


def test_query_syntax_is_never_interpreted(loaded_search: sqlite3.Connection) -> None:
    for query in ['"', "AND", "OR NOT", "a*b", "(", "NEAR(x y)", "-", "*", "^", ":"]:
        search.search(loaded_search, query)  # must not raise sqlite3.OperationalError


@pytest.fixture
def loaded_search(tmp_path: Path) -> sqlite3.Connection:
    conn = HELPER.open_test_store(tmp_path / "s.sqlite3")
    load_shipped(conn, HELPER.FIXTURE_PROCEDURES)
    return conn


def test_snippets_keep_diacritics_and_escape_for_qt(loaded_search: sqlite3.Connection) -> None:
    [result] = search.search_procedures(loaded_search, "dang ky ket hon", limit=1)
    assert "[đăng] [ký] [kết] [hôn]" in result.snippet.lower()
    assert "<b>đăng</b>" in result.snippet_html().lower()
    assert "\x02" not in result.snippet and "\x03" not in result.to_dict()["snippet"]


def test_exact_code_first_then_by_score(loaded_search: sqlite3.Connection) -> None:
    results = search.search_procedures(loaded_search, "1.003560")
    assert results[0].code == "1.003560" and results[0].score == max(r.score for r in results)
    results = search.search_procedures(loaded_search, "bưu chính")
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_one_word_too_many_still_finds(loaded_search: sqlite3.Connection) -> None:
    assert search.search_procedures(loaded_search, "đăng ký kết hôn nhanh")[0].code == "1.000894"
    assert search.search_procedures(loaded_search, "zzzz qqqq") == []
    assert search.search_procedures(loaded_search, "   ") == []


# ---- dossiers -----------------------------------------------------------------------------------


def test_dossiers_by_name_with_or_without_marks(desk_store: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, codes = desk_store
    for query in ("Nguyễn Văn Đức", "nguyen van duc", "nguyen van đuc", "nguyeenx vawn dduwcs", "Đức"):
        results = search.search_dossiers(conn, query)
        assert [r.code for r in results][:1] == [codes[0]], query
        assert results[0].kind == "dossier" and results[0].name == "Nguyễn Văn Đức"
    assert {r.code for r in search.search_dossiers(conn, "thị")} == {codes[1], codes[3]}


def test_dossiers_by_code_id_number_and_phone(desk_store: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, codes = desk_store
    assert codes[2].startswith("000.17.22.H56-260304-")
    assert search.search_dossiers(conn, codes[2])[0].code == codes[2]
    assert search.search_dossiers(conn, codes[2].lower())[0].code == codes[2]
    assert search.search_dossiers(conn, "066090007777")[0].code == codes[2]
    assert search.search_dossiers(conn, "06609000")[0].code == codes[2]  # the start of an ID number
    assert search.search_dossiers(conn, "0977111222")[0].code == codes[3]
    assert search.search_dossiers(conn, "260305")[0].code == codes[3]  # the day part of the code
    assert "[" in search.search_dossiers(conn, "bang tot nghiep")[0].snippet


def test_search_both_kinds(desk_store: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, codes = desk_store
    kinds = {r.kind for r in search.search(conn, "ket hon")}
    assert kinds == {"procedure", "dossier"}
    assert {r.kind for r in search.search(conn, "ket hon", kind="dossier")} == {"dossier"}
    assert search.search(conn, codes[0])[0].code == codes[0]
    assert search.search(conn, "1.000894")[0].kind == "procedure"


def test_the_dossier_index_follows_every_write(desk_store: tuple[sqlite3.Connection, list[str]],
                                               tmp_path: Path) -> None:
    conn, codes = desk_store
    desk = Desk(conn, tmp_path)
    # A new intake is found at once; the core rewrites search_text on each event (upsert → update trigger).
    desk.intake(IntakeRequest("1.001193", Applicant("Võ Thị Sáu", "066199009999")), actor="canbo")
    assert search.search_dossiers(conn, "vo thi sau")[0].name == "Võ Thị Sáu"
    with transaction(conn):
        conn.execute("UPDATE dossiers SET search_text = 'ho so da doi ten' WHERE code = ?", (codes[1],))
    assert search.search_dossiers(conn, "tran thi dao") == []
    assert search.search_dossiers(conn, "doi ten")[0].code == codes[1]
    with transaction(conn):
        conn.execute("DELETE FROM dossiers WHERE code = ?", (codes[1],))
    assert search.search_dossiers(conn, "doi ten") == []
    # 'integrity-check' with rank 1 compares the index with dossiers.search_text row by row.
    conn.execute("INSERT INTO dossiers_fts (dossiers_fts, rank) VALUES ('integrity-check', 1)")


def test_rebuild_after_vacuum(desk_store: tuple[sqlite3.Connection, list[str]]) -> None:
    conn, codes = desk_store
    conn.execute("VACUUM")
    with transaction(conn):
        search.rebuild_dossier_index(conn)
    conn.execute("INSERT INTO dossiers_fts (dossiers_fts, rank) VALUES ('integrity-check', 1)")
    assert search.search_dossiers(conn, "duyen")[0].code == codes[3]


def test_the_person_named_exactly_comes_first_even_when_older(
    desk_store: tuple[sqlite3.Connection, list[str]],
) -> None:
    """"nguyen van an" also matches every newer Nguyễn Văn Anh (the last word is a prefix)."""
    from motcua.domain.projection import COLUMNS, DossierRecord, search_text_of

    conn, _ = desk_store
    names = ["Nguyễn Văn An"] + ["Nguyễn Văn Anh"] * 80
    with transaction(conn):
        for i, name in enumerate(names):
            record = DossierRecord(id=f"x{i}", code=f"000.17.22.H56-260401-{i + 1:04d}", status=2,
                                   applicant_name=name, created_at="t", updated_at="t", last_event_id=f"e{i}",
                                   event_count=1)
            record = DossierRecord(**{**record.as_row(), "search_text": search_text_of(record)})
            conn.execute(f"INSERT INTO dossiers ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})",
                         tuple(getattr(record, c) for c in COLUMNS))
    results = search.search_dossiers(conn, "nguyen van an", limit=5)
    assert results[0].name == "Nguyễn Văn An"
    assert [r.name for r in results[1:]] == ["Nguyễn Văn Anh"] * 4
    assert results[1].code == "000.17.22.H56-260401-0081"  # then the newest


def test_closer_name_ranks_first_within_a_tier(tmp_path):
    """'giấy phép bưu chính': the licence itself before its re-issue and its amendment."""
    from motcua.catalog import load_shipped
    from motcua.search import search_procedures
    from motcua.store.db import open_store

    conn = open_store(tmp_path / "s.sqlite3")
    load_shipped(conn)
    names = [r.name for r in search_procedures(conn, "giay phep buu chinh", limit=3)]
    assert names[0].startswith("Cấp giấy phép bưu chính")
    assert names[1].startswith("Cấp lại giấy phép bưu chính")
    conn.close()


# ---- look-alikes and the full shipped catalog ---------------------------------------------------------


def test_a_missing_procedure_is_not_offered_as_if_it_were_found(loaded_search: sqlite3.Connection) -> None:
    # the fixture catalog has Đăng ký kết hôn but not Đăng ký lại kết hôn
    results = search.search_procedures(loaded_search, "dang ky lai ket hon")
    assert results and results[0].code == "1.000894"  # the look-alike is still offered …
    assert not search.has_close_match(results)  # … but said to be one: the name lacks «lại»
    assert search.has_close_match(search.search_procedures(loaded_search, "dang ky ket hon"))
    assert search.has_close_match(search.search_procedures(loaded_search, "1.000894"))


def test_words_only_in_papers_or_guidance_are_a_look_alike(loaded_search: sqlite3.Connection) -> None:
    results = search.search_procedures(loaded_search, "giay chung nhan ket hon")
    assert results and not any(r.close for r in results if "ket hon" not in search.fold(r.name))


@pytest.fixture(scope="module")
def shipped_search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = HELPER.open_test_store(tmp_path_factory.mktemp("shipped") / "s.sqlite3")
    report = load_shipped(conn)
    assert not report.invalid and len(report.added) > 250
    yield conn
    conn.close()


def test_every_shipped_procedure_is_found_by_its_name_typed_without_diacritics(
        shipped_search: sqlite3.Connection) -> None:
    rows = shipped_search.execute("SELECT code, name FROM procedures WHERE effective_until IS NULL").fetchall()
    missed = []
    for code, name in rows:
        results = search.search_procedures(shipped_search, search.fold(name), limit=3)
        if code not in [r.code for r in results] or not results[0].close:
            missed.append(f"{code} {name[:60]}")
    assert not missed, missed


@pytest.mark.parametrize(("query", "code"), [
    ("dang ky lai ket hon", "1.004746"), ("dang ky lai khai tu", "1.005461"),
    ("khai sinh ket hop nhan cha me con", "1.000689"), ("cong nhan ho ngheo", "1.011606"),
])
def test_procedures_missing_before_the_national_records_are_found_first(shipped_search: sqlite3.Connection,
                                                                        query: str, code: str) -> None:
    results = search.search_procedures(shipped_search, query, limit=3)
    assert results[0].close and code in [r.code for r in results], [(r.code, r.name) for r in results]
