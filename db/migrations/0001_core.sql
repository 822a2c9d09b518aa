-- The commune store's ground floor: settings, the append-only event log, the dossier projection,
-- code sequences, attachments, the official calendar, users and intake drafts.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL              -- JSON
);

CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,   -- local append order
    id              TEXT NOT NULL UNIQUE,                -- client-made UUIDv7
    dossier_id      TEXT NOT NULL,
    type            TEXT NOT NULL,
    actor           TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,                       -- ISO 8601 with +07:00
    payload         TEXT NOT NULL CHECK (json_valid(payload)),
    device_id       TEXT NOT NULL DEFAULT '',
    device_seq      INTEGER,                             -- this device's mutation number (sync)
    sync_state      TEXT NOT NULL DEFAULT 'pending'
                    CHECK (sync_state IN ('pending', 'sent', 'quarantined', 'remote')),
    sync_error      TEXT NOT NULL DEFAULT '',
    hub_seq         INTEGER,
    hub_received_at TEXT
);
CREATE INDEX events_by_dossier ON events (dossier_id, seq);
CREATE INDEX events_by_device ON events (device_id, device_seq);
CREATE INDEX events_unsent ON events (sync_state, seq) WHERE sync_state IN ('pending', 'quarantined');

-- Events are facts: never edited, never deleted. Only the sync bookkeeping columns may change.
CREATE TRIGGER events_are_append_only_update
BEFORE UPDATE OF id, dossier_id, type, actor, occurred_at, payload, device_id ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete
BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE dossiers (
    id                  TEXT PRIMARY KEY,
    code                TEXT UNIQUE,
    status              INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
    channel             TEXT NOT NULL DEFAULT 'desk',
    procedure_code      TEXT NOT NULL DEFAULT '',
    procedure_version   INTEGER,
    procedure_name      TEXT NOT NULL DEFAULT '',
    field_name          TEXT NOT NULL DEFAULT '',
    processing_amount   REAL,
    processing_unit     TEXT NOT NULL DEFAULT '',
    applicant_name      TEXT NOT NULL DEFAULT '',
    applicant_id_number TEXT NOT NULL DEFAULT '',
    applicant_kind      INTEGER NOT NULL DEFAULT 1,
    applicant_phone     TEXT NOT NULL DEFAULT '',
    applicant_email     TEXT NOT NULL DEFAULT '',
    applicant_address   TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL DEFAULT '',
    documents           TEXT NOT NULL DEFAULT '[]',
    sets                INTEGER NOT NULL DEFAULT 1,
    return_place        TEXT NOT NULL DEFAULT '',
    fee_total           INTEGER NOT NULL DEFAULT 0,
    receiving_officer   TEXT NOT NULL DEFAULT '',
    assigned_to         TEXT NOT NULL DEFAULT '',
    received_at         TEXT,
    due_at              TEXT,
    rescheduled_due_at  TEXT,
    paused_since        TEXT,
    paused_seconds      INTEGER NOT NULL DEFAULT 0,
    supplement_rounds   INTEGER NOT NULL DEFAULT 0,
    resolved_at         TEXT,
    decision            TEXT NOT NULL DEFAULT '',
    timeliness          TEXT NOT NULL DEFAULT '',
    returned_at         TEXT,
    closed_at           TEXT,
    closing_reason      TEXT NOT NULL DEFAULT '',
    attachment_count    INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    last_event_id       TEXT NOT NULL,
    event_count         INTEGER NOT NULL,
    search_text         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossiers_by_status_due ON dossiers (status, due_at);
CREATE INDEX dossiers_by_due ON dossiers (due_at);
CREATE INDEX dossiers_by_received ON dossiers (received_at);
CREATE INDEX dossiers_by_procedure ON dossiers (procedure_code, received_at);
CREATE INDEX dossiers_by_applicant_id ON dossiers (applicant_id_number);

CREATE TABLE code_sequences (
    agency      TEXT NOT NULL,
    day         TEXT NOT NULL,          -- YYYY-MM-DD
    workstation INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (agency, day, workstation)
);

CREATE TABLE attachments (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size       INTEGER NOT NULL,
    mime       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
);

CREATE TABLE dossier_attachments (
    event_id   TEXT PRIMARY KEY,
    dossier_id TEXT NOT NULL,
    sha256     TEXT NOT NULL REFERENCES attachments (sha256),
    name       TEXT NOT NULL,
    added_at   TEXT NOT NULL
);
CREATE INDEX dossier_attachments_by_dossier ON dossier_attachments (dossier_id);

CREATE TABLE calendar_days (
    day     TEXT PRIMARY KEY,           -- YYYY-MM-DD
    working INTEGER NOT NULL CHECK (working IN (0, 1)),
    name    TEXT NOT NULL,
    source  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('receiver', 'specialist', 'leader', 'admin')),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);

CREATE TABLE drafts (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL CHECK (json_valid(data)),
    updated_at TEXT NOT NULL
);
