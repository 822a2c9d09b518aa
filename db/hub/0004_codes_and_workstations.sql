-- Dossier codes are the hub's to keep unique (issue 17): each commune's agency code (the prefix of its
-- dossier codes, e.g. 000.17.22.H56) belongs to that commune only; each device of a commune gets its own
-- workstation number at enrolment (the first digit of its daily sequence); the hub's projection keeps
-- every dossier's code, unique per commune. Rows written before this migration have code NULL.
ALTER TABLE communes ADD COLUMN agency_code TEXT;
CREATE UNIQUE INDEX communes_by_agency ON communes (agency_code);
ALTER TABLE devices ADD COLUMN workstation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN code TEXT;
CREATE UNIQUE INDEX dossiers_by_code ON dossiers (commune_code, code);
CREATE UNIQUE INDEX devices_by_workstation ON devices (commune_code, workstation)
    WHERE revoked_at IS NULL AND workstation > 0;
