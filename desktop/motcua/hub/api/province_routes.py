"""The province's routes (admin token): communes, devices, enrolment codes, publishing, decisions, quarantine."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from motcua.domain.clock import iso, now
from motcua.hub.api import schemas as s
from motcua.hub.api.deps import PROBLEMS, AdminDep, HubDep
from motcua.hub.communes import accounts, ingest
from motcua.hub.errors import check_storable
from motcua.hub.province import chores

router = APIRouter(tags=["province"])


@router.get("/api/v1/admin/communes", responses=PROBLEMS)
def communes(_: AdminDep, hub: HubDep) -> dict[str, Any]:
    return {"ack": "communes", "communes": chores.communes_overview(hub.db), "hub_time": iso(now())}


@router.post("/api/v1/admin/communes", responses=PROBLEMS, status_code=201)
def create_commune(body: s.CommuneIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "commune", **accounts.create_commune(hub.db, body.code, body.name, body.agency_code)}


@router.put("/api/v1/admin/communes/{commune_code}/agency", responses=PROBLEMS)
def set_agency(commune_code: str, body: s.AgencyIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(commune_code, "commune_code")
    check_storable(body.model_dump())
    return {"ack": "commune", **accounts.set_agency(hub.db, commune_code, body.agency_code)}


@router.post("/api/v1/admin/enrollment-codes", responses=PROBLEMS, status_code=201)
def enrollment_code(body: s.EnrollmentCodeIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "enrollment_code", **accounts.create_enrollment_code(hub.db, body.commune_code, body.ttl_hours)}


@router.get("/api/v1/admin/devices", responses=PROBLEMS)
def devices(_: AdminDep, hub: HubDep, commune_code: str | None = None) -> dict[str, Any]:
    check_storable(commune_code, "commune_code")
    return {"ack": "devices", "devices": accounts.list_devices(hub.db, commune_code)}


@router.post("/api/v1/admin/devices/{device_id}/revoke", responses=PROBLEMS)
def revoke(device_id: str, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(device_id, "device_id")
    return {"ack": "revoked", **accounts.revoke(hub.db, device_id)}


@router.post("/api/v1/admin/catalog", responses=PROBLEMS)
def publish_catalog(body: s.CatalogIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "catalog", "procedures": [chores.publish_procedure(hub.db, p) for p in body.procedures]}


@router.post("/api/v1/admin/calendar", responses=PROBLEMS)
def publish_calendar(body: s.CalendarIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "calendar", **chores.publish_calendar(hub.db, body.entries, body.commune_code)}


@router.post("/api/v1/admin/announcements", responses=PROBLEMS)
def announce(body: s.AnnouncementIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "announcement",
            **chores.publish_announcement(hub.db, body.title, body.body_markdown, body.commune_code)}


@router.post("/api/v1/admin/decisions", responses=PROBLEMS)
def decide(body: s.DecisionIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "decision",
            **chores.record_decision(hub.db, body.dossier_id, body.type, body.actor, body.payload)}


@router.get("/api/v1/admin/quarantine", responses=PROBLEMS)
def all_quarantine(_: AdminDep, hub: HubDep, commune_code: str | None = None) -> dict[str, Any]:
    check_storable(commune_code, "commune_code")
    return {"ack": "quarantine", "items": chores.quarantine_list(hub.db, commune_code)}


@router.post("/api/v1/admin/quarantine/retry", responses=PROBLEMS)
def retry_quarantined(body: s.QuarantineRetryIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    result = ingest.retry_quarantined(hub.db, body.commune_code, body.event_id)
    return {"ack": "quarantine_retry", **result.to_dict()}


@router.post("/api/v1/admin/quarantine/resolve", responses=PROBLEMS)
def resolve_quarantined(body: s.QuarantineResolveIn, _: AdminDep, hub: HubDep) -> dict[str, Any]:
    check_storable(body.model_dump())
    return {"ack": "quarantine_resolve",
            **chores.resolve_quarantined(hub.db, body.commune_code, body.event_id, body.note)}
