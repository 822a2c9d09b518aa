-- Who does what: every role an account holds, and the processing step each dossier is at.
-- motcua: rebuild dossiers
-- (The marker above makes open_store rebuild every dossier row from its events after this migration,
-- so ``step``, ``step_due_at`` and the holder in ``assigned_to`` are exactly what the projection gives.)

-- A person may hold several roles (a desk officer who is also the administrator). users.role stays
-- the primary role, readable by older code; this table is the full set.
CREATE TABLE user_roles (
    username TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    role     TEXT NOT NULL CHECK (role IN ('receiver', 'specialist', 'leader', 'admin')),
    PRIMARY KEY (username, role)
);
INSERT INTO user_roles (username, role) SELECT username, role FROM users;

-- The step a dossier is at (receive, process, approve, province, return; '' once closed) and that
-- step's own deadline, both folded from the events (handed_over carries the step and its deadline).
ALTER TABLE dossiers ADD COLUMN step TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN step_due_at TEXT;
CREATE INDEX dossiers_by_holder ON dossiers (assigned_to, status, step_due_at);
