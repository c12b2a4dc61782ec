#include "sqliteconnection.h"

#include "importplan.h"
#include "labelrows.h"
#include "schema.h"
#include "sqlite.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <unordered_map>

namespace concord::storage {

using model::Error;

namespace {

/// Called by SQLite every few thousand virtual-machine steps; a non-zero return interrupts the
/// statement, which is how cancel() reaches work that started after it was called.
int interruptWhenCancelled(void *flag)
{
    return static_cast<std::atomic<bool> *>(flag)->load(std::memory_order_relaxed) ? 1 : 0;
}

/// Columns shared by the reads that fold revisions: the facet columns start at `first`.
std::string facetColumns(const char *alias)
{
    std::string out;
    for (const LabelColumn &c : kLabelColumns)
        out += std::string(", ") + alias + c.column;
    return out;
}

/// The current values of the eight facet columns for one rater × item, as they are folded.
using ColumnValues = std::array<std::optional<std::string>, kLabelColumns.size()>;

void foldColumns(const Statement &row, int first, std::int64_t cleared, ColumnValues &current)
{
    for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
        const int column = first + int(c);
        if (!row.isNull(column))
            current[c] = row.text(column);
        else if (cleared & (std::int64_t(1) << c))
            current[c].reset();
    }
}

/// Facet columns that count towards disagreement: the preference, and faithful and no_info of
/// both answers (criteria are optional and left out).
constexpr std::array<std::size_t, 5> kConsensusColumns = {0, 4, 5, 6, 7};

} // namespace

SqliteConnection::SqliteConnection(std::unique_ptr<Project> project) : m_project(std::move(project))
{
    sqlite3_progress_handler(m_project->database().handle(), 1000, &interruptWhenCancelled, &m_cancelled);
}

SqliteConnection::~SqliteConnection()
{
    sqlite3_progress_handler(m_project->database().handle(), 0, nullptr, nullptr);
}

Error SqliteConnection::failure(int code, const std::string &message) const
{
    if ((code & 0xff) == SQLITE_INTERRUPT)
        return {Error::Code::Io, path() + ": cancelled; nothing was written"};
    return sqliteFailure(path(), code, message);
}

model::Result<std::vector<model::ItemSummary>> SqliteConnection::itemSummaries()
{
    return m_project->itemSummaries();
}

model::Result<model::Item> SqliteConnection::item(const std::string &id) { return m_project->item(id); }

model::Result<model::Document> SqliteConnection::document(const std::string &id)
{
    return m_project->document(id);
}

