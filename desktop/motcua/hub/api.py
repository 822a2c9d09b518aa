"""The hub's HTTP API (protocol v1): FastAPI routes over the hub services. No logic lives here."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from motcua.domain.clock import iso, now
from motcua.hub import accounts, feed, ingest, province
from motcua.hub import schemas as s
from motcua.hub.accounts import Device
from motcua.hub.credentials import same_secret
from motcua.hub.errors import HubError, check_storable, invalid, safe_text, too_many_attempts, unauthorized
from motcua.hub.middleware import DEVICE_STATE_KEY, BodyMiddleware
from motcua.hub.ratelimit import FailureLimiter
from motcua.hub.service import Hub
from motcua.protocol.messages import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    PROTOCOL_VERSION,
    EnrollRequest,
    MissingRequest,
    ProtocolError,
    PushRequest,
    StatusResponse,
)

log = logging.getLogger("motcua.hub")
bearer = HTTPBearer(auto_error=False, description="device token (from /enroll) or the province admin token")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
MAX_INT64 = 2**63 - 1
Sha256 = Annotated[str, Path(pattern="^[0-9a-f]{64}$", description="SHA-256 of the file, lowercase hex")]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": s.ProblemOut} for code in (400, 401, 403, 404, 409, 413, 422)
}
ENROLL_PROBLEMS: dict[int | str, dict[str, Any]] = {**PROBLEMS, 429: {
    "model": s.TooManyAttemptsOut,
    "description": "Too many failed enrollment attempts from this client address (per hub worker process)",
    "headers": {"Retry-After": {"description": "seconds until this address may try again",
                                "schema": {"type": "integer", "minimum": 1}}}}}


def _device(request: Request, credentials: Credentials) -> Device:
    known = request.scope.get("state", {}).get(DEVICE_STATE_KEY)
    if isinstance(known, Device):  # authenticated by BodyMiddleware before the body was read
        return known
    hub: Hub = request.app.state.hub
    return accounts.authenticate(hub.db, credentials.credentials if credentials else None)


def _admin(request: Request, credentials: Credentials) -> None:
    hub: Hub = request.app.state.hub
    if not hub.config.admin_token:
        raise HubError(403, "admin_disabled", "the province API is closed: no admin token is configured")
    if credentials is None or not same_secret(credentials.credentials, hub.config.admin_token):
        raise unauthorized("the province API needs the admin token")


DeviceDep = Annotated[Device, Depends(_device)]
AdminDep = Annotated[None, Depends(_admin)]


def _problem(status: int, error: str, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": error, "detail": safe_text(detail), **extra}, status_code=status)


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(title="Một Cửa Xã provincial hub", version=f"{PROTOCOL_VERSION}.0",
                  description="Sync protocol v1 between commune desktops and the provincial hub (docs/sync.md).")
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyMiddleware)
    _install_error_handlers(app)

    app.state.hub = hub
    # Per client address, in this worker process only (docs/sync.md "Enrollment and tokens").
    enroll_limiter = FailureLimiter(hub.config.enroll_max_failures, hub.config.enroll_window_seconds)
    app.state.enroll_limiter = enroll_limiter
    from motcua.hub.reports_api import router as reports_router  # the communes' monthly reports
    app.include_router(reports_router)

    @app.get("/api/v1/health", tags=["sync"])
    def health() -> dict[str, Any]:
        return {"ack": "health", "protocol": PROTOCOL_VERSION, "hub_time": iso(now())}

    @app.post("/api/v1/enroll", response_model=s.EnrollOut, responses=ENROLL_PROBLEMS, tags=["sync"])
    def enroll(body: s.EnrollIn, http: Request) -> dict[str, Any]:
        # The client address as uvicorn sees it: behind a proxy on the same host, X-Forwarded-For from
        # a trusted proxy (uvicorn's --forwarded-allow-ips, 127.0.0.1 by default).
        address = http.client.host if http.client else "unknown"
        wait = enroll_limiter.retry_after(address)
        if wait is not None:
            raise too_many_attempts(wait)
        try:
            check_storable(body.model_dump())
            request = _parse(EnrollRequest.from_dict, body.model_dump())
            return accounts.enroll(hub.db, request, hub.public_key).to_dict()
        except HubError:  # a wrong, spent or expired code, a bad key: counted; a success never is
            enroll_limiter.failed(address)
            raise

    @app.post("/api/v1/push", response_model=s.PushOut, responses=PROBLEMS, tags=["sync"],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": s.PushIn.model_json_schema()}}}})
    async def push(request: Request, who: DeviceDep) -> JSONResponse:
        # The hot path: parsed once by the protocol's own validator (no pydantic round trip of 200 events).
        parsed = _parse(PushRequest.from_dict, await _json_body(request))
        answer = await run_in_threadpool(ingest.push, hub.db, who, parsed)
        return JSONResponse(answer.to_dict())

    @app.get("/api/v1/pull", response_model=s.PullOut, responses=PROBLEMS, tags=["sync"])
    def pull(who: DeviceDep, cursor: Annotated[int, Query(ge=0, le=MAX_INT64)] = 0,
             limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT) -> dict[str, Any]:
        return feed.pull(hub.db, who, cursor, limit).to_dict()

    @app.get("/api/v1/status", response_model=s.StatusOut, responses=PROBLEMS, tags=["sync"])
    def status(who: DeviceDep) -> dict[str, Any]:
        pending, last_push = province.commune_status(hub.db, who.commune_code)
        return StatusResponse(who.commune_code, pending, last_push, iso(now())).to_dict()

    @app.get("/api/v1/quarantine", responses=PROBLEMS, tags=["sync"])
    def quarantine(who: DeviceDep) -> dict[str, Any]:
        return {"ack": "quarantine", "items": province.quarantine_list(hub.db, who.commune_code)}

    @app.post("/api/v1/attachments/missing", response_model=s.MissingOut, responses=PROBLEMS, tags=["attachments"])
    def missing(body: s.MissingIn, who: DeviceDep) -> dict[str, Any]:
        request = _parse(MissingRequest.from_dict, body.model_dump())
        return {"ack": "missing", "missing": hub.attachments.missing(who.commune_code, request.hashes)}

    @app.put("/api/v1/attachments/{sha256}", response_model=s.ChunkOut, responses=PROBLEMS, tags=["attachments"],
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    async def put_chunk(sha256: Sha256, request: Request, who: DeviceDep,
                        x_offset: Annotated[int, Header(ge=0, le=MAX_INT64)],
                        x_total_size: Annotated[int, Header(ge=1, le=MAX_INT64)]) -> dict[str, Any]:
        data = await request.body()
        ack = await run_in_threadpool(hub.attachments.put_chunk, who.commune_code, sha256, x_offset, x_total_size,
                                      data)
        return ack.to_dict("chunk")

    @app.get("/api/v1/attachments/{sha256}/status", response_model=s.ChunkOut, responses=PROBLEMS,
             tags=["attachments"])
    def attachment_status(sha256: Sha256, who: DeviceDep) -> dict[str, Any]:
        return hub.attachments.status(who.commune_code, sha256).to_dict("attachment_status")

    @app.get("/api/v1/attachments/{sha256}", responses={**PROBLEMS, 200: {"content": {
        "application/octet-stream": {}}}}, tags=["attachments"], response_class=FileResponse)
    def attachment(sha256: Sha256, who: DeviceDep) -> FileResponse:
        return FileResponse(hub.attachments.open_complete(who.commune_code, sha256),
                            media_type="application/octet-stream")

    # --- the province ----------------------------------------------------------------------------

    @app.get("/api/v1/admin/communes", responses=PROBLEMS, tags=["province"])
    def communes(_: AdminDep) -> dict[str, Any]:
        return {"ack": "communes", "communes": province.communes_overview(hub.db), "hub_time": iso(now())}

    @app.post("/api/v1/admin/communes", responses=PROBLEMS, tags=["province"], status_code=201)
    def create_commune(body: s.CommuneIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "commune", **accounts.create_commune(hub.db, body.code, body.name, body.agency_code)}

    @app.put("/api/v1/admin/communes/{commune_code}/agency", responses=PROBLEMS, tags=["province"])
    def set_agency(commune_code: str, body: s.AgencyIn, _: AdminDep) -> dict[str, Any]:
        check_storable(commune_code, "commune_code")
        check_storable(body.model_dump())
        return {"ack": "commune", **accounts.set_agency(hub.db, commune_code, body.agency_code)}

    @app.post("/api/v1/admin/enrollment-codes", responses=PROBLEMS, tags=["province"], status_code=201)
    def enrollment_code(body: s.EnrollmentCodeIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "enrollment_code", **accounts.create_enrollment_code(hub.db, body.commune_code, body.ttl_hours)}

    @app.get("/api/v1/admin/devices", responses=PROBLEMS, tags=["province"])
    def devices(_: AdminDep, commune_code: str | None = None) -> dict[str, Any]:
        check_storable(commune_code, "commune_code")
        return {"ack": "devices", "devices": accounts.list_devices(hub.db, commune_code)}

    @app.post("/api/v1/admin/devices/{device_id}/revoke", responses=PROBLEMS, tags=["province"])
    def revoke(device_id: str, _: AdminDep) -> dict[str, Any]:
        check_storable(device_id, "device_id")
        return {"ack": "revoked", **accounts.revoke(hub.db, device_id)}

    @app.post("/api/v1/admin/catalog", responses=PROBLEMS, tags=["province"])
    def publish_catalog(body: s.CatalogIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "catalog", "procedures": [province.publish_procedure(hub.db, p) for p in body.procedures]}

    @app.post("/api/v1/admin/calendar", responses=PROBLEMS, tags=["province"])
    def publish_calendar(body: s.CalendarIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "calendar", **province.publish_calendar(hub.db, body.entries, body.commune_code)}

    @app.post("/api/v1/admin/announcements", responses=PROBLEMS, tags=["province"])
    def announce(body: s.AnnouncementIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "announcement",
                **province.publish_announcement(hub.db, body.title, body.body_markdown, body.commune_code)}

    @app.post("/api/v1/admin/decisions", responses=PROBLEMS, tags=["province"])
    def decide(body: s.DecisionIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "decision",
                **province.record_decision(hub.db, body.dossier_id, body.type, body.actor, body.payload)}

    @app.get("/api/v1/admin/quarantine", responses=PROBLEMS, tags=["province"])
    def all_quarantine(_: AdminDep, commune_code: str | None = None) -> dict[str, Any]:
        check_storable(commune_code, "commune_code")
        return {"ack": "quarantine", "items": province.quarantine_list(hub.db, commune_code)}

    @app.post("/api/v1/admin/quarantine/retry", responses=PROBLEMS, tags=["province"])
    def retry_quarantined(body: s.QuarantineRetryIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        result = ingest.retry_quarantined(hub.db, body.commune_code, body.event_id)
        return {"ack": "quarantine_retry", **result.to_dict()}

    @app.post("/api/v1/admin/quarantine/resolve", responses=PROBLEMS, tags=["province"])
    def resolve_quarantined(body: s.QuarantineResolveIn, _: AdminDep) -> dict[str, Any]:
        check_storable(body.model_dump())
        return {"ack": "quarantine_resolve",
                **province.resolve_quarantined(hub.db, body.commune_code, body.event_id, body.note)}

    return app


async def _json_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except (ValueError, RecursionError) as exc:
        raise invalid(f"body is not JSON: {type(exc).__name__}: {exc}") from None


def _parse(parser: Any, data: Any) -> Any:
    try:
        return parser(data)
    except ProtocolError as exc:
        raise invalid(str(exc)) from None


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def hub_error(_: Request, exc: HubError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):  # as on /push: 400 everywhere
            return _problem(400, "invalid_request", "body is not JSON")
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
        return _problem(422, "invalid_request", "; ".join(parts) or "request does not match the API")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        return _problem(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in the hub")
        return _problem(500, "internal_error", f"the hub failed: {type(exc).__name__}; see the hub log")


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory motcua.hub.api:app_from_env` and multi-worker serving: settings come
    from MOTCUA_HUB_DATA_DIR / MOTCUA_HUB_DATABASE_URL / MOTCUA_HUB_ADMIN_TOKEN."""
    from motcua.hub.config import HubConfig
    from motcua.hub.lifetime import die_with_master
    from motcua.hub.service import open_hub

    die_with_master()
    return create_app(open_hub(HubConfig.load()))
