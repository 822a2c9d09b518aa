-- The desktop's sync bookkeeping (owned by motcua.sync): where the hub is, how far we have pulled,
-- what the hub refused, what needs an official's decision, what the province announced, and a log.
-- The device token and private key are NOT here: they live in the OS keyring.

CREATE TABLE sync_meta (
    key   TEXT PRIMARY KEY,         -- hub_url, ca_file, commune_code, hub_device_id, cursor, last_success…
    value TEXT NOT NULL             -- JSON
);

-- Conflicts an official resolves: a local event the hub quarantined, or a hub event that no longer
-- applies on top of the local dossier. Never dropped; resolved with a note.
CREATE TABLE sync_conflicts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    dossier_id    TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('local_quarantined', 'remote_not_applicable')),
    event_id      TEXT NOT NULL,
    event         TEXT NOT NULL CHECK (json_valid(event)),   -- the event on the wire
    hub_seq       INTEGER,
    reason        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    resolved_at   TEXT,
    resolved_by   TEXT NOT NULL DEFAULT '',
    resolution    TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, event_id)
);
CREATE INDEX sync_conflicts_open ON sync_conflicts (resolved_at, dossier_id);

-- What the hub answered "quarantined" for, mirrored so the desk can show it without the network.
CREATE TABLE sync_quarantine (
    event_id        TEXT PRIMARY KEY,
    dossier_id      TEXT NOT NULL,
    reason          TEXT NOT NULL,
    hub_received_at TEXT,
    recorded_at     TEXT NOT NULL
);

-- Attachments the hub has confirmed complete (so we do not ask again).
CREATE TABLE sync_uploaded (
    sha256       TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    confirmed_at TEXT NOT NULL
);

-- How far an unfinished upload got (the hub's last acknowledged offset), to resume without asking.
CREATE TABLE sync_upload_progress (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    received   INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE announcements (
    hub_seq      INTEGER PRIMARY KEY,
    title        TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    data         TEXT NOT NULL CHECK (json_valid(data)),
    received_at  TEXT NOT NULL,
    read_at      TEXT
);

-- Pulled items for other packages to apply (catalog versions, province decisions, calendars), kept raw.
CREATE TABLE sync_inbox (
    hub_seq     INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL CHECK (json_valid(data)),
    received_at TEXT NOT NULL,
    applied_at  TEXT
);
CREATE INDEX sync_inbox_by_kind ON sync_inbox (kind, applied_at);

CREATE TABLE sync_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    kind        TEXT NOT NULL,       -- sync, export, import, enroll, resync
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    pushed      INTEGER NOT NULL DEFAULT 0,
    pulled      INTEGER NOT NULL DEFAULT 0,
    uploaded    INTEGER NOT NULL DEFAULT 0,
    bytes_sent  INTEGER NOT NULL DEFAULT 0,
    bytes_received INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
