"""The receipt's QR code, rendered at 200 dpi by pdftoppm and decoded by zxing-cpp."""

from __future__ import annotations

import dataclasses

import zxingcpp

from motcua.forms import samples
from motcua.forms.content import qr_payload
from motcua.forms.render import render_form
from tests.forms.forms_pdfcheck import render


def _decode(pdf: bytes) -> list[str]:
    image = render(pdf, dpi=200)
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_qr_decodes_to_the_dossier_code(papers: dict[tuple[str, str], bytes]) -> None:
    for set_id in ("tt01_2018", "tt03_2025"):
        assert _decode(papers[(set_id, "receipt")]) == ["000.17.22.H56-260212-0007"]


def test_qr_carries_the_lookup_url_when_configured() -> None:
    url = "https://dichvucong.daklak.gov.vn/tra-cuu?ma="
    payload = qr_payload("000.17.22.H56-260212-0007", url)
    assert payload == url + "000.17.22.H56-260212-0007"
    pdf = render_form("receipt", dataclasses.replace(samples.receipt(), qr_payload=payload), "tt03_2025")
    assert _decode(pdf) == [payload]


def test_lookup_url_may_place_the_code_inside() -> None:
    assert qr_payload("X-1", "https://tra-cuu.vn/{code}/xem") == "https://tra-cuu.vn/X-1/xem"
    assert qr_payload("X-1", "") == "X-1"
