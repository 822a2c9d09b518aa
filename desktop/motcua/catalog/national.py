"""National procedure records (Cổng Dịch vụ công quốc gia, as public crawls keep them) → catalog entries.

A record is the flattened form the crawls store: one string per section of the portal's page, the
tables written out without separators ("Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp05 Ngày làm
việcMiễn phí…"). `to_document()` reads what the record says and nothing else: a value the record does
not give is left empty and named in `provenance.needs_confirmation`, never guessed.

Rules (docs/catalog.md §3, "National records"):
- processing time: the direct-submission channel (Trực tiếp) first, then the others; a figure only in
  the channel's description (times that depend on the case) is taken from there and flagged;
- fees: "Miễn phí" alone is free; a fee "theo quy định của Hội đồng nhân dân" (or of the fee law) is an
  amount to confirm (null), not free; "8,000 VNĐ" is 8.000 đồng;
- papers: "* Giấy tờ phải nộp" and "* Trường hợp …:" sections, each paper with its copies and kind;
  a paper named for a case ("Trường hợp … thì …", "… trong trường hợp …") carries that condition;
- level: "Cấp xã" anywhere in the record's level → commune (the commune handles it at its level).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.catalog.mapping import parse_code

NATIONAL_SOURCE = "Cơ sở dữ liệu quốc gia về TTHC (Cổng Dịch vụ công quốc gia)"
CHANNELS = {"Trực tiếp": "desk", "Dịch vụ bưu chính": "post", "Trực tuyến": "online"}
_NO_INFO = ("không có thông tin", "không quy định", "không")
_CHANNEL_SPLIT = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)")
_TIME = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm)", re.IGNORECASE)
_BARE_FIGURE = re.compile(r"^\s*(\d+)(?!\s*[.,]?\d)")
_TIME_IN_TEXT = re.compile(r"(\d+)\s*(?:\([^)]*\)\s*)?(ngày làm việc|giờ làm việc|ngày|giờ)", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:VNĐ|VND|Việt Nam Đồng|đồng|đ)(?!\w)", re.IGNORECASE)
# "…tờ khai1 bản chính,1 bản sao": the quantity cell follows the paper's name without a separator
_PAPER = re.compile(r"(.+?)((?:(?:0?\d)\s*[Bb]ản (?:chính|sao),?\s*)+)")
_COUNT = re.compile(r"(\d+)\s*[Bb]ản (chính|sao)")
_FORM_EXT = re.compile(r"\.(?:docx?|pdf|xlsx?|rtf)\s*$", re.IGNORECASE)
_AGENCIES = (r"NĐ-CP|NQ-CP|QĐ-TTg|NQ-UBTVQH\d{2}|UBTVQH\d{2}|QH\d{2}|L-CTN|NQ-HĐND|QĐ-UBND|"
             r"TTLT-[A-ZĐ]+(?:-[A-ZĐ]+)*?|TT-(?:BTNMT|BNNPTNT|BNNMT|BLĐTBXH|BKHCN|BKHĐT|BGTVT|BGDĐT|"
             r"BVHTTDL|BTTTT|BTP|BTC|BXD|BCA|BNV|BYT|BCT|BQP|NHNN|TTCP|VPCP)|QĐ-(?:BTP|BTC|BXD|BNNMT)")
_LAW_CODE = re.compile(rf"(\d+(?:\.\d+)?/\d{{4}}/(?:{_AGENCIES}))")
_RESULT_CODE = re.compile(r"Mã:\s*KQ\.[A-Z0-9.]+")
_PROVINCE_BODY = re.compile(r"^(?:sở |hội đồng giám định y khoa tỉnh)|, sở ")
_CONDITION_LEAD = re.compile(r"^(Trường hợp|Nếu|Đối với)\s+(.+?)(?:\s+thì\s+|,\s*)(.+)$", re.DOTALL)
_CONDITION_TAIL = re.compile(r"^(.+?)\s*\(?((?:trong trường hợp|đối với trường hợp|nếu)\s+.+?)\)?\.?$",
                             re.IGNORECASE | re.DOTALL)


def nfc(text: str) -> str:
    """NFC, runs of spaces as one (the portal pads its cells), trimmed; line breaks kept."""
    return re.sub(r"[ \t\u00a0]+", " ", unicodedata.normalize("NFC", text or "")).strip()


def _silent(text: str) -> bool:
    return nfc(text).lower().rstrip(".") in _NO_INFO or not nfc(text)


# ---- processing time and fees, per channel -------------------------------------------------------


def _channels(text: str) -> dict[str, str]:
    """"…Trực tuyến3 Ngày làm việcMiễn phí…Trực tiếp…" → {"Trực tuyến": "3 Ngày…", "Trực tiếp": …}."""
    body = nfc(text).removeprefix("Hình thức nộpThời gianPhí, lệ phíMô tả")
    parts = _CHANNEL_SPLIT.split(body)
    out: dict[str, str] = {}
    for name, cell in zip(parts[1::2], parts[2::2], strict=False):
        out.setdefault(name, cell)
    return out


def _unit(word: str) -> tuple[str, int]:
    word = word.lower()
    if word == "ngày làm việc":
        return "working_days", 1
    if word in ("giờ làm việc", "giờ"):
        return "working_hours", 1
    if word == "tháng":
        return "calendar_days", 30
    if word == "năm":
        return "calendar_days", 365
    return "calendar_days", 1


def processing_time(record: Mapping[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """(processing_time or None when the record gives none, how it was read)."""
    channels = _channels(str(record.get("cach_thuc_thuc_hien", "")))
    ordered = [c for c in ("Trực tiếp", "Dịch vụ bưu chính", "Trực tuyến") if c in channels]
    for channel in ordered:
        cell = channels[channel]
        if (match := _TIME.match(cell)) is not None:
            figure = float(match.group(1).replace(",", "."))
            unit, factor = _unit(match.group(2))
            if not figure.is_integer():  # 1,5 ngày làm việc → 12 working hours
                unit, figure, factor = "working_hours", figure * 8, 1
            amount = int(figure) * factor
            desc = _description(cell[match.end():])
            text = f"{match.group(1)} {match.group(2).lower()}"
            if desc and _TIME_IN_TEXT.search(desc) and re.search(r"trường hợp|đối với", desc, re.IGNORECASE):
                text = f"{text}; {desc}"
            return {"amount": amount, "unit": unit, "text": text}, f"kênh {channel.lower()}"
    for channel in ordered:  # a figure without its unit: kept as text, the unit to be confirmed
        if (bare := _BARE_FIGURE.match(channels[channel])) is not None:
            return None, f"{bare.group(1)} (bản ghi quốc gia ghi số, không ghi đơn vị)"
    for channel in ordered:  # no figure in the time column: the case times in the description
        desc = _description(channels[channel])
        if (match := _TIME_IN_TEXT.search(desc)) is not None:
            unit, factor = _unit(match.group(2))
            return ({"amount": int(match.group(1)) * factor, "unit": unit, "text": desc},
                    f"mô tả kênh {channel.lower()} (thời hạn theo trường hợp)")
    return None, ""


def _description(cell: str) -> str:
    """What follows the time and the fee in a channel cell (the case times, notes)."""
    cell = re.sub(r"^\s*Không có thông tin", "", cell)
    cell = re.sub(r"^\s*(?:Miễn phí|Phí\s*:?|Lệ phí\s*:?|[\d.,]+\s*VNĐ)", "", cell)
    cell = re.sub(r"^\s*\([^)]*\)", "", cell)
    return nfc(cell)


def _parenthesised(cell: str) -> str:
    """The first parenthesised note of a channel cell, nested parentheses included."""
    start = cell.find("(")
    if start < 0 or start > 200:
        return ""
    depth = 0
    for i in range(start, len(cell)):
        depth += {"(": 1, ")": -1}.get(cell[i], 0)
        if depth == 0:
            return nfc(cell[start + 1:i]).strip("() ")
    return nfc(cell[start + 1:]).strip("() ")


def fees(record: Mapping[str, Any]) -> tuple[list[dict[str, Any]] | None, bool]:
    """(fees, to confirm). None: the record says nothing usable about fees."""
    channels = _channels(str(record.get("cach_thuc_thuc_hien", "")))
    cell = next((channels[c] for c in ("Trực tiếp", "Dịch vụ bưu chính", "Trực tuyến") if c in channels), "")
    if not cell:
        return None, True
    cell = _TIME.sub("", cell, count=1)
    cell = re.sub(r"^\s*(?:Không có thông tin|\d+(?=\D))", "", cell)
    # the portal writes its notes as inline "- " bullets: said as sentences
    note = re.sub(r"(?:^|(?<=[.;:]))\s*-\s+", " ", _parenthesised(cell)).strip()
    council = re.search(r"Hội đồng nhân dân|HĐND|Luật phí và lệ phí|theo quy định", note + " " + cell[:300],
                        re.IGNORECASE)
    amounts = [int(re.sub(r"[.,]", "", m.group(1))) for m in _AMOUNT.finditer(cell[:300])]
    if amounts and amounts[0] > 0:
        return [{"kind": "phi" if "phí" in note.lower() and "lệ phí" not in note.lower() else "le_phi",
                 "name": "Phí, lệ phí", "amount_vnd": amounts[0], "note": note,
                 "needs_confirmation": True}], True
    if cell.strip().startswith("Miễn phí"):
        if council and not re.fullmatch(r"\s*Không có\.?\s*", note):
            return [{"kind": "le_phi", "name": "Phí, lệ phí", "amount_vnd": None,
                     "note": note or "Theo quy định của Hội đồng nhân dân cấp tỉnh",
                     "needs_confirmation": True}], True
        return [], False
    return None, True


# ---- papers, steps, result, legal basis -----------------------------------------------------------


def _kind(name: str, counts: list[tuple[int, str]]) -> tuple[str, int, str]:
    """(kind, copies, note) from the quantity cell: originals, copies, or both."""
    originals = sum(n for n, what in counts if what == "chính")
    copies = sum(n for n, what in counts if what == "sao")
    note = ", ".join(f"{n:02d} bản {what}" for n, what in counts if n) if originals and copies else ""
    if originals:
        return "original", originals, note
    certified = "chứng thực" in name.lower()
    return ("certified_copy" if certified else "photocopy"), copies, note


def _split_condition(name: str) -> tuple[str, str]:
    """("Trường hợp A thì B" → B, "Trường hợp A"); ("B trong trường hợp A" → B, "Trong trường hợp A")."""
    if (lead := _CONDITION_LEAD.match(name)) is not None and " thì " in name and len(lead.group(3)) > 8:
        return nfc(lead.group(3)).rstrip(".;"), nfc(f"{lead.group(1)} {lead.group(2)}")
    tail = re.search(r"\s\(?((?:trong|đối với) trường hợp\s[^()]{3,200})\)?[.;]?$", name, re.IGNORECASE)
    if tail is not None and tail.start() > 8:
        condition = tail.group(1)
        return nfc(name[:tail.start()]).rstrip(".;,"), nfc(condition[0].upper() + condition[1:])
    return name, ""


def _split_form_file(raw: str) -> tuple[str, str]:
    """"…Quyết định số 24/2021/QĐ-TTgGiấy đề nghị.pdf" → (the paper, "Giấy đề nghị.pdf"): the form's
    file name is glued to the paper's name, starting at the last capital that follows a letter, digit
    or closing mark without a space."""
    if _FORM_EXT.search(raw) is None:
        return raw, ""
    cut = None
    for i in range(1, len(raw)):
        before = raw[i - 1]
        if raw[i].isupper() and not before.isspace() and (
                before.islower() or before.isdigit() or before in ").;" or raw[max(0, i - 2):i] == "CP"):
            cut = i
    if cut is None:
        return raw, ""
    return nfc(raw[:cut]).rstrip(";, "), nfc(raw[cut:])


def components(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The papers of the record; the papers to show are `presented`; notes with 0 copies are dropped."""
    text = nfc(str(record.get("thanh_phan_ho_so", "")))
    if _silent(text):
        return []
    sections = re.split(r"(\*[^*:]{1,300}:|--)", text)
    out: list[dict[str, Any]] = []
    heading = ""
    for part in sections:
        if part == "--" or (part.startswith("*") and part.endswith(":")):
            heading = part.strip("*: -")
            continue
        body = part.replace("Tên giấy tờMẫu đơn, tờ khaiSố lượng", "")
        presented = "xuất trình" in heading.lower()
        case = "" if not heading or heading.lower().startswith("giấy tờ phải") else heading
        for match in _PAPER.finditer(body):
            counts = [(int(n), what) for n, what in _COUNT.findall(match.group(2))]
            raw = nfc(match.group(1)).lstrip("-+• ").strip()
            name, form_file = _split_form_file(raw)
            form_files = [form_file] if form_file else []
            if not name or not any(n for n, _w in counts):
                continue  # a note in the table ("Trường hợp … thì không phải nộp bản giấy")
            name, condition = _split_condition(name)
            name = re.sub(r"^(?:phải có|phải nộp|nộp)\s+", "", name)
            name = name[:1].upper() + name[1:]
            kind, copies, note = _kind(name, counts)
            entry: dict[str, Any] = {"name": name[:600], "kind": "presented" if presented else kind,
                                     "copies": max(copies, 1), "required": True}
            if form_files:
                note = "; ".join(filter(None, [note, "Mẫu: " + ", ".join(form_files)]))
            if note:
                entry["note"] = note
            if case or condition:
                entry["condition"] = (case or condition)[:300]
            out.append(entry)
    return out


