"""Write the hub's OpenAPI document: `python -m motcua.hub.api.openapi [docs/openapi.json]`.

The document is generated from the FastAPI app itself; a test checks docs/openapi.json is current.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from motcua.hub.api.app import create_app
from motcua.hub.service.config import HubConfig
from motcua.hub.service.hub import open_hub
from motcua.paths import install_root


def openapi_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="motcua-openapi-") as tmp:
        hub = open_hub(HubConfig.load(tmp, f"sqlite:///{Path(tmp) / 'hub.sqlite3'}", admin_token=""))
        try:
            return create_app(hub).openapi()
        finally:
            hub.close()


def render() -> str:
    return json.dumps(openapi_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else install_root() / "docs" / "openapi.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
