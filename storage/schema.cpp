#include "schema.h"

#include "sqlite.h"

#include <string>

namespace concord::storage {

namespace {

// CHECK constraints spell out `x = 'a' OR x = 'b'`: SQLite evaluates `x IN ('a','b','c')` through
// a temporary index built on every insert, which made bulk imports several times slower.

// Step 1: the first schema. Label history is append-only: labels and evidence rows are never
// updated or deleted (the triggers enforce it).
constexpr const char *kStep1 = R"sql(
CREATE TABLE document_texts(
    id      INTEGER PRIMARY KEY,
    hash    TEXT NOT NULL UNIQUE,             -- SHA-256 of text: identical texts are stored once
    text    TEXT NOT NULL,
    length  INTEGER NOT NULL                  -- in Unicode code points
);
CREATE TABLE documents(
    id          INTEGER PRIMARY KEY,
    ext_id      TEXT NOT NULL UNIQUE,
    title       TEXT,
    text_id     INTEGER NOT NULL REFERENCES document_texts(id),
    meta        TEXT,
    record_hash TEXT NOT NULL
);
CREATE TABLE items(
    id                INTEGER PRIMARY KEY,
    ext_id            TEXT NOT NULL UNIQUE,
    document_id       INTEGER NOT NULL REFERENCES documents(id),
    question          TEXT NOT NULL,
    question_type     TEXT NOT NULL CHECK(question_type = 'fact_recall' OR question_type = 'definition' OR question_type = 'summarization' OR question_type = 'interpretation' OR question_type = 'inference' OR question_type = 'no_info'),
    answerable        INTEGER NOT NULL CHECK(answerable = 0 OR answerable = 1),
    evidence_position REAL CHECK(evidence_position BETWEEN 0 AND 1),
    reference_answer  TEXT,
    meta              TEXT,
    record_hash       TEXT NOT NULL
);
CREATE INDEX items_by_document ON items(document_id);
CREATE TABLE answers(
    item_id INTEGER NOT NULL REFERENCES items(id),
    slot    TEXT NOT NULL CHECK(slot = 'A' OR slot = 'B'),
    system  TEXT NOT NULL,
    text    TEXT NOT NULL,
    PRIMARY KEY(item_id, slot)
) WITHOUT ROWID;
CREATE TABLE raters(
    id      INTEGER PRIMARY KEY,
    ext_id  TEXT NOT NULL UNIQUE,
    kind    TEXT NOT NULL CHECK(kind = 'human' OR kind = 'judge' OR kind = 'gold'),
    name    TEXT,
    config  TEXT                              -- judges: the full configuration as JSON
);
CREATE TABLE imports(
    id                  INTEGER PRIMARY KEY,
    imported_at         TEXT NOT NULL,
    documents_added     INTEGER NOT NULL,
    documents_unchanged INTEGER NOT NULL,
    items_added         INTEGER NOT NULL,
    items_unchanged     INTEGER NOT NULL,
    labels_added        INTEGER NOT NULL,
    labels_unchanged    INTEGER NOT NULL
);
CREATE TABLE import_files(
    import_id INTEGER NOT NULL REFERENCES imports(id),
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    bytes     INTEGER NOT NULL
);
-- One row per labelling act (a JSONL label line, or one edit in the workspace). A facet column
-- that is NULL was not touched by this act. The current label of a rater × item × facet is the
-- non-NULL value in the row with the greatest id.
CREATE TABLE labels(
    id                INTEGER PRIMARY KEY,
    rater_id          INTEGER NOT NULL REFERENCES raters(id),
    item_id           INTEGER NOT NULL REFERENCES items(id),
    preference        TEXT CHECK(preference = 'A' OR preference = 'B' OR preference = 'tie'),
    relevance         TEXT CHECK(relevance = 'A' OR relevance = 'B' OR relevance = 'tie'),
    comprehensiveness TEXT CHECK(comprehensiveness = 'A' OR comprehensiveness = 'B' OR comprehensiveness = 'tie'),
    conciseness       TEXT CHECK(conciseness = 'A' OR conciseness = 'B' OR conciseness = 'tie'),
    faithful_a        TEXT CHECK(faithful_a = 'faithful' OR faithful_a = 'unfaithful'),
    faithful_b        TEXT CHECK(faithful_b = 'faithful' OR faithful_b = 'unfaithful'),
    no_info_a         TEXT CHECK(no_info_a = 'answered' OR no_info_a = 'hallucinated' OR no_info_a = 'declined_correctly' OR no_info_a = 'declined_wrongly'),
    no_info_b         TEXT CHECK(no_info_b = 'answered' OR no_info_b = 'hallucinated' OR no_info_b = 'declined_correctly' OR no_info_b = 'declined_wrongly'),
    note              TEXT,                   -- NULL: this act leaves the note as it was
    has_evidence      INTEGER NOT NULL DEFAULT 0 CHECK(has_evidence = 0 OR has_evidence = 1),
                                              -- 1: its evidence rows replace the rater's evidence
    created_at        TEXT,
    time_spent_s      REAL,
    shown_order       TEXT CHECK(shown_order = 'AB' OR shown_order = 'BA'),
    import_id         INTEGER REFERENCES imports(id),
    key               BLOB UNIQUE             -- identity of an imported label (idempotent import)
);
CREATE INDEX labels_by_rater_item ON labels(rater_id, item_id);
CREATE INDEX labels_by_item ON labels(item_id);
CREATE TABLE evidence(
    label_id INTEGER NOT NULL REFERENCES labels(id),
    seq      INTEGER NOT NULL,
    slot     TEXT NOT NULL CHECK(slot = 'A' OR slot = 'B'),
    start    INTEGER NOT NULL CHECK(start >= 0),
    end      INTEGER NOT NULL CHECK(end > start),
    note     TEXT,
    PRIMARY KEY(label_id, seq)
) WITHOUT ROWID;
CREATE TRIGGER labels_append_only_u BEFORE UPDATE ON labels
    BEGIN SELECT RAISE(ABORT, 'label history is append-only'); END;
CREATE TRIGGER labels_append_only_d BEFORE DELETE ON labels
    BEGIN SELECT RAISE(ABORT, 'label history is append-only'); END;
CREATE TRIGGER evidence_append_only_u BEFORE UPDATE ON evidence
    BEGIN SELECT RAISE(ABORT, 'label history is append-only'); END;
CREATE TRIGGER evidence_append_only_d BEFORE DELETE ON evidence
    BEGIN SELECT RAISE(ABORT, 'label history is append-only'); END;
)sql";

// Step 2: project settings (blinding and others the workspace reads).
constexpr const char *kStep2 = R"sql(
CREATE TABLE settings(
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO settings(key, value) VALUES ('blind', 'true');
)sql";

// Step 3: withdrawn facets. A workspace undo can take a facet back to "no value", which a NULL
// column cannot say (NULL means untouched). Bit c of `cleared` set: this act withdraws the rater's
// current value of the c-th facet column (kLabelColumns order: preference, relevance,
// comprehensiveness, conciseness, faithful_a, faithful_b, no_info_a, no_info_b), whose value is
// NULL in this row. The current label of a column is then the newest row that sets or withdraws it.
constexpr const char *kStep3 = R"sql(
ALTER TABLE labels ADD COLUMN cleared INTEGER NOT NULL DEFAULT 0 CHECK(cleared BETWEEN 0 AND 255);
)sql";

constexpr const char *kSteps[] = {nullptr, kStep1, kStep2, kStep3};
static_assert(std::size(kSteps) == kSchemaVersion + 1, "one migration step per schema version");

} // namespace

int schemaVersion(Database &db)
{
    Statement s(db, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.int64(0));
}

void migrate(Database &db, int target)
{
    for (int version = schemaVersion(db); version < target; ++version) {
        Transaction tx(db);
        db.exec(kSteps[version + 1]);
        db.exec("PRAGMA user_version = " + std::to_string(version + 1));
        tx.commit();
    }
}

} // namespace concord::storage
