"""The desks' routes: health, enrolment, push, pull, the commune's status and quarantine."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from motcua.domain.clock import iso, now
from motcua.hub.api import schemas as s
from motcua.hub.api.deps import (
    ENROLL_PROBLEMS,
    MAX_INT64,
    PROBLEMS,
    DeviceDep,
    EnrollLimiterDep,
    HubDep,
    json_body,
    parse,
)
from motcua.hub.communes import accounts, feed, ingest
from motcua.hub.errors import HubError, check_storable, too_many_attempts
from motcua.hub.province import chores
from motcua.protocol.messages import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PROTOCOL_VERSION,
    EnrollRequest,
    PushRequest,
    StatusResponse,
)

router = APIRouter(tags=["sync"])


@router.get("/api/v1/health")
def health() -> dict[str, Any]:
    return {"ack": "health", "protocol": PROTOCOL_VERSION, "hub_time": iso(now())}


@router.post("/api/v1/enroll", response_model=s.EnrollOut, responses=ENROLL_PROBLEMS)
def enroll(body: s.EnrollIn, http: Request, hub: HubDep, limiter: EnrollLimiterDep) -> dict[str, Any]:
    # The client address as uvicorn sees it: behind a proxy on the same host, X-Forwarded-For from
    # a trusted proxy (uvicorn's --forwarded-allow-ips, 127.0.0.1 by default).
    address = http.client.host if http.client else "unknown"
    wait = limiter.retry_after(address)
    if wait is not None:
        raise too_many_attempts(wait)
    try:
        check_storable(body.model_dump())
        request = parse(EnrollRequest.from_dict, body.model_dump())
        return accounts.enroll(hub.db, request, hub.public_key).to_dict()
    except HubError:  # a wrong, spent or expired code, a bad key: counted; a success never is
        limiter.failed(address)
        raise


@router.post("/api/v1/push", response_model=s.PushOut, responses=PROBLEMS,
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": s.PushIn.model_json_schema()}}}})
async def push(request: Request, who: DeviceDep, hub: HubDep) -> JSONResponse:
    # The hot path: parsed once by the protocol's own validator (no pydantic round trip of 200 events).
    parsed = parse(PushRequest.from_dict, await json_body(request))
    answer = await run_in_threadpool(ingest.push, hub.db, who, parsed)
    return JSONResponse(answer.to_dict())


@router.get("/api/v1/pull", response_model=s.PullOut, responses=PROBLEMS)
def pull(who: DeviceDep, hub: HubDep, cursor: Annotated[int, Query(ge=0, le=MAX_INT64)] = 0,
         limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT) -> dict[str, Any]:
    return feed.pull(hub.db, who, cursor, limit).to_dict()


@router.get("/api/v1/status", response_model=s.StatusOut, responses=PROBLEMS)
def status(who: DeviceDep, hub: HubDep) -> dict[str, Any]:
    pending, last_push = chores.commune_status(hub.db, who.commune_code)
    return StatusResponse(who.commune_code, pending, last_push, iso(now())).to_dict()


@router.get("/api/v1/quarantine", responses=PROBLEMS)
def quarantine(who: DeviceDep, hub: HubDep) -> dict[str, Any]:
    return {"ack": "quarantine", "items": chores.quarantine_list(hub.db, who.commune_code)}
