"""Write the catalog files of the national snapshot's commune procedures into db/catalog/procedures/.

    .venv/bin/python db/catalog/national/make_catalog.py          # write
    .venv/bin/python db/catalog/national/make_catalog.py --check  # exit 1 when a file is stale (a test runs it)

A file written by hand (its first source is not the national database) is never touched: the
hand-made entry wins over the generated one, and so does a hand-made file naming the code among its
former codes. A generated file whose content changes gets the next version.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "desktop"))

from motcua.catalog.model import content_hash  # noqa: E402
from motcua.catalog.snapshot import generated_documents, is_generated  # noqa: E402

PROCEDURES = HERE.parent / "procedures"


def _dump(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def planned() -> dict[Path, str]:
    existing = {p: json.loads(p.read_text(encoding="utf-8")) for p in sorted(PROCEDURES.glob("*.json"))}
    hand = {d["code"] for d in existing.values() if not is_generated(d)}
    hand |= {c for d in existing.values() if not is_generated(d) for c in d.get("former_codes", ())}
    out: dict[Path, str] = {}
    for doc in generated_documents():
        if doc["code"] in hand:
            continue
        path = PROCEDURES / f"{doc['code']}.json"
        old = existing.get(path)
        if old is not None:
            doc["version"] = old["version"]
            if content_hash(old) != content_hash(doc):
                doc["version"] = old["version"] + 1
        out[path] = _dump(doc)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files = planned()
    stale = [p.name for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    if args.check:
        if stale:
            print(f"{len(stale)} tệp sinh từ bản ghi quốc gia đã cũ (ví dụ {stale[0]}): chạy "
                  "db/catalog/national/make_catalog.py", file=sys.stderr)
            return 1
        return 0
    for path in files:
        if path.name in stale:
            path.write_text(files[path], encoding="utf-8")
    print(f"{len(files)} tệp sinh từ bản ghi quốc gia, {len(stale)} được viết lại")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
