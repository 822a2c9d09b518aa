"""Which papers a dossier can print, and their PDF: the one use case behind the window's «In biểu mẫu»
menu and the ``motcua print …`` commands.

The papers are built by ``forms.content`` (the view models) and ``forms.render`` (the PDF); this module
only decides, from the dossier's state, its events, the commune's form set and the procedure's catalog
version, which of them apply, how each is labelled (from the form set's own numbers and titles) and
under which file name it is saved (the whole dossier code, so no two dossiers' papers share a name).
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from motcua.domain.events import EventType
from motcua.domain.projection import DossierRecord
from motcua.domain.states import Status
from motcua.domain.text import fold, nfc
from motcua.forms import content
from motcua.forms.formsets import FormSet, TemplateSpec, load_form_set
from motcua.forms.render import render_form, render_guidance, render_procedure_form
from motcua.i18n import tr
from motcua.store.events import events_of
from motcua.store.settings import get_settings

Builder = Callable[[sqlite3.Connection, str], object]

# The one-stop papers of a dossier, in the order a desk meets them: kind → (view-model builder, file stem).
DOSSIER_PAPERS: dict[str, tuple[Builder, str]] = {
    "receipt": (content.receipt_data, "bien-nhan"),
    "supplement": (content.supplement_data, "yeu-cau-bo-sung"),
    "refusal": (content.refusal_data, "tu-choi-tiep-nhan"),
    "apology": (content.apology_data, "xin-loi-hen-lai"),
    "stop": (content.stop_data, "thong-bao-dung"),
    "control": (content.control_sheet_data, "phieu-kiem-soat"),
}
BOOK_STEM = "so-theo-doi"


@dataclass(frozen=True)
class Paper:
    """One entry of a dossier's print menu."""

    kind: str                 # a DOSSIER_PAPERS key, "procedure-form" or "guidance"
    label: str                # as the menu shows it, e.g. "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01)"
    file_name: str            # the default name of the saved PDF
    form_id: str = ""         # procedure forms: the catalog's form id
    filled: bool = False      # procedure forms: filled from the dossier (else blank)
    asks_items: bool = False  # supplement request whose event lists no items: they are typed before printing


def sentence_case(title: str) -> str:
    """"GIẤY TIẾP NHẬN HỒ SƠ" → "Giấy tiếp nhận hồ sơ"."""
    title = nfc(" ".join(title.split()))
    return title[:1].upper() + title[1:].lower()


def paper_title(spec: TemplateSpec) -> str:
    """The form set's own title and number: "Thông báo về việc dừng giải quyết hồ sơ (Mẫu số 05)"."""
    title = sentence_case(spec.title)
    if spec.subtitle:
        subtitle = nfc(spec.subtitle)
        title += " " + subtitle[:1].lower() + subtitle[1:]
    return f"{title} ({spec.number})"


