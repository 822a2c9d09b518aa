"""The hub's storage: one SQLAlchemy Core code path for SQLite and PostgreSQL (``database``, with the
commune and feed locks), the table descriptions (``tables``) and numbered SQL migrations (``migrations``),
the feed, event log and dossier projection writers (``eventlog``), attachment files on disk
(``attachments``) and hashed tokens and enrolment codes (``credentials``)."""
