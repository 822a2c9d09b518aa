-- What the province decided about a quarantined event: dismissed with a note, or stored on retry.
ALTER TABLE quarantine ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