def slug(text: str) -> str:
    """A file-name piece without tone marks or spaces; dots and dashes (dossier codes) are kept whole."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", fold(nfc(text))).strip("-.")


def file_name(stem: str, record: DossierRecord) -> str:
    """"bien-nhan-000.17.22.H56-261207-0001.pdf": the WHOLE dossier code (its id when it has none)."""
    code = (record.code or record.id).strip()
    return f"{stem}-{re.sub(r'[^A-Za-z0-9.-]+', '-', code)}.pdf"


def book_file_name(date_from: date, date_to: date) -> str:
    return f"{BOOK_STEM}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"


def _supplement_items(conn: sqlite3.Connection, record: DossierRecord) -> list[str] | None:
    """The items of the last supplement request (None when the dossier has no such request)."""
    event = next((e for e in reversed(events_of(conn, record.id)) if e.type == EventType.SUPPLEMENT_REQUESTED), None)
    if event is None:
        return None
    items = event.payload.get("items") or []
    if isinstance(items, str):
        items = [part.strip() for part in items.split(";")]
    return [str(i) for i in items if str(i).strip()]


def _applies(conn: sqlite3.Connection, record: DossierRecord, kind: str) -> bool:
    status = Status(record.status)
    types = {e.type for e in events_of(conn, record.id)}
    received = bool(record.received_at and record.code)
    if kind == "receipt":
        return received and status != Status.NOT_RECEIVED
    if kind == "supplement":
        return EventType.SUPPLEMENT_REQUESTED in types
    if kind == "refusal":
        return status == Status.NOT_RECEIVED and EventType.REFUSED in types
    if kind == "apology":
        return received and EventType.RESCHEDULED in types
    if kind == "stop":
        return received and status in (Status.STOPPED, Status.WITHDRAWN)
    if kind == "control":
        return received
    raise ValueError(kind)


def papers_for(conn: sqlite3.Connection, record: DossierRecord, form_set: FormSet | None = None) -> list[Paper]:
    """Every paper this dossier can print now, in menu order: the one-stop papers its state and
    history call for (in the commune's legal set), then its procedure's own forms (blank and filled)
    and guidance sheet, from the catalog version the dossier was received under."""
    forms = form_set or load_form_set(content.form_set_id(conn))
    papers: list[Paper] = []
    for kind, (_builder, stem) in DOSSIER_PAPERS.items():
        if not forms.has(kind) or not _applies(conn, record, kind):
            continue
        asks = kind == "supplement" and not _supplement_items(conn, record)
        papers.append(Paper(kind, paper_title(forms.template(kind)), file_name(stem, record), asks_items=asks))
    if record.procedure_code:
        try:
            definition = content.procedure_definition(conn, record.procedure_code, record.procedure_version)
        except content.NotFound:  # its catalog version is gone: the papers that need it say so when chosen
            definition = None
        if definition is not None:
            for form in definition.get("forms") or []:
                form_id, title = str(form.get("id", "")), sentence_case(str(form.get("title") or form.get("id")))
                papers.append(Paper("procedure-form", tr("{title} (điền sẵn)", title=title),
                                    file_name(slug(form_id), record), form_id=form_id, filled=True))
                papers.append(Paper("procedure-form", tr("{title} (mẫu trống)", title=title),
                                    f"{slug(form_id)}-mau-trong.pdf", form_id=form_id))
            papers.append(Paper("guidance", tr("Tờ hướng dẫn thực hiện thủ tục"),
                                f"huong-dan-{slug(record.procedure_code)}.pdf"))
    return papers


def paper_pdf(conn: sqlite3.Connection, record: DossierRecord, paper: Paper,
              items: Sequence[str] | None = None) -> bytes:
    """The PDF of ``paper`` for ``record``; ``items`` (the supplement request's list, typed by the desk)
    replace the items its event holds. Raises ``content.ContentError`` when the store lacks what the
    paper needs."""
    ref = record.id
    if paper.kind == "procedure-form":
        data = content.procedure_form_data(conn, paper.form_id, ref if paper.filled else None,
                                           None if paper.filled else record.procedure_code)
        return render_procedure_form(data)
    if paper.kind == "guidance":
        return render_guidance(content.guidance_data(conn, record.procedure_code))
    return dossier_paper_pdf(conn, paper.kind, ref, items=items)


def dossier_paper_pdf(conn: sqlite3.Connection, kind: str, ref: str, *, items: Sequence[str] | None = None,
                      form_set: str | None = None, copies: int | None = None) -> bytes:
    """One of the one-stop papers of dossier ``ref`` (code or id) in ``form_set`` (the commune's by
    default); ``items`` replace the supplement request's list (typed at the desk or on the command line);
    a receipt in ``copies`` copies (the commune's setting by default)."""
    builder, _stem = DOSSIER_PAPERS[kind]
    data = builder(conn, ref)
    if items is not None and kind == "supplement":
        typed = tuple(nfc(" ".join(i.split())) for i in items if i.strip())
        data = dataclasses.replace(data, items=typed)  # type: ignore[type-var]
    if kind == "receipt":
        copies = copies or get_settings(conn).receipt_copies
    return render_form(kind, data, form_set or content.form_set_id(conn), copies=copies or 1)


def tracking_book_pdf(conn: sqlite3.Connection, date_from: date, date_to: date) -> bytes:
    """Sổ theo dõi hồ sơ: every dossier received between the two days (inclusive)."""
    if date_to < date_from:
        raise ValueError(tr("Ngày kết thúc phải sau ngày bắt đầu."))
    return render_form("book", content.tracking_book_data(conn, date_from, date_to), content.form_set_id(conn))
