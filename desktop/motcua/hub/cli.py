"""`motcua-hub`: run the provincial hub and do the province's chores from a shell.

Every command works on the hub's own storage (same services as the HTTP API); settings come from
options, else MOTCUA_HUB_DATA_DIR / MOTCUA_HUB_DATABASE_URL / MOTCUA_HUB_ADMIN_TOKEN.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from motcua.hub.communes.accounts import create_commune, create_enrollment_code, list_devices, revoke, set_agency
from motcua.hub.communes.bundles import BundleRefused, import_bundle
from motcua.hub.communes.ingest import retry_quarantined
from motcua.hub.errors import HubError
from motcua.hub.province.chores import (
    communes_overview,
    publish_announcement,
    publish_calendar,
    publish_procedure,
    quarantine_list,
    record_decision,
    resolve_quarantined,
)
from motcua.hub.service.config import ENV_DATA_DIR, ENV_DATABASE_URL, HubConfig
from motcua.hub.service.hub import Hub, open_hub


def _print(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def _load_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise HubError(400, "invalid_file", f"{path}: {exc}") from None


def cmd_serve(hub: Hub, args: argparse.Namespace) -> int:
    import uvicorn

    from motcua.hub.api.app import create_app
    from motcua.hub.service.lifetime import mark_master

    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": args.log_level,
                               "timeout_graceful_shutdown": 5, "ssl_certfile": args.ssl_certfile,
                               "ssl_keyfile": args.ssl_keyfile}
    if args.workers > 1:
        # Worker processes build their own app from the environment; the database is migrated already.
        os.environ[ENV_DATA_DIR] = str(hub.config.data_dir)
        os.environ[ENV_DATABASE_URL] = hub.config.database_url
        hub.close()
        mark_master()  # workers end with this process, even when it is killed (hub/service/lifetime.py)
        uvicorn.run("motcua.hub.api.app:app_from_env", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(hub), **options)
    return 0


def cmd_migrate(hub: Hub, args: argparse.Namespace) -> int:
    _print({"database": hub.config.database_url.split("@")[-1], "status": "up to date"})
    return 0


def cmd_create_commune(hub: Hub, args: argparse.Namespace) -> int:

    _print(create_commune(hub.db, args.code, args.name, args.agency or ""))
    return 0


def cmd_set_agency(hub: Hub, args: argparse.Namespace) -> int:

    _print(set_agency(hub.db, args.commune, args.agency_code))
    return 0


def cmd_enroll_code(hub: Hub, args: argparse.Namespace) -> int:

    _print(create_enrollment_code(hub.db, args.commune, args.ttl_hours))
    return 0


def cmd_revoke(hub: Hub, args: argparse.Namespace) -> int:

    _print(revoke(hub.db, args.device_id))
    return 0


def cmd_devices(hub: Hub, args: argparse.Namespace) -> int:

    _print(list_devices(hub.db, args.commune))
    return 0


def cmd_communes(hub: Hub, args: argparse.Namespace) -> int:

    _print(communes_overview(hub.db))
    return 0


def cmd_publish_catalog(hub: Hub, args: argparse.Namespace) -> int:

    results = []
    for name in args.files:
        data = _load_json(name)
        for procedure in data if isinstance(data, list) else [data]:
            if not isinstance(procedure, dict):
                raise HubError(400, "invalid_file", f"{name}: each procedure must be a JSON object")
            results.append(publish_procedure(hub.db, procedure, source=Path(name).name))
    _print(results)
    return 0


def cmd_publish_calendar(hub: Hub, args: argparse.Namespace) -> int:

    data = _load_json(args.file)
    entries = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise HubError(400, "invalid_file", f"{args.file}: want a list of {{day, working, name, source}} "
                       "or {\"entries\": [...]}")
    _print(publish_calendar(hub.db, entries, args.commune))
    return 0


def cmd_announce(hub: Hub, args: argparse.Namespace) -> int:

    body = Path(args.body_file).read_text(encoding="utf-8") if args.body_file else (args.body or "")
    _print(publish_announcement(hub.db, args.title, body, args.commune))
    return 0


def cmd_decide(hub: Hub, args: argparse.Namespace) -> int:

    payload = json.loads(args.payload) if args.payload else {}
    if args.decision:
        payload.setdefault("decision", args.decision)
    _print(record_decision(hub.db, args.dossier_id, args.type, args.actor, payload))
    return 0


def cmd_quarantine(hub: Hub, args: argparse.Namespace) -> int:

    _print(quarantine_list(hub.db, args.commune))
    return 0


def cmd_quarantine_retry(hub: Hub, args: argparse.Namespace) -> int:

    _print(retry_quarantined(hub.db, args.commune, args.event_id).to_dict())
    return 0


def cmd_quarantine_resolve(hub: Hub, args: argparse.Namespace) -> int:

    _print(resolve_quarantined(hub.db, args.commune, args.event_id, args.note))
    return 0


def cmd_import(hub: Hub, args: argparse.Namespace) -> int:

    try:
        summary = import_bundle(hub, Path(args.bundle), Path(args.output), expected_commune=args.commune)
    except BundleRefused as exc:
        raise HubError(400, "bundle_refused", f"{args.bundle}: {exc}") from None
    _print(summary)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="motcua-hub", description="Một Cửa Xã provincial hub")
    parser.add_argument("--data-dir", help="hub data folder (key, attachments, SQLite) [$MOTCUA_HUB_DATA_DIR]")
    parser.add_argument("--database-url", help="sqlite:///… or postgresql://… [$MOTCUA_HUB_DATABASE_URL]")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[Hub, argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=func)
        return p

    p = add("serve", cmd_serve, "run the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8470)
    p.add_argument("--log-level", default="warning")
    p.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL in production: 2–4 per core)")
    p.add_argument("--ssl-certfile", help="TLS certificate (PEM) issued by the province CA")
    p.add_argument("--ssl-keyfile", help="TLS private key (PEM)")
    add("migrate", cmd_migrate, "create or upgrade the hub database, then exit")
    p = add("create-commune", cmd_create_commune, "register a commune")
    p.add_argument("code", help="agency code, e.g. 000.17.22.H56")
    p.add_argument("name")
    p.add_argument("--agency", help="the prefix of the commune's dossier codes when CODE is not its agency code")
    p = add("set-agency", cmd_set_agency, "set or correct the agency code (dossier-code prefix) of a commune")
    p.add_argument("commune")
    p.add_argument("agency_code", help="e.g. 000.17.22.H56")
    p = add("enroll-code", cmd_enroll_code, "make a one-time enrollment code for a commune's device")
    p.add_argument("commune")
    p.add_argument("--ttl-hours", type=int, default=72)
    p = add("revoke", cmd_revoke, "revoke a device: its token stops working at once")
    p.add_argument("device_id")
    p = add("devices", cmd_devices, "list enrolled devices")
    p.add_argument("--commune")
    add("communes", cmd_communes, "every commune: last sync, pending and overdue dossiers, quarantine")
    p = add("publish-catalog", cmd_publish_catalog, "publish procedure JSON files (db/catalog format)")
    p.add_argument("files", nargs="+")
    p = add("publish-calendar", cmd_publish_calendar, "publish holiday/working-day entries from a JSON file")
    p.add_argument("file")
    p.add_argument("--commune", help="only for this commune (default: every commune)")
    p = add("announce", cmd_announce, "publish an announcement or Q&A answer (Markdown)")
    p.add_argument("title")
    p.add_argument("--body")
    p.add_argument("--body-file")
    p.add_argument("--commune")
    p = add("decide", cmd_decide, "record a province decision on a dossier (an event, e.g. resolved)")
    p.add_argument("dossier_id")
    p.add_argument("type", help="event type, e.g. resolved or stopped")
    p.add_argument("--actor", required=True)
    p.add_argument("--decision", help="payload decision, e.g. approved / rejected")
    p.add_argument("--payload", help="JSON object for the event payload")
    p = add("quarantine", cmd_quarantine, "list quarantined events")
    p.add_argument("--commune")
    p = add("quarantine-retry", cmd_quarantine_retry, "validate a quarantined event again; store it if it now fits")
    p.add_argument("commune")
    p.add_argument("event_id")
    p = add("quarantine-resolve", cmd_quarantine_resolve, "mark a quarantined event as dealt with")
    p.add_argument("commune")
    p.add_argument("event_id")
    p.add_argument("--note", required=True)
    p = add("import", cmd_import, "apply a USB push bundle and write the signed reply bundle")
    p.add_argument("bundle")
    p.add_argument("-o", "--output", required=True, help="where to write the reply .zip")
    p.add_argument("--commune", help="refuse the bundle unless it is from this commune")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = HubConfig.load(args.data_dir, args.database_url)
    try:
        hub = open_hub(config)
    except Exception as exc:
        print(f"motcua-hub: cannot open the hub: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(hub, args))
    except HubError as exc:
        print(f"motcua-hub: {exc.error}: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        hub.close()


if __name__ == "__main__":
    sys.exit(main())