def steps(record: Mapping[str, Any]) -> list[str]:
    text = nfc(str(record.get("trinh_tu_thuc_hien", "")))
    if _silent(text):
        return []
    lines = [nfc(line).lstrip("-+• ").strip() for line in re.split(r"\n+", text)]
    return [line for line in lines if line]


def result(record: Mapping[str, Any]) -> str:
    text = nfc(str(record.get("ket_qua_xu_ly", ""))).split("Từ khóa")[0]
    items = [nfc(p).lstrip("-+ ").rstrip(".") for p in _RESULT_CODE.split(text)]
    return "; ".join(i for i in items if i)


def legal_basis(record: Mapping[str, Any]) -> list[str]:
    text = nfc(str(record.get("can_cu_phap_ly", ""))).removeprefix("Tên văn bản pháp lýMã văn bản")
    out: list[str] = []
    position = 0
    for match in _LAW_CODE.finditer(text):
        title = nfc(text[position:match.start()])
        position = match.end()
        code = match.group(1)
        if not title:
            continue
        out.append(title if code in title else f"{title} ({code})")
    return list(dict.fromkeys(out))


def conditions(record: Mapping[str, Any]) -> str:
    text = nfc(str(record.get("yeu_cau_dieu_kien", "")))
    return "" if _silent(text) else text


