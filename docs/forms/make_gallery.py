"""Render every form of both legal sets (and the procedure form and guidance sheet) to PNG.

    python docs/forms/make_gallery.py            # writes docs/forms/<set>/<kind>-<page>.png at 60 dpi

Uses the sample view models of ``motcua.forms.samples`` and poppler's ``pdftoppm -r 60 -png``; the
PDFs are kept beside the PNGs' folder under ``bench/out/gallery`` (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

from motcua.forms import content, samples  # noqa: E402
from motcua.forms.formsets import available_form_sets, load_form_set  # noqa: E402
from motcua.forms.render import render_form, render_guidance, render_procedure_form  # noqa: E402

# Real procedures of the shipped catalog shown beside the samples: their own form and guidance sheet.
GALLERY_PROCEDURES = ("1.013978", "2.000815")
GALLERY_PLACE = {"commune": "Xã Ea Kao", "province": "Đắk Lắk"}

SAMPLES = {
    "receipt": samples.receipt,
    "supplement": samples.supplement,
    "refusal": samples.refusal,
    "apology": samples.apology,
    "stop": samples.stop_notice,
    "control": samples.control_sheet,
    "book": lambda: samples.tracking_book(14),
}


def to_png(pdf: bytes, pdf_path: Path, png_prefix: Path, dpi: int) -> list[Path]:
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    png_prefix.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.write_bytes(pdf)
    for old in png_prefix.parent.glob(f"{png_prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf_path), str(png_prefix)], check=True)
    return sorted(png_prefix.parent.glob(f"{png_prefix.name}-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--pdf-dir", type=Path, default=ROOT / "bench" / "out" / "gallery")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    written: list[Path] = []
    for set_id in available_form_sets():
        form_set = load_form_set(set_id)
        for kind in form_set.templates:
            pdf = render_form(kind, SAMPLES[kind](), form_set)
            number = form_set.template(kind).number.split()[-1]
            name = f"{number}-{kind}"
            written += to_png(pdf, args.pdf_dir / set_id / f"{name}.pdf", args.out / set_id / name, args.dpi)
    extras = {
        "procedure-form-blank": render_procedure_form(samples.procedure_form(False)),
        "procedure-form-filled": render_procedure_form(samples.procedure_form(True)),
        "guidance": render_guidance(samples.guidance()),
    }
    shipped_dir = ROOT / "db" / "catalog" / "procedures"
    for code in GALLERY_PROCEDURES:
        path = shipped_dir / f"{code}.json"
        if not path.is_file():
            parser.error(f"{path} is not in the shipped catalog: update GALLERY_PROCEDURES")
        definition = json.loads(path.read_text(encoding="utf-8"))
        for form in definition.get("forms") or []:
            extras[f"catalog-{code}-{form['id']}"] = render_procedure_form(
                content.procedure_form_view(definition, form["id"], names=GALLERY_PLACE))
        extras[f"catalog-{code}-guidance"] = render_guidance(
            content.guidance_view(definition, samples.AGENCY, date(2026, 2, 12)))
    for name, pdf in extras.items():
        written += to_png(pdf, args.pdf_dir / "procedure" / f"{name}.pdf", args.out / "procedure" / name, args.dpi)
    for path in written:
        print(path.relative_to(args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
