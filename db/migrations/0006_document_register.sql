-- The document register (Nghị định 30/2020/NĐ-CP, Phụ lục I, II.3.a): every numbered paper a desk issues
-- gets the next number of its kind in the year it is issued. A number is taken when the event that
-- issues the paper is recorded, so a reprint shows the same number and a second supplement round a new one.
CREATE TABLE document_register (
    kind       TEXT NOT NULL,             -- receipt | supplement | refusal | apology | stop
    year       INTEGER NOT NULL,          -- the year of issue (local time)
    number     INTEGER NOT NULL CHECK (number > 0),
    event_id   TEXT NOT NULL UNIQUE,      -- the event that issued the paper
    dossier_id TEXT NOT NULL,
    PRIMARY KEY (kind, year, number)
);

-- Papers issued before this table existed, numbered in the order their events were recorded.
INSERT INTO document_register (kind, year, number, event_id, dossier_id)
SELECT kind, year, ROW_NUMBER() OVER (PARTITION BY kind, year ORDER BY seq), id, dossier_id
FROM (
    SELECT seq, id, dossier_id, CAST(substr(occurred_at, 1, 4) AS INTEGER) AS year,
           CASE type WHEN 'received' THEN 'receipt' WHEN 'supplement_requested' THEN 'supplement'
                     WHEN 'refused' THEN 'refusal' WHEN 'rescheduled' THEN 'apology'
                     WHEN 'stopped' THEN 'stop' END AS kind
    FROM events
    WHERE type IN ('received', 'supplement_requested', 'refused', 'rescheduled', 'stopped')
);
