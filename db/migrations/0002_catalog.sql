-- 0002: the procedure catalog (every version kept) and the full-text indexes for search.
--
-- Search compares *folded* text (motcua.domain.text.fold: lower case, no marks, đ→d). unicode61's
-- remove_diacritics does not fold đ, so the folding is done in Python and the indexes are fed
-- folded text; queries are folded the same way.

-- Every version of every procedure ever loaded, with the full JSON document. Never updated or
-- deleted: a dossier points at (procedure_code, procedure_version) for its whole life.
CREATE TABLE procedure_versions (
    code          TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    data          TEXT    NOT NULL CHECK (json_valid(data)),
    content_hash  TEXT    NOT NULL,          -- sha256 of the canonical JSON: tells a re-load from an edit
    imported_at   TEXT    NOT NULL,          -- ISO 8601, UTC
    source        TEXT    NOT NULL,          -- "shipped:1.003560.json", "import:QD-123.xlsx", "sync"
    PRIMARY KEY (code, version)
) WITHOUT ROWID;

-- One row per procedure: the current version, denormalised for lists and search.
-- id is an INTEGER PRIMARY KEY so the rowid the FTS index points at never changes (VACUUM may
-- renumber implicit rowids).
CREATE TABLE procedures (
    id                 INTEGER PRIMARY KEY,
    code               TEXT    NOT NULL UNIQUE,
    current_version    INTEGER NOT NULL,
    name               TEXT    NOT NULL,
    sector             TEXT    NOT NULL,
    field              TEXT    NOT NULL,
    level              TEXT    NOT NULL,
    effective_from     TEXT    NOT NULL,
    effective_until    TEXT,
    components         TEXT    NOT NULL,     -- component names, one per line (shown in snippets)
    guidance           TEXT    NOT NULL,
    -- folded copies fed to the FTS index; the columns above are what snippet() shows
    code_folded        TEXT    NOT NULL,
    name_folded        TEXT    NOT NULL,
    field_folded       TEXT    NOT NULL,
    components_folded  TEXT    NOT NULL,
    guidance_folded    TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    FOREIGN KEY (code, current_version) REFERENCES procedure_versions (code, version)
);
CREATE INDEX procedures_field ON procedures (field);

-- External-content index over procedures. The index holds the folded words while snippet() reads
-- the original columns: folding keeps every word a word (NFC letters stay single letters), so the
-- token positions line up and highlights land on the text with its diacritics.
-- Never run the 'rebuild' command on it (it would index the unfolded columns);
-- motcua.catalog.repository.reindex_procedures() rebuilds it correctly.
CREATE VIRTUAL TABLE procedures_fts USING fts5 (
    code, name, field, components, guidance,
    content = 'procedures', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER procedures_fts_ai AFTER INSERT ON procedures BEGIN
    INSERT INTO procedures_fts (rowid, code, name, field, components, guidance)
    VALUES (new.id, new.code_folded, new.name_folded, new.field_folded, new.components_folded,
            new.guidance_folded);
END;
CREATE TRIGGER procedures_fts_ad AFTER DELETE ON procedures BEGIN
    INSERT INTO procedures_fts (procedures_fts, rowid, code, name, field, components, guidance)
    VALUES ('delete', old.id, old.code_folded, old.name_folded, old.field_folded,
            old.components_folded, old.guidance_folded);
END;
CREATE TRIGGER procedures_fts_au AFTER UPDATE ON procedures BEGIN
    INSERT INTO procedures_fts (procedures_fts, rowid, code, name, field, components, guidance)
    VALUES ('delete', old.id, old.code_folded, old.name_folded, old.field_folded,
            old.components_folded, old.guidance_folded);
    INSERT INTO procedures_fts (rowid, code, name, field, components, guidance)
    VALUES (new.id, new.code_folded, new.name_folded, new.field_folded, new.components_folded,
            new.guidance_folded);
END;

-- Dossier search: external content over dossiers.search_text, which the core keeps folded
-- (fold(code + applicant name + id number + phone + procedure name + summary)).
-- dossiers has a TEXT primary key, so its rowid is implicit and VACUUM may renumber it: run
-- motcua.search.rebuild_dossier_index() after a VACUUM ('rebuild' is safe here because the content
-- column is already folded). Writes must not use INSERT OR REPLACE on dossiers: REPLACE deletes
-- without firing the delete trigger (recursive_triggers is off) and would leave stale index rows.
CREATE VIRTUAL TABLE dossiers_fts USING fts5 (
    search_text,
    content = 'dossiers', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

CREATE TRIGGER dossiers_fts_ai AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossiers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER dossiers_fts_ad AFTER DELETE ON dossiers BEGIN
    INSERT INTO dossiers_fts (dossiers_fts, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
END;
-- Every lifecycle event rewrites the dossier row; only a changed search_text touches the index.
CREATE TRIGGER dossiers_fts_au AFTER UPDATE OF search_text ON dossiers
WHEN old.search_text IS NOT new.search_text BEGIN
    INSERT INTO dossiers_fts (dossiers_fts, rowid, search_text)
    VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO dossiers_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;

-- Dossiers written before this migration.
INSERT INTO dossiers_fts (dossiers_fts) VALUES ('rebuild');
