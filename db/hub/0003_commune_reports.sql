-- The communes' monthly reports (schema motcua.report/1, docs/reports.md «To the province»): the latest
-- payload per commune and month. summary = what the province's aggregates read (commune, period,
-- generated_at, totals, by_field); payload = the whole payload as sent. content_hash = SHA-256 of the
-- payload without generated_at, so a re-sent identical report changes nothing.
CREATE TABLE commune_reports (
    commune_code TEXT NOT NULL REFERENCES communes (code),
    period       TEXT NOT NULL,                 -- month key, e.g. 2026-11
    generated_at TEXT NOT NULL,                 -- the desk's moment (ISO 8601 with offset)
    content_hash TEXT NOT NULL,
    summary      TEXT NOT NULL,                 -- canonical JSON
    payload      TEXT NOT NULL,                 -- canonical JSON
    device_id    TEXT NOT NULL,
    stored_at    TEXT NOT NULL,                 -- hub time of the last change
    PRIMARY KEY (commune_code, period)
);
CREATE INDEX commune_reports_by_period ON commune_reports (period);
