"""The desks' attachment routes: which files the hub lacks, resumable chunked uploads, downloads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from motcua.hub.api import schemas as s
from motcua.hub.api.deps import MAX_INT64, PROBLEMS, DeviceDep, HubDep, Sha256, parse
from motcua.protocol.messages import MissingRequest

router = APIRouter(tags=["attachments"])


@router.post("/api/v1/attachments/missing", response_model=s.MissingOut, responses=PROBLEMS)
def missing(body: s.MissingIn, who: DeviceDep, hub: HubDep) -> dict[str, Any]:
    request = parse(MissingRequest.from_dict, body.model_dump())
    return {"ack": "missing", "missing": hub.attachments.missing(who.commune_code, request.hashes)}


@router.put("/api/v1/attachments/{sha256}", response_model=s.ChunkOut, responses=PROBLEMS,
            openapi_extra={"requestBody": {"required": True, "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def put_chunk(sha256: Sha256, request: Request, who: DeviceDep, hub: HubDep,
                    x_offset: Annotated[int, Header(ge=0, le=MAX_INT64)],
                    x_total_size: Annotated[int, Header(ge=1, le=MAX_INT64)]) -> dict[str, Any]:
    data = await request.body()
    ack = await run_in_threadpool(hub.attachments.put_chunk, who.commune_code, sha256, x_offset, x_total_size, data)
    return ack.to_dict("chunk")


@router.get("/api/v1/attachments/{sha256}/status", response_model=s.ChunkOut, responses=PROBLEMS)
def attachment_status(sha256: Sha256, who: DeviceDep, hub: HubDep) -> dict[str, Any]:
    return hub.attachments.status(who.commune_code, sha256).to_dict("attachment_status")


@router.get("/api/v1/attachments/{sha256}", responses={**PROBLEMS, 200: {"content": {
    "application/octet-stream": {}}}}, response_class=FileResponse)
def attachment(sha256: Sha256, who: DeviceDep, hub: HubDep) -> FileResponse:
    return FileResponse(hub.attachments.open_complete(who.commune_code, sha256), media_type="application/octet-stream")
