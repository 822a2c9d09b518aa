"""SQLAlchemy Core descriptions of the hub's tables, for building queries.

The schema itself is created by the numbered SQL in db/hub (see ``migrations``); a test reflects the
migrated database and checks that these descriptions match it column for column.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, Text

metadata = MetaData()

hub_counters = Table("hub_counters", metadata, Column("name", Text, primary_key=True),
                     Column("value", BigInteger, nullable=False))

communes = Table(
    "communes", metadata,
    Column("code", Text, primary_key=True), Column("name", Text, nullable=False),
    Column("created_at", Text, nullable=False), Column("last_push_at", Text), Column("last_pull_at", Text),
    Column("agency_code", Text),
)

devices = Table(
    "devices", metadata,
    Column("id", Text, primary_key=True), Column("commune_code", Text, nullable=False),
    Column("name", Text, nullable=False), Column("public_key", Text, nullable=False),
    Column("token_hash", Text, nullable=False), Column("created_at", Text, nullable=False),
    Column("revoked_at", Text), Column("last_seen_at", Text), Column("bundle_cursor", BigInteger, nullable=False),
    Column("workstation", Integer, nullable=False, default=0),
)

enrollment_codes = Table(
    "enrollment_codes", metadata,
    Column("code_hash", Text, primary_key=True), Column("commune_code", Text, nullable=False),
    Column("created_at", Text, nullable=False), Column("expires_at", Text, nullable=False),
    Column("used_at", Text), Column("device_id", Text),
)

feed = Table(
    "feed", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False), Column("commune_code", Text),
    Column("kind", Text, nullable=False), Column("pushed_by", Text, nullable=False),
    Column("data", Text, nullable=False), Column("created_at", Text, nullable=False),
)

events = Table(
    "events", metadata,
    Column("id", Text, primary_key=True), Column("commune_code", Text, nullable=False),
    Column("dossier_id", Text, nullable=False), Column("type", Text, nullable=False),
    Column("occurred_at", Text, nullable=False), Column("device_id", Text, nullable=False),
    Column("device_seq", BigInteger), Column("pushed_by", Text, nullable=False),
    Column("hub_seq", BigInteger, nullable=False), Column("hub_received_at", Text, nullable=False),
    Column("client_time", Text, nullable=False), Column("digest", Text, nullable=False),
)

quarantine = Table(
    "quarantine", metadata,
    Column("commune_code", Text, primary_key=True), Column("event_id", Text, primary_key=True),
    Column("device_id", Text, nullable=False), Column("raw", Text, nullable=False),
    Column("reason", Text, nullable=False), Column("received_at", Text, nullable=False), Column("resolved_at", Text),
    Column("resolution", Text, nullable=False),
)

dossiers = Table(
    "dossiers", metadata,
    Column("id", Text, primary_key=True), Column("commune_code", Text, nullable=False),
    Column("status", Integer, nullable=False), Column("procedure_code", Text, nullable=False),
    Column("level", Text, nullable=False), Column("due_at", Text), Column("rescheduled_due_at", Text),
    Column("paused_since", Text), Column("record", Text, nullable=False), Column("updated_at", Text, nullable=False),
    Column("code", Text),
)

catalog = Table(
    "catalog", metadata,
    Column("code", Text, primary_key=True), Column("version", Integer, nullable=False),
    Column("level", Text, nullable=False), Column("feed_seq", BigInteger, nullable=False),
    Column("published_at", Text, nullable=False),
)

attachments = Table(
    "attachments", metadata,
    Column("commune_code", Text, primary_key=True), Column("sha256", Text, primary_key=True),
    Column("total_size", BigInteger, nullable=False), Column("complete", Integer, nullable=False),
    Column("created_at", Text, nullable=False), Column("completed_at", Text),
)
