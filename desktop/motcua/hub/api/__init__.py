"""The hub's HTTP API (protocol v1): ``app`` builds the FastAPI app from routers (``sync_routes`` for the
desks, ``attachment_routes``, ``province_routes`` for the admin token, ``report_routes``) whose shared
dependencies (who is asking, the running hub, problem responses) live in ``deps``; ``middleware`` bounds
and authenticates bodies before they are read, ``ratelimit`` counts failed enrolments, ``schemas`` gives the
OpenAPI shapes and ``openapi`` writes docs/openapi.json. No rule of the hub lives here: routes call
``communes``, ``province`` and ``store``."""
