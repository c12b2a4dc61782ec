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

// Step 4: the LLM judge (docs/judge.md). Its verdicts are ordinary label rows of a judge rater;
// these tables keep what produced them: the prompt templates used, each run, every reply received
// (the cache, keyed by the SHA-256 of the exact request), a manifest row per call, where each
// rater × item × task stands (judged, or failed with the reason), and the details behind each
// label: both raw preference verdicts, the claims with their quotes, the no-info answers.
constexpr const char *kStep4 = R"sql(
CREATE TABLE judge_templates(
    sha256   TEXT PRIMARY KEY,                -- of text
    step     TEXT NOT NULL CHECK(step = 'preference' OR step = 'claims' OR step = 'verify' OR step = 'no_info'),
    version  INTEGER NOT NULL,
    text     TEXT NOT NULL,
    added_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE judge_runs(
    id           INTEGER PRIMARY KEY,
    rater_id     INTEGER NOT NULL REFERENCES raters(id),
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    status       TEXT NOT NULL CHECK(status = 'running' OR status = 'finished' OR status = 'stopped' OR status = 'cancelled'),
    stop_reason  TEXT,
    options      TEXT NOT NULL,               -- JSON: tasks, items, limit, concurrency, timeout, max_context
    judged       INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    requests     INTEGER NOT NULL DEFAULT 0,  -- HTTP requests sent
    cached_calls INTEGER NOT NULL DEFAULT 0   -- calls answered from judge_responses
);
CREATE TABLE judge_responses(
    id           INTEGER PRIMARY KEY,
    request_hash TEXT NOT NULL,               -- SHA-256 of "POST <url>\n<body>"
    http_status  INTEGER,                     -- NULL: no HTTP response (timeout, connection failure)
    body         TEXT NOT NULL,               -- as received; the transport's message when none
    usable       INTEGER NOT NULL CHECK(usable = 0 OR usable = 1), -- 1: a valid verdict, served from the cache
    problem      TEXT,                        -- why it is not usable
    latency_ms   INTEGER,
    received_at  TEXT NOT NULL
);
CREATE INDEX judge_responses_by_request ON judge_responses(request_hash, usable);
CREATE TABLE judge_calls(
    id                INTEGER PRIMARY KEY,
    run_id            INTEGER NOT NULL REFERENCES judge_runs(id),
    rater_id          INTEGER NOT NULL REFERENCES raters(id),
    item_id           INTEGER NOT NULL REFERENCES items(id),
    task              TEXT NOT NULL,
    step              TEXT NOT NULL,
    part              TEXT NOT NULL,          -- AB or BA (order), A or B (answer), '' (both)
    request_hash      TEXT NOT NULL,
    prompt_hash       TEXT NOT NULL,          -- SHA-256 of system + "\n" + user prompt
    document_hash     TEXT NOT NULL,          -- document_texts.hash
    template_sha256   TEXT NOT NULL,
    prompt_chars      INTEGER NOT NULL,       -- code points of the prompt
    http_status       INTEGER,
    latency_ms        INTEGER,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    attempts          INTEGER NOT NULL,       -- requests sent for this call in this run; 0: from the cache
    cached            INTEGER NOT NULL CHECK(cached = 0 OR cached = 1),
    outcome           TEXT NOT NULL CHECK(outcome = 'ok' OR outcome = 'failed' OR outcome = 'refused'),
    problem           TEXT,
    response_id       INTEGER REFERENCES judge_responses(id),
    finished_at       TEXT NOT NULL
);
CREATE INDEX judge_calls_by_rater ON judge_calls(rater_id, item_id);
CREATE TABLE judge_outcomes(
    rater_id   INTEGER NOT NULL REFERENCES raters(id),
    item_id    INTEGER NOT NULL REFERENCES items(id),
    task       TEXT NOT NULL CHECK(task = 'preference' OR task = 'faithful' OR task = 'no_info'),
    status     TEXT NOT NULL CHECK(status = 'judged' OR status = 'failed'),
    reason     TEXT,                          -- failed: why
    label_id   INTEGER REFERENCES labels(id), -- judged: the label row written
    run_id     INTEGER NOT NULL REFERENCES judge_runs(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY(rater_id, item_id, task)
) WITHOUT ROWID;
CREATE TABLE judge_preferences(
    rater_id   INTEGER NOT NULL REFERENCES raters(id),
    item_id    INTEGER NOT NULL REFERENCES items(id),
    verdict_ab TEXT NOT NULL,                 -- the verdict JSON with answer A shown first, as received
    verdict_ba TEXT NOT NULL,                 -- with answer B shown first ("1" there is answer B)
    overall_ab TEXT NOT NULL CHECK(overall_ab = 'A' OR overall_ab = 'B' OR overall_ab = 'tie'),
    overall_ba TEXT NOT NULL CHECK(overall_ba = 'A' OR overall_ba = 'B' OR overall_ba = 'tie'), -- mapped back
    consistent INTEGER NOT NULL CHECK(consistent = 0 OR consistent = 1),
    preference TEXT NOT NULL CHECK(preference = 'A' OR preference = 'B' OR preference = 'tie'),
    PRIMARY KEY(rater_id, item_id)
) WITHOUT ROWID;
CREATE TABLE judge_claims(
    rater_id    INTEGER NOT NULL REFERENCES raters(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    slot        TEXT NOT NULL CHECK(slot = 'A' OR slot = 'B'),
    seq         INTEGER NOT NULL,             -- the claim's number, from 1
    claim       TEXT NOT NULL,
    verdict     TEXT NOT NULL CHECK(verdict = 'supported' OR verdict = 'unsupported' OR verdict = 'contradicted'),
    reasoning   TEXT NOT NULL,
    quote       TEXT NOT NULL,
    quote_match TEXT NOT NULL CHECK(quote_match = 'exact' OR quote_match = 'normalised' OR quote_match = 'none'),
    start       INTEGER,                      -- code points; NULL when the quote was not found
    end         INTEGER,
    supported   INTEGER NOT NULL CHECK(supported = 0 OR supported = 1), -- under the quote policy
    PRIMARY KEY(rater_id, item_id, slot, seq)
) WITHOUT ROWID;
CREATE TABLE judge_no_info(
    rater_id                 INTEGER NOT NULL REFERENCES raters(id),
    item_id                  INTEGER NOT NULL REFERENCES items(id),
    verdict                  TEXT NOT NULL,   -- the verdict JSON, as received
    document_contains_answer INTEGER NOT NULL CHECK(document_contains_answer = 0 OR document_contains_answer = 1),
    declines_a               INTEGER NOT NULL CHECK(declines_a = 0 OR declines_a = 1),
    declines_b               INTEGER NOT NULL CHECK(declines_b = 0 OR declines_b = 1),
    PRIMARY KEY(rater_id, item_id)
) WITHOUT ROWID;
)sql";

// The agreement report's input, kept after a read: the current labels as dense columns, valid
// while the project holds the same raters, items and label rows (all append-only, so their
// largest ids and counts identify what the columns were computed from). A cache only: deleting
// its rows loses nothing.
constexpr const char *kStep5 = R"sql(
CREATE TABLE agreement_cache(
    key      TEXT PRIMARY KEY,                -- the facets and grouping read
    state    TEXT NOT NULL,                   -- what the columns were computed from
    data     BLOB NOT NULL
) WITHOUT ROWID;
)sql";

constexpr const char *kSteps[] = {nullptr, kStep1, kStep2, kStep3, kStep4, kStep5};
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
