"""Form rendering benchmark: a receipt and a 300-row tracking book, against LibreOffice when present.

    python bench/bench_forms.py                 # receipt ×60, book ×5, LibreOffice ×5 if installed
    python bench/bench_forms.py --no-libreoffice

Prints medians (and the fastest run) in milliseconds. Target (issue "Every official form printed
correctly"): a receipt in ≤ 40 ms median. Where ``soffice`` is installed, the same receipt written as a
.docx is converted by ``soffice --headless --convert-to pdf`` in the same run, and the ratio printed
(what printing through an office suite would cost instead).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "desktop"))

from motcua.forms import samples
from motcua.forms.dates import date_words, time_words
from motcua.forms.formsets import load_form_set
from motcua.forms.model import ReceiptData
from motcua.forms.render import render_form
from motcua.forms.words import amount_in_words, format_amount


def timed(fn: Callable[[int], object], repeat: int) -> list[float]:
    runs = []
    for index in range(repeat):
        started = time.perf_counter()
        fn(index)
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def receipt_for(index: int) -> ReceiptData:
    """A different dossier code each time, so nothing (the QR code above all) is reused."""
    base = samples.receipt()
    code = f"000.17.22.H56-260212-{index + 1:04d}"
    return dataclasses.replace(base, dossier_code=code, qr_payload=code, number=code.split("-", 1)[1])


# -- the same receipt as a .docx, for LibreOffice ---------------------------------------------------

def _run(text: str, *, bold: bool = False, italic: bool = False, size: int = 26) -> str:
    props = "<w:rFonts w:ascii='Liberation Serif' w:hAnsi='Liberation Serif'/>"
    props += ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + f"<w:sz w:val='{size}'/>"
    return f"<w:r><w:rPr>{props}</w:rPr><w:t xml:space='preserve'>{escape(text)}</w:t></w:r>"


def _para(*runs: str, align: str = "left") -> str:
    return f"<w:p><w:pPr><w:jc w:val='{align}'/><w:spacing w:after='0'/></w:pPr>{''.join(runs)}</w:p>"


def _cell(width: int, *paras: str) -> str:
    return (f"<w:tc><w:tcPr><w:tcW w:w='{width}' w:type='dxa'/></w:tcPr>{''.join(paras) or _para()}</w:tc>")


def receipt_docx(data: ReceiptData, path: Path) -> None:
    spec = load_form_set("tt03_2025").template("receipt")
    t = spec.text
    a = data.applicant
    header = ("<w:tbl><w:tblPr><w:tblW w:w='9350' w:type='dxa'/></w:tblPr><w:tr>"
              + _cell(3700, _para(_run(data.agency.parent_name.upper()), align="center"),
                      _para(_run(data.agency.name.upper(), bold=True), align="center"),
                      _para(_run(spec.number_line(data.number)), align="center"))
              + _cell(5650, _para(_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=24), align="center"),
                      _para(_run("Độc lập - Tự do - Hạnh phúc", bold=True), align="center"),
                      _para(_run(f"{data.agency.place}, {date_words(data.received_at)}", italic=True), align="center"))
              + "</w:tr></w:tbl>")
    body = [
        _para(_run(spec.title, bold=True, size=28), align="center"),
        _para(_run(f"{t('code_label')} {data.dossier_code}", bold=True), align="center"),
        _para(_run(t("intro", agency=data.agency.name))),
        _para(_run(f"{t('name_label')} {a.name}")), _para(_run(f"{t('id_label')} {a.id_number}")),
        _para(_run(f"{t('address_label')} {a.address}")),
        _para(_run(f"{t('phone_label')} {a.phone}    {t('email_label')} {a.email}")),
        _para(_run(f"{t('request_label')} {data.procedure_name} – {data.summary}")),
        _para(_run(t("documents_label"))),
    ]
    rows = ["<w:tr>" + "".join(_cell(w, _para(_run(t(k), bold=True, size=24), align="center")) for w, k in
                               ((600, "col_no"), (5150, "col_name"), (1100, "col_original"),
                                (1400, "col_certified"), (1100, "col_photocopy"))) + "</w:tr>"]
    for index, doc in enumerate(data.documents, 1):
        values = (str(index), doc.name, str(doc.original or ""), str(doc.certified_copy or ""),
                  str(doc.photocopy or ""))
        rows.append("<w:tr>" + "".join(_cell(w, _para(_run(v, size=24))) for w, v in
                                       zip((600, 5150, 1100, 1400, 1100), values, strict=True)) + "</w:tr>")
    borders = "".join(f"<w:{side} w:val='single' w:sz='4'/>" for side in
                      ("top", "left", "bottom", "right", "insideH", "insideV"))
    table = f"<w:tbl><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>{''.join(rows)}</w:tbl>"
    fee = data.fees[0]
    body2 = [
        _para(_run(f"{t('sets_label')} {data.sets:02d} {t('sets_unit')}")),
        _para(_run(f"{t('time_label')} {data.processing_time}")),
        _para(_run(f"{t('received_label')} {time_words(data.received_at)}")),
        _para(_run(f"{t('due_label')} {time_words(data.due_at)}")),
        _para(_run(f"{t('place_label')} {data.return_place}")),
        _para(_run(f"{t('fees_label')} {fee.name}: {format_amount(fee.amount_vnd or 0)} "
                   f"({t('in_words')} {amount_in_words(fee.amount_vnd or 0)})")),
        _para(_run(t("book_line"))),
        "<w:tbl><w:tr>" + _cell(4675, _para(_run(t("sign_applicant"), bold=True), align="center"),
                                _para(_run(t("sign_hint"), italic=True), align="center"), _para(), _para(),
                                _para(_run(a.name, bold=True), align="center"))
        + _cell(4675, _para(_run(t("sign_officer"), bold=True), align="center"),
                _para(_run(t("sign_hint"), italic=True), align="center"), _para(), _para(),
                _para(_run(data.receiving_officer, bold=True), align="center")) + "</w:tr></w:tbl>",
    ]
    section = ("<w:sectPr><w:pgSz w:w='11906' w:h='16838'/>"
               "<w:pgMar w:top='1134' w:right='850' w:bottom='1134' w:left='1701'/></w:sectPr>")
    document = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>"
                "<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
                + header + "".join(body) + table + "".join(body2) + section + "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as docx:
        docx.writestr("[Content_Types].xml",
                      "<?xml version='1.0' encoding='UTF-8'?><Types xmlns='http://schemas.openxmlformats.org/"
                      "package/2006/content-types'><Default Extension='rels' ContentType='application/"
                      "vnd.openxmlformats-package.relationships+xml'/><Default Extension='xml' ContentType="
                      "'application/xml'/><Override PartName='/word/document.xml' ContentType='application/"
                      "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml'/></Types>")
        docx.writestr("_rels/.rels",
                      "<?xml version='1.0' encoding='UTF-8'?><Relationships xmlns='http://schemas.openxmlformats"
                      ".org/package/2006/relationships'><Relationship Id='rId1' Type='http://schemas."
                      "openxmlformats.org/officeDocument/2006/relationships/officeDocument' "
                      "Target='word/document.xml'/></Relationships>")
        docx.writestr("word/document.xml", document)


def libreoffice_runs(repeat: int) -> list[float] | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    work = Path(tempfile.mkdtemp(prefix="motcua-bench-lo-"))
    profile = (work / "profile").as_uri()
    source = work / "receipt.docx"
    receipt_docx(samples.receipt(), source)

    def convert(_: int) -> None:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work / "out"), str(source)], check=True, capture_output=True, timeout=180)

    convert(0)  # the first run creates the profile: not counted
    runs = timed(convert, repeat)
    if not (work / "out" / "receipt.pdf").is_file():
        raise RuntimeError("LibreOffice wrote no PDF")
    shutil.rmtree(work, ignore_errors=True)
    return runs


def report(name: str, runs: list[float]) -> float:
    median = statistics.median(runs)
    print(f"{name:<44} median {median:9.1f} ms   fastest {min(runs):9.1f} ms   ({len(runs)} runs)")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="receipts to render")
    parser.add_argument("--book-repeat", type=int, default=5)
    parser.add_argument("--lo-repeat", type=int, default=5)
    parser.add_argument("--no-libreoffice", action="store_true")
    args = parser.parse_args()

    render_form("receipt", samples.receipt(), "tt03_2025")  # fonts registered, modules imported
    receipt = report("receipt (Mẫu 01, reportlab)",
                     timed(lambda i: render_form("receipt", receipt_for(i), "tt03_2025"), args.repeat))
    book_data = samples.tracking_book(300)
    report("tracking book, 300 rows (landscape)",
           timed(lambda _: render_form("book", book_data, "tt03_2025"), args.book_repeat))
    print(f"target: receipt ≤ 40 ms median -> {'met' if receipt <= 40 else 'NOT met'}")
    if args.no_libreoffice:
        return 0
    runs = libreoffice_runs(args.lo_repeat)
    if runs is None:
        print("LibreOffice (soffice) not installed: comparison skipped")
        return 0
    office = report("receipt .docx -> PDF (soffice --headless)", runs)
    print(f"LibreOffice / reportlab: {office / receipt:.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