def channels(record: Mapping[str, Any]) -> list[str]:
    found = _channels(str(record.get("cach_thuc_thuc_hien", "")))
    return [CHANNELS[c] for c in ("Trực tiếp", "Dịch vụ bưu chính", "Trực tuyến") if c in found] or ["desk"]


def province_body_only(agency: str) -> bool:
    """The executing agency names a provincial body (Sở Nội vụ…) and not the commune."""
    text = nfc(agency).lower()
    return bool(_PROVINCE_BODY.search(text)) and "xã" not in text


def level(record: Mapping[str, Any]) -> str | None:
    """"Cấp xã" → commune; "Cấp xã, Cấp tỉnh" with only provincial bodies named as the executing agency
    (Sở Nội vụ, Hội đồng Giám định Y khoa tỉnh…) → the commune receives and the province decides."""
    text = str(record.get("cap_thuc_hien", ""))
    if "Cấp xã" in text:
        if "Cấp tỉnh" in text and province_body_only(str(record.get("co_quan_thuc_hien", ""))):
            return "commune_receives_province_decides"
        return "commune"
    if "Cấp tỉnh" in text:
        return "province"
    return None


def decision(record: Mapping[str, Any]) -> str:
    number = nfc(str(record.get("so_quyet_dinh", "")))
    return f"Quyết định số {number}" if number else ""