model::Result<std::vector<model::Rater>> SqliteConnection::raters()
{
    try {
        std::vector<model::Rater> out;
        Statement s(m_project->database(), "SELECT ext_id, kind, name, config FROM raters ORDER BY id");
        while (s.step()) {
            model::Rater r;
            r.id = s.text(0);
            r.kind = model::parseRaterKind(s.textView(1)).value_or(model::RaterKind::Human);
            r.name = s.optionalText(2);
            r.configJson = s.optionalText(3);
            out.push_back(std::move(r));
        }
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<model::Rater> SqliteConnection::ensureRater(const model::Rater &rater)
{
    if (rater.id.empty())
        return Error{Error::Code::InvalidInput, "a rater needs an id"};
    try {
        Database &db = m_project->database();
        Transaction tx(db);
        Statement find(db, "SELECT kind, name, config FROM raters WHERE ext_id = ?");
        find.bind(1, rater.id);
        if (find.step()) {
            model::Rater stored;
            stored.id = rater.id;
            stored.kind = model::parseRaterKind(find.textView(0)).value_or(model::RaterKind::Human);
            stored.name = find.optionalText(1);
            stored.configJson = find.optionalText(2);
            if (stored.kind != rater.kind)
                return Error{Error::Code::InvalidInput, "\"" + rater.id + "\" is a " +
                                                            std::string(model::toString(stored.kind)) +
                                                            " rater in this project; choose another name"};
            return stored;
        }
        Statement insert(db, "INSERT INTO raters(ext_id, kind, name, config) VALUES (?,?,?,?)");
        insert.bind(1, rater.id)
            .bind(2, model::toString(rater.kind))
            .bind(3, rater.name)
            .bind(4, rater.configJson)
            .run();
        tx.commit();
        return rater;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Status SqliteConnection::saveRevision(const model::LabelRevision &revision)
{
    try {
        Database &db = m_project->database();
        Transaction tx(db);
        Statement rater(db, "SELECT id, kind FROM raters WHERE ext_id = ?");
        rater.bind(1, revision.raterId);
        if (!rater.step())
            return Error{Error::Code::NotFound, "no rater \"" + revision.raterId + "\" in " + path()};
        const std::int64_t raterId = rater.int64(0);
        model::LabelRevision canonical = revision;
        canonical.raterKind = model::parseRaterKind(rater.textView(1)).value_or(model::RaterKind::Human);

        Statement item(db, "SELECT i.id, t.length FROM items i JOIN documents d ON d.id = i.document_id "
                           "JOIN document_texts t ON t.id = d.text_id WHERE i.ext_id = ?");
        item.bind(1, revision.itemId);
        if (!item.step())
            return Error{Error::Code::NotFound, "no item \"" + revision.itemId + "\" in " + path()};
        const std::int64_t itemId = item.int64(0), documentLength = item.int64(1);

        for (const model::FacetValue &v : revision.values) {
            if (model::isPerAnswer(v.facet) != v.slot.has_value() ||
                (!v.value.empty() && !model::isValidValue(v.facet, v.value)))
                return Error{Error::Code::InvalidInput, "\"" + v.value + "\" is not a value of " +
                                                            std::string(model::toString(v.facet))};
        }
        if (revision.evidence)
            for (const model::EvidenceSpan &span : *revision.evidence)
                if (span.start < 0 || span.end <= span.start || span.end > documentLength)
                    return Error{Error::Code::InvalidInput,
                                 "evidence " + std::to_string(span.start) + "–" + std::to_string(span.end) +
                                     " is outside the document (" + std::to_string(documentLength) +
                                     " characters)"};

        // The identity import gives the same line; a second identical revision takes the next
        // occurrence, exactly as two identical lines of one import would.
        Statement taken(db, "SELECT 1 FROM labels WHERE key = ?");
        std::string key;
        for (int occurrence = 0;; ++occurrence) {
            key = model::labelRevisionKey(canonical, occurrence);
            taken.reset();
            taken.bindBlob(1, key);
            if (!taken.step())
                break;
        }
        Statement insert(db, insertLabelSql());
        bindLabel(insert, raterId, itemId, canonical, std::nullopt, key);
        insert.run();
        if (canonical.evidence) {
            Statement evidence(db, kInsertEvidenceSql);
            insertEvidence(evidence, db.lastInsertRowId(), *canonical.evidence);
        }
        tx.commit();
        return model::Ok{};
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<model::ItemLabel> SqliteConnection::currentLabel(const std::string &raterId,
                                                               const std::string &itemId)
{
    try {
        Database &db = m_project->database();
        Statement labels(db, "SELECT l.id, l.cleared, l.note, l.has_evidence" + facetColumns("l.") +
                                 " FROM labels l WHERE l.rater_id = (SELECT id FROM raters WHERE ext_id = ?) "
                                 "AND l.item_id = (SELECT id FROM items WHERE ext_id = ?) ORDER BY l.id");
        labels.bind(1, raterId).bind(2, itemId);
        model::ItemLabel label;
        std::optional<std::int64_t> evidenceLabel;
        while (labels.step()) {
            model::LabelRevision revision;
            revision.note = labels.optionalText(2);
            readLabelColumns(labels, 4, labels.int64(1), revision);
            model::apply(label, revision);
            if (labels.int64(3) != 0)
                evidenceLabel = labels.int64(0);
        }
        if (evidenceLabel) {
            label.evidence.clear();
            Statement evidence(db,
                               "SELECT slot, start, end, note FROM evidence WHERE label_id = ? ORDER BY seq");
            evidence.bind(1, *evidenceLabel);
            while (evidence.step())
                label.evidence.push_back({model::parseSlot(evidence.textView(0)).value_or(model::Slot::A),
                                          evidence.int64(1), evidence.int64(2), evidence.optionalText(3)});
        }
        return label;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<model::JudgeRationale> SqliteConnection::judgeRationale(const std::string &raterId,
                                                                      const std::string &itemId)
{
    // The verdict JSON is stored as received; only its free-text fields are read here.
    auto field = [](const std::string &verdict, const char *name) {
        const auto j = nlohmann::json::parse(verdict, nullptr, false);
        return j.is_object() && j.contains(name) && j[name].is_string() ? j[name].get<std::string>()
                                                                        : std::string();
    };
    try {
        Database &db = m_project->database();
        const char *ids = " rater_id = (SELECT id FROM raters WHERE ext_id = ?1) "
                          "AND item_id = (SELECT id FROM items WHERE ext_id = ?2)";
        model::JudgeRationale out;
        Statement preference(db,
                             std::string("SELECT verdict_ab, verdict_ba, overall_ab, overall_ba, consistent, "
                                         "preference FROM judge_preferences WHERE") +
                                 ids);
        preference.bind(1, raterId).bind(2, itemId);
        if (preference.step()) {
            model::JudgeRationale::Preference p;
            p.explanationAB = field(preference.text(0), "explanation");
            p.explanationBA = field(preference.text(1), "explanation");
            p.overallAB = model::parseChoice(preference.textView(2)).value_or(model::Choice::Tie);
            p.overallBA = model::parseChoice(preference.textView(3)).value_or(model::Choice::Tie);
            p.consistent = preference.int64(4) != 0;
            p.preference = model::parseChoice(preference.textView(5)).value_or(model::Choice::Tie);
            out.preference = std::move(p);
        }
        Statement claims(
            db, std::string("SELECT slot, seq, claim, verdict, reasoning, quote, start, end, supported "
                            "FROM judge_claims WHERE") +
                    ids + " ORDER BY slot, seq");
        claims.bind(1, raterId).bind(2, itemId);
        while (claims.step()) {
            model::JudgeRationale::Claim c;
            c.slot = model::parseSlot(claims.textView(0)).value_or(model::Slot::A);
            c.number = static_cast<int>(claims.int64(1));
            c.claim = claims.text(2);
            c.verdict = claims.text(3);
            c.reasoning = claims.text(4);
            c.quote = claims.text(5);
            if (!claims.isNull(6) && !claims.isNull(7)) {
                c.start = claims.int64(6);
                c.end = claims.int64(7);
            }
            c.supported = claims.int64(8) != 0;
            out.claims.push_back(std::move(c));
        }
        Statement noInfo(db, std::string("SELECT verdict, document_contains_answer, declines_a, declines_b "
                                         "FROM judge_no_info WHERE") +
                                 ids);
        noInfo.bind(1, raterId).bind(2, itemId);
        if (noInfo.step())
            out.noInfo = model::JudgeRationale::NoInfo{field(noInfo.text(0), "reasoning"),
                                                       noInfo.int64(1) != 0,
                                                       {noInfo.int64(2) != 0, noInfo.int64(3) != 0}};
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::optional<std::string>> SqliteConnection::decisionNote(const std::string &raterId,
                                                                         const std::string &itemId,
                                                                         model::Facet facet,
                                                                         std::optional<model::Slot> slot)
{
    try {
        const auto decision = DecisionReader(m_project->database())(raterId, itemId, facet, slot);
        return decision ? decision->note : std::nullopt;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::int64_t> SqliteConnection::revisionCount(const std::string &raterId)
{
    try {
        // Counted on labels_by_rater_item: one rater's index entries, no table rows.
        Statement count(
            m_project->database(),
            "SELECT count(*) FROM labels WHERE rater_id = (SELECT id FROM raters WHERE ext_id = ?)");
        count.bind(1, raterId);
        count.step();
        return count.int64(0);
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::vector<model::ItemProgress>> SqliteConnection::progress(const std::string &raterId)
{
    try {
        // Walks labels_by_rater_item: one rater's rows, item by item, each item's oldest first.
        Statement labels(
            m_project->database(),
            "SELECT i.ext_id, l.cleared, l.note, l.has_evidence, "
            "EXISTS(SELECT 1 FROM evidence e WHERE e.label_id = l.id)" +
                facetColumns("l.") +
                " FROM labels l JOIN items i ON i.id = l.item_id "
                "WHERE l.rater_id = (SELECT id FROM raters WHERE ext_id = ?) ORDER BY l.item_id, l.id");
        labels.bind(1, raterId);
        std::vector<model::ItemProgress> out;
        model::ItemLabel label;
        std::string item;
        auto flush = [&] {
            if (!item.empty())
                out.push_back({item, model::statusOf(label)});
        };
        while (labels.step()) {
            if (labels.textView(0) != item) {
                flush();
                item = labels.text(0);
                label = {};
            }
            model::LabelRevision revision;
            revision.note = labels.optionalText(2);
            if (labels.int64(3) != 0) {
                // Only whether the list is empty matters for the status.
                revision.evidence.emplace();
                if (labels.int64(4) != 0)
                    revision.evidence->push_back({});
            }
            readLabelColumns(labels, 5, labels.int64(1), revision);
            model::apply(label, revision);
        }
        flush();
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::vector<model::ItemConsensus>> SqliteConnection::consensus()
{
    try {
        Database &db = m_project->database();
        struct Agreement
        {
            int raters = 0;
            std::array<std::optional<std::string>, kConsensusColumns.size()> first;
            bool disagreement = false;
        };
        std::unordered_map<std::int64_t, Agreement> byItem;
        Statement labels(db, "SELECT rater_id, item_id, cleared" + facetColumns("") +
                                 " FROM labels ORDER BY rater_id, item_id, id");
        std::int64_t rater = -1, item = -1;
        ColumnValues current;
        auto flush = [&] {
            bool any = false;
            for (const auto &v : current)
                any = any || v.has_value();
            if (rater < 0 || !any)
                return;
            Agreement &a = byItem[item];
            ++a.raters;
            for (std::size_t k = 0; k < kConsensusColumns.size(); ++k) {
                const auto &v = current[kConsensusColumns[k]];
                if (!v)
                    continue;
                if (!a.first[k])
                    a.first[k] = v;
                else if (*a.first[k] != *v)
                    a.disagreement = true;
            }
        };
        while (labels.step()) {
            const std::int64_t r = labels.int64(0), i = labels.int64(1);
            if (r != rater || i != item) {
                flush();
                rater = r;
                item = i;
                current = {};
            }
            foldColumns(labels, 3, labels.int64(2), current);
        }
        flush();
        std::vector<model::ItemConsensus> out;
        out.reserve(byItem.size());
        Statement items(db, "SELECT id, ext_id FROM items ORDER BY id");
        while (items.step())
            if (auto it = byItem.find(items.int64(0)); it != byItem.end())
                out.push_back({items.text(1), it->second.raters, it->second.disagreement});
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::optional<std::string>> SqliteConnection::setting(const std::string &key)
{
    try {
        Statement s(m_project->database(), "SELECT value FROM settings WHERE key = ?");
        s.bind(1, key);
        if (!s.step())
            return std::optional<std::string>();
        return std::optional<std::string>(s.text(0));
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Status SqliteConnection::setSetting(const std::string &key, const std::string &value)
{
    try {
        Statement s(m_project->database(), "INSERT INTO settings(key, value) VALUES (?,?) "
                                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        s.bind(1, key).bind(2, value).run();
        return model::Ok{};
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::string> SqliteConnection::importFiles(const std::vector<std::string> &paths,
                                                         std::vector<model::Diagnostic> &diagnostics,
                                                         const std::function<void(double)> &progress)
{
    m_cancelled = false;
    auto summary = m_project->importFiles(paths, diagnostics, Project::ImportMemory::Release, progress);
    const bool cancelled = m_cancelled.exchange(false);
    if (!summary) {
        if (cancelled)
            return Error{Error::Code::Io, "import cancelled; " + path() + " is unchanged"};
        return summary.error();
    }
    return summary->toString();
}

model::Status SqliteConnection::exportJsonl(std::ostream &out)
{
    m_cancelled = false;
    auto status = m_project->exportJsonl(out);
    if (m_cancelled.exchange(false) && !status)
        return Error{Error::Code::Io, "export cancelled"};
    return status;
}

void SqliteConnection::cancel()
{
    m_cancelled = true;
    sqlite3_interrupt(m_project->database().handle());
}

model::Result<std::unique_ptr<model::ProjectConnection>> SqliteOpener::open(const std::string &path)
{
    auto project = Project::open(path);
    if (!project)
        return project.error();
    return std::unique_ptr<model::ProjectConnection>(std::make_unique<SqliteConnection>(std::move(*project)));
}

model::Result<std::unique_ptr<model::ProjectConnection>> SqliteOpener::create(const std::string &path)
{
    auto project = Project::create(path);
    if (!project)
        return project.error();
    return std::unique_ptr<model::ProjectConnection>(std::make_unique<SqliteConnection>(std::move(*project)));
}

model::Status SqliteOpener::copy(const std::string &from, const std::string &to)
{
    auto project = Project::openForReading(from);
    if (!project)
        return project.error();
    return (*project)->saveCopy(to);
}

} // namespace concord::storage
