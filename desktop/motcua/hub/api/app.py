"""The hub's HTTP API (protocol v1): the FastAPI app, its middleware and error handlers, and its routers
(the desks', attachments, the province's, reports). No logic lives here."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from motcua.hub.api import attachment_routes, province_routes, report_routes, sync_routes
from motcua.hub.api.deps import problem
from motcua.hub.api.middleware import BodyMiddleware
from motcua.hub.api.ratelimit import FailureLimiter
from motcua.hub.errors import HubError
from motcua.hub.service.config import HubConfig
from motcua.hub.service.hub import Hub, open_hub
from motcua.hub.service.lifetime import die_with_master
from motcua.protocol.messages import PROTOCOL_VERSION

log = logging.getLogger("motcua.hub")


def create_app(hub: Hub) -> FastAPI:
    app = FastAPI(title="Một Cửa Xã provincial hub", version=f"{PROTOCOL_VERSION}.0",
                  description="Sync protocol v1 between commune desktops and the provincial hub (docs/sync.md).")
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(BodyMiddleware)
    _install_error_handlers(app)
    app.state.hub = hub
    # Per client address, in this worker process only (docs/sync.md "Enrollment and tokens").
    app.state.enroll_limiter = FailureLimiter(hub.config.enroll_max_failures, hub.config.enroll_window_seconds)
    for router in (report_routes.router, sync_routes.router, attachment_routes.router, province_routes.router):
        app.include_router(router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HubError)
    async def hub_error(_: Request, exc: HubError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):  # as on /push: 400 everywhere
            return problem(400, "invalid_request", "body is not JSON")
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
            parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
        return problem(422, "invalid_request", "; ".join(parts) or "request does not match the API")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden"}
        return problem(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in the hub")
        return problem(500, "internal_error", f"the hub failed: {type(exc).__name__}; see the hub log")


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory motcua.hub.api.app:app_from_env` and multi-worker serving: settings
    come from MOTCUA_HUB_DATA_DIR / MOTCUA_HUB_DATABASE_URL / MOTCUA_HUB_ADMIN_TOKEN."""
    die_with_master()
    return create_app(open_hub(HubConfig.load()))