# ---- the whole entry -----------------------------------------------------------------------------


def _short(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def guidance(conds: str, papers: list[dict[str, Any]], step_count: int, result_text: str,
             source_line: str) -> str:
    """Guidance built only from the record's own conditions, papers (by case) and steps; the full
    papers and steps stand in their own sections of the page, so they are summed up here."""
    parts: list[str] = []
    if conds:
        parts += ["## Điều kiện", "", conds, ""]
    always = [p for p in papers if not p.get("condition")]
    cases: dict[str, list[dict[str, Any]]] = {}
    for p in papers:
        if p.get("condition"):
            cases.setdefault(p["condition"], []).append(p)
    if always:
        parts += ["## Giấy tờ luôn cần", ""]
        parts += [f"- {_short(p['name'])}" + (" (xuất trình)" if p["kind"] == "presented" else "") for p in always]
        parts.append("")
    if cases:
        parts += ["## Giấy tờ theo trường hợp", ""]
        for case, items in cases.items():
            parts.append(f"- **{_short(case, 200)}:** " + "; ".join(_short(p["name"], 120) for p in items))
        parts.append("")
    if step_count:
        parts += ["## Các bước", "", f"{step_count} bước, theo mục Trình tự thực hiện của thủ tục.", ""]
    if result_text:
        parts += ["## Kết quả", "", result_text, ""]
    parts.append(f"*Nguồn: {source_line}. Tỉnh cần đối chiếu với quyết định công bố của mình.*")
    return "\n".join(parts)


def to_document(record: Mapping[str, Any], *, sector: str, source: str, effective: str,
                version: int = 1) -> dict[str, Any] | None:
    """The catalog entry for one national record (None when it has no usable code or name)."""
    try:
        code = parse_code(record.get("ma_thu_tuc") or record.get("ma_tthc"))
    except ValueError:
        return None
    name = nfc(str(record.get("ten_thu_tuc") or record.get("ten_tthc") or ""))
    if not name:
        return None
    time, how = processing_time(record)
    fee_list, fee_pending = fees(record)
    parts = Parts(code=code, name=name, field=nfc(str(record.get("linh_vuc", ""))),
                  raw_level=nfc(str(record.get("cap_thuc_hien", ""))), level=level(record),
                  agency=nfc(str(record.get("co_quan_thuc_hien", ""))),
                  url=nfc(str(record.get("detail_url", ""))), time=time, time_how=time_how_note(time, how),
                  time_pending=time is None or "trường hợp" in how or ";" in time["text"],
                  fees=fee_list, fees_pending=fee_pending, papers=components(record), steps=steps(record),
                  conditions=conditions(record), result=result(record), legal_basis=legal_basis(record),
                  decision=decision(record), channels=channels(record), untimed_text=how)
    return assemble(parts, sector=sector, source=source, effective=effective, version=version)


def time_how_note(time: Mapping[str, Any] | None, how: str) -> str:
    if time is None:
        said = f" (bản ghi: {how})" if how else ""
        return (f"Bản ghi quốc gia không ghi rõ thời hạn giải quyết{said}: chưa tiếp nhận được cho đến khi"
                " tỉnh xác nhận.")
    return f"Thời hạn lấy theo {how}."


@dataclass
class Parts:
    """What a national record says, whatever its shape (the flattened crawl or the portal's JSON)."""

    code: str
    name: str
    field: str
    raw_level: str
    level: str | None
    agency: str
    url: str
    time: dict[str, Any] | None
    time_how: str  # a sentence for provenance.note
    time_pending: bool
    fees: list[dict[str, Any]] | None
    fees_pending: bool
    papers: list[dict[str, Any]]
    steps: list[str]
    conditions: str
    result: str
    legal_basis: list[str]
    decision: str
    channels: list[str]
    notes: list[str] = dataclasses.field(default_factory=list)
    untimed_text: str = ""  # what the record says instead of a time, when it gives none


def assemble(parts: Parts, *, sector: str, source: str, effective: str, version: int = 1) -> dict[str, Any]:
    """The catalog entry from a record's parts: what the record leaves out is named in
    provenance.needs_confirmation, never filled in."""
    code = parts.code
    pending: list[str] = []
    notes: list[str] = [parts.time_how]
    time = parts.time
    if time is None:
        time = {"amount": 0, "unit": "working_days", "text": parts.untimed_text}
    if parts.time_pending:
        pending.append("processing_time")
    fee_list = parts.fees
    if fee_list is None:
        fee_list = [{"kind": "le_phi", "name": "Phí, lệ phí", "amount_vnd": None,
                     "note": "Chưa xác định — chờ cơ quan có thẩm quyền công bố mức thu", "needs_confirmation": True}]
    if parts.fees_pending:
        pending.append("fees")
    if not parts.papers:
        pending.append("components")
    if not parts.steps:
        pending.append("steps")
    if not parts.result:
        pending.append("result")
    if parts.raw_level != "Cấp xã":
        notes.append(f"Cấp thực hiện theo bản ghi: {parts.raw_level or 'không ghi'}.")
    if parts.agency and not _silent(parts.agency):
        notes.append(f"Cơ quan thực hiện theo bản ghi: {parts.agency[:300]}.")
    notes += parts.notes
    if parts.time is None and not parts.papers and not parts.steps and not parts.result:
        notes.append("Bản ghi chỉ có mã, tên, cấp, lĩnh vực và cơ quan thực hiện: thời hạn, phí, giấy tờ và các bước"
                     " do tỉnh bổ sung theo quyết định công bố.")
    source_line = f"{NATIONAL_SOURCE}, mã {code}" + (f", {parts.url}" if parts.url else "") + f" ({source})"
    return {
        "code": code,
        "version": version,
        "name": parts.name,
        "sector": sector,
        "field": parts.field,
        "level": parts.level or "commune",
        "processing_time": time,
        "fees": fee_list,
        "components": parts.papers,
        "sets": 1,
        "channels": parts.channels or ["desk"],
        "steps": parts.steps,
        "result": parts.result,
        "legal_basis": parts.legal_basis,
        "publishing_decision": parts.decision,
        "effective_from": effective,
        "effective_until": None,
        "guidance": guidance(parts.conditions, parts.papers, len(parts.steps), parts.result,
                             f"{NATIONAL_SOURCE}, mã {code}"),
        "forms": [],
        "provenance": {
            "sources": [source_line],
            "needs_confirmation": sorted({*pending, "forms"}),
            "note": " ".join(n for n in notes if n),
        },
    }


def index_records(records: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """code → record (the first record of a code wins)."""
    out: dict[str, Mapping[str, Any]] = {}
    for record in records:
        code = str(record.get("ma_thu_tuc") or record.get("ma_tthc") or record.get("code") or "").strip()
        if code:
            out.setdefault(code, record)
    return out
