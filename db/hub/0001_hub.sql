-- The provincial hub's ground floor. Portable SQL: runs unchanged on SQLite and PostgreSQL
-- (TEXT, INTEGER, BIGINT only; no autoincrement: the hub allocates sequence numbers itself from
-- hub_counters under a row lock, so sequence order is commit order and a pull cursor never skips).

CREATE TABLE hub_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO hub_counters (name, value) VALUES ('feed', 0);

CREATE TABLE communes (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_push_at TEXT,
    last_pull_at TEXT
);

CREATE TABLE devices (
    id            TEXT PRIMARY KEY,
    commune_code  TEXT NOT NULL REFERENCES communes (code),
    name          TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,          -- SHA-256 hex of the bearer token
    created_at    TEXT NOT NULL,
    revoked_at    TEXT,
    last_seen_at  TEXT,
    bundle_cursor BIGINT NOT NULL DEFAULT 0      -- pull position reached through USB bundles
);
CREATE INDEX devices_by_commune ON devices (commune_code);

CREATE TABLE enrollment_codes (
    code_hash    TEXT PRIMARY KEY,               -- SHA-256 hex of the one-time code
    commune_code TEXT NOT NULL REFERENCES communes (code),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,                  -- ISO 8601 UTC
    used_at      TEXT,
    device_id    TEXT
);

-- The ordered feed every pull reads: events, decisions, catalog versions, calendar days, announcements.
-- commune_code NULL = for every commune. pushed_by = the device that pushed it (not echoed back to it).
CREATE TABLE feed (
    seq          BIGINT PRIMARY KEY,
    commune_code TEXT,
    kind         TEXT NOT NULL,
    pushed_by    TEXT NOT NULL DEFAULT '',
    data         TEXT NOT NULL,                  -- canonical JSON
    created_at   TEXT NOT NULL
);
CREATE INDEX feed_by_commune ON feed (commune_code, seq);

-- Stored events (index over feed rows of kind event/decision): dedupe by id, replay answers.
CREATE TABLE events (
    id              TEXT PRIMARY KEY,
    commune_code    TEXT NOT NULL,
    dossier_id      TEXT NOT NULL,
    type            TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    device_seq      BIGINT,
    pushed_by       TEXT NOT NULL,
    hub_seq         BIGINT NOT NULL UNIQUE REFERENCES feed (seq),
    hub_received_at TEXT NOT NULL,
    client_time     TEXT NOT NULL DEFAULT '',
    digest          TEXT NOT NULL                -- SHA-256 of the canonical event: a replay must match
);
CREATE INDEX events_by_dossier ON events (dossier_id, hub_seq);
CREATE INDEX events_by_commune ON events (commune_code, hub_seq);

-- Rejected events: kept, visible to the commune and the province, never blocking a batch.
CREATE TABLE quarantine (
    commune_code TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    raw          TEXT NOT NULL,                  -- the event exactly as received (JSON)
    reason       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    resolved_at  TEXT,
    PRIMARY KEY (commune_code, event_id)
);

-- The hub's own projection of each dossier (motcua.domain.projection fold in hub order).
CREATE TABLE dossiers (
    id                 TEXT PRIMARY KEY,
    commune_code       TEXT NOT NULL,
    status             INTEGER NOT NULL,
    procedure_code     TEXT NOT NULL DEFAULT '',
    level              TEXT NOT NULL DEFAULT '',
    due_at             TEXT,
    rescheduled_due_at TEXT,
    paused_since       TEXT,
    record             TEXT NOT NULL,            -- DossierRecord as canonical JSON
    updated_at         TEXT NOT NULL
);
CREATE INDEX dossiers_by_commune_status ON dossiers (commune_code, status);

-- Procedures published by the province (latest version per code; every version is in the feed).
CREATE TABLE catalog (
    code         TEXT PRIMARY KEY,
    version      INTEGER NOT NULL,
    level        TEXT NOT NULL,
    feed_seq     BIGINT NOT NULL,
    published_at TEXT NOT NULL
);

-- Attachments, per commune (content-addressed; files live under the hub's data directory).
CREATE TABLE attachments (
    commune_code TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    total_size   BIGINT NOT NULL,
    complete     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (commune_code, sha256)
);
