#include "importplan.h"

#include "sha256.h"
#include "utf8.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_map>

namespace concord::model {

std::string documentRecordHash(const Document &document, const std::string &textHash)
{
    Document withoutText;
    withoutText.id = document.id;
    withoutText.title = document.title;
    withoutText.metaJson = document.metaJson;
    return Sha256::hex(textHash + "\n" + toJsonLine(withoutText));
}

std::string itemRecordHash(const Item &item) { return Sha256::hex(toJsonLine(item)); }

namespace {

/// An identifier as messages quote it: whole up to 120 bytes (every id a pipeline writes), else
/// cut there at a character boundary and marked "…", so that a runaway id cannot flood stderr.
std::string quotedId(std::string_view id)
{
    constexpr std::size_t kMax = 120;
    const std::size_t cut = utf8::prefix(id, kMax).size();
    // Appended piece by piece: GCC 12 warns (-Wrestrict, wrongly) on "\"" + std::string(...).
    std::string out;
    out.reserve(cut + 6);
    out += '"';
    out.append(id.data(), cut);
    if (cut < id.size())
        out += "…";
    out += '"';
    return out;
}

std::string keyOf(Sha256 hashOfLine, int occurrence)
{
    hashOfLine.update(std::to_string(occurrence));
    const auto digest = hashOfLine.digest();
    return std::string(reinterpret_cast<const char *>(digest.data()), 16);
}

/// SHA-256 state after `line` + "#": the key of each occurrence continues from it.
Sha256 hashOfLine(std::string_view line)
{
    Sha256 hash;
    hash.update(line);
    hash.update("#");
    return hash;
}

std::string revisionKey(const std::string &line, int occurrence)
{
    return keyOf(hashOfLine(line), occurrence);
}

/// How often each canonical label line has been seen, keyed by the line's first-occurrence key
/// (which already identifies the revision in the project, so two lines sharing it are one
/// revision to Concord either way). Open addressing: a node per label cost more than the hashing.
class OccurrenceCounter
{
public:
    explicit OccurrenceCounter(std::size_t expected)
    {
        std::size_t size = 16;
        while (size < expected * 2)
            size *= 2;
        m_slots.resize(size);
    }

    /// The number of earlier calls with the same key.
    int next(const std::string &key)
    {
        std::uint64_t h;
        std::memcpy(&h, key.data(), sizeof h);
        for (std::size_t i = h & (m_slots.size() - 1);; i = (i + 1) & (m_slots.size() - 1)) {
            Slot &slot = m_slots[i];
            if (slot.count == 0) {
                std::memcpy(slot.key.data(), key.data(), slot.key.size());
                slot.count = 1;
                if (++m_used * 2 > m_slots.size())
                    grow();
                return 0;
            }
            if (std::memcmp(slot.key.data(), key.data(), slot.key.size()) == 0)
                return slot.count++;
        }
    }

private:
    struct Slot
    {
        std::array<char, 16> key{};
        int count = 0;
    };

    void grow()
    {
        std::vector<Slot> old(m_slots.size() * 2);
        old.swap(m_slots);
        for (const Slot &s : old) {
            if (s.count == 0)
                continue;
            std::uint64_t h;
            std::memcpy(&h, s.key.data(), sizeof h);
            std::size_t i = h & (m_slots.size() - 1);
            while (m_slots[i].count != 0)
                i = (i + 1) & (m_slots.size() - 1);
            m_slots[i] = s;
        }
    }

    std::vector<Slot> m_slots;
    std::size_t m_used = 0;
};

} // namespace

std::string labelRevisionKey(const LabelRevision &label, int occurrence)
{
    return revisionKey(toJsonLine(label), occurrence);
}

namespace {

struct DocSeen
{
    std::string recordHash;
    std::int64_t length;
    const SourceRef *source;
};

struct ItemSeen
{
    std::string recordHash;
    std::int64_t documentLength;
    const SourceRef *source;
    std::ptrdiff_t planned = -1; ///< index among the items planned so far, or -1
};

/// Makes room for `extra` more entries. Planned in parts, the maps grow part by part: reserving
/// exactly what each part needs would rehash the whole map every time, so it at least doubles.
template <typename Map> void reserveMore(Map &map, std::size_t extra)
{
    const std::size_t needed = map.size() + extra;
    if (double(needed) > double(map.bucket_count()) * double(map.max_load_factor()))
        map.reserve(std::max(needed, 2 * map.size()));
}

} // namespace

/// What the parts planned so far defined: documents by id, items by id, raters by id.
struct ImportPlanner::State
{
    std::unordered_map<std::string, DocSeen> docs;
    std::unordered_map<std::string, ItemSeen> items;
    std::unordered_map<std::string, Rater> raters;
    std::unordered_map<std::string, std::ptrdiff_t> plannedRaters; // id -> index among planned raters
    OccurrenceCounter occurrences{0};
    std::ptrdiff_t itemsPlanned = 0;
    std::ptrdiff_t ratersPlanned = 0;
    bool impliedRaters = false; ///< a label line has implied a new rater
};

ImportPlanner::ImportPlanner(ProjectLookup &project) : m_project(project), m_state(std::make_unique<State>())
{
}
ImportPlanner::~ImportPlanner() = default;

ImportPlan planImport(const ImportBatch &batch, ProjectLookup &project, std::vector<Diagnostic> &diagnostics)
{
    return ImportPlanner(project).plan(batch, diagnostics);
}

ImportPlan ImportPlanner::plan(const ImportBatch &batch, std::vector<Diagnostic> &diagnostics)
{
    ProjectLookup &project = m_project;
    State &state = *m_state;
    ImportPlan plan;
    auto report = [&](const SourceRef &at, std::string field, std::string message) {
        if (diagnostics.size() < kMaxDiagnostics)
            diagnostics.push_back({at.file, at.line, std::move(field), std::move(message)});
    };
    auto where = [](const SourceRef &at) { return at.file + ":" + std::to_string(at.line); };

    // Documents: id -> (record hash, length, first definition).
    auto &docs = state.docs;
    reserveMore(docs, batch.documents.size());
    for (const auto &[source, doc] : batch.documents) {
        const std::string textHash = Sha256::hex(doc.text);
        const std::string recordHash = documentRecordHash(doc, textHash);
        const std::int64_t length = utf8::codePointCount(doc.text);
        if (auto it = docs.find(doc.id); it != docs.end()) {
            if (it->second.recordHash != recordHash)
                report(source, "id",
                       "document " + quotedId(doc.id) +
                           " is defined again with different content (first at " + where(*it->second.source) +
                           ")");
            else
                ++plan.documentsUnchanged; // a repeated line adds nothing; count it like a re-import
            continue;
        }
        if (auto existing = project.document(doc.id)) {
            // Later lines are compared with this line, not with the project: a clash with the project
            // is reported once, here.
            docs.emplace(doc.id, DocSeen{recordHash, existing->length, &source});
            if (existing->recordHash != recordHash)
                report(source, "id",
                       "document " + quotedId(doc.id) +
                           " already exists in the project with different content");
            else
                ++plan.documentsUnchanged;
            continue;
        }
        docs.emplace(doc.id, DocSeen{recordHash, length, &source});
        plan.documents.push_back({&doc, textHash, recordHash, length});
    }

    // Items: id -> (record hash, document length).
    auto &items = state.items;
    reserveMore(items, batch.items.size());
    for (const auto &[source, item] : batch.items) {
        const std::string recordHash = itemRecordHash(item);
        if (auto it = items.find(item.id); it != items.end()) {
            if (it->second.recordHash != recordHash)
                report(source, "id",
                       "item " + quotedId(item.id) + " is defined again with different content (first at " +
                           where(*it->second.source) + ")");
            else
                ++plan.itemsUnchanged;
            continue;
        }
        std::int64_t documentLength = -1;
        if (auto d = docs.find(item.documentId); d != docs.end())
            documentLength = d->second.length;
        else if (auto existing = project.document(item.documentId))
            documentLength = existing->length;
        if (auto existing = project.item(item.id)) {
            items.emplace(item.id, ItemSeen{recordHash, existing->documentLength, &source});
            if (existing->recordHash != recordHash)
                report(source, "id",
                       "item " + quotedId(item.id) + " already exists in the project with different content");
            else
                ++plan.itemsUnchanged;
            continue;
        }
        if (documentLength < 0) {
            report(source, "document",
                   "unknown document " + quotedId(item.documentId) +
                       " (it is neither in this import nor in the project)");
            continue;
        }
        items.emplace(item.id, ItemSeen{recordHash, documentLength, &source,
                                        state.itemsPlanned + std::ptrdiff_t(plan.items.size())});
        plan.items.push_back({&item, recordHash});
    }

    // Raters: explicit rater lines first, then raters implied by label lines.
    auto &raters = state.raters;
    auto &plannedRaters = state.plannedRaters;
    // In one batch every rater line comes before the raters that label lines imply.
    if (!batch.raters.empty() && state.impliedRaters)
        m_sameAsOneBatch = false;
    for (const auto &[source, rater] : batch.raters) {
        if (auto it = raters.find(rater.id); it != raters.end()) {
            const Rater &first = it->second;
            if (first.kind != rater.kind || first.name != rater.name || first.configJson != rater.configJson)
                report(source, "id",
                       "rater " + quotedId(rater.id) + " is defined again with different content");
            continue;
        }
        if (auto existing = project.rater(rater.id)) {
            if (existing->kind != rater.kind)
                report(source, "rater_kind",
                       "rater " + quotedId(rater.id) + " is a " + std::string(toString(existing->kind)) +
                           " rater in the project");
            else if ((rater.name && existing->name != rater.name) ||
                     (rater.configJson && existing->configJson != rater.configJson))
                report(source, "id",
                       "rater " + quotedId(rater.id) + " already exists in the project with a different " +
                           (existing->name != rater.name ? "name" : "config"));
            raters.emplace(rater.id, *existing);
            continue;
        }
        raters.emplace(rater.id, rater);
        plannedRaters.emplace(rater.id, state.ratersPlanned + std::ptrdiff_t(plan.raters.size()));
        plan.raters.push_back(rater);
    }

    OccurrenceCounter &occurrences = state.occurrences;
    plan.labels.reserve(batch.labels.size());
    // Label lines come in long runs of one rater: what the previous line's rater resolved to
    // (its kind, and its index among the planned raters or -1) holds for the next line of the
    // same rater, since rater entries are only ever added here, never changed.
    const std::string *previousRater = nullptr;
    RaterKind previousKind = RaterKind::Human;
    std::ptrdiff_t previousPlanned = -1;
    for (std::size_t i = 0; i < batch.labels.size(); ++i) {
        const auto &[source, label] = batch.labels[i];
        const bool kindGiven = i < batch.labelKindGiven.size() && batch.labelKindGiven[i];
        bool ok = true;

        RaterKind kind = label.raterKind;
        std::optional<RaterKind> known;
        const bool sameRater = previousRater && *previousRater == label.raterId;
        if (sameRater)
            known = previousKind;
        else if (auto it = raters.find(label.raterId); it != raters.end())
            known = it->second.kind;
        else if (auto existing = project.rater(label.raterId)) {
            known = existing->kind;
            raters.emplace(label.raterId, *existing);
        }
        if (known && kindGiven && *known != kind) {
            report(source, "rater_kind",
                   "rater " + quotedId(label.raterId) + " is a " + std::string(toString(*known)) +
                       " rater, this line says " + std::string(toString(kind)));
            ok = false;
        }
        if (known)
            kind = *known;
        else {
            Rater r;
            r.id = label.raterId;
            r.kind = kind;
            raters.emplace(r.id, r);
            plannedRaters.emplace(r.id, state.ratersPlanned + std::ptrdiff_t(plan.raters.size()));
            plan.raters.push_back(r);
            state.impliedRaters = true;
        }
        if (!sameRater) {
            previousRater = &label.raterId;
            previousKind = kind;
            const auto planned = plannedRaters.find(label.raterId);
            previousPlanned = planned == plannedRaters.end() ? -1 : planned->second;
        }

        std::int64_t documentLength = -1;
        std::ptrdiff_t plannedItem = -1;
        if (auto it = items.find(label.itemId); it != items.end()) {
            documentLength = it->second.documentLength;
            plannedItem = it->second.planned;
        } else if (auto existing = project.item(label.itemId))
            documentLength = existing->documentLength;
        if (documentLength < 0) {
            report(source, "item",
                   "unknown item " + quotedId(label.itemId) +
                       " (it is neither in this import nor in the project)");
            ok = false;
        } else if (label.evidence) {
            for (std::size_t k = 0; k < label.evidence->size(); ++k) {
                const EvidenceSpan &span = (*label.evidence)[k];
                if (span.end > documentLength) {
                    report(source, "evidence[" + std::to_string(k) + "].end",
                           "offset " + std::to_string(span.end) + " is past the end of the document (" +
                               std::to_string(documentLength) + " code points)");
                    ok = false;
                }
            }
        }
        if (!ok)
            continue;

        const Sha256 lineHash = hashOfLine(toJsonLine(label, kind));
        std::string key = keyOf(lineHash, 0);
        if (const int occurrence = occurrences.next(key); occurrence > 0)
            key = keyOf(lineHash, occurrence);
        if (project.hasLabelRevision(key)) {
            ++plan.labelsUnchanged;
            continue;
        }
        plan.labels.push_back({&label, kind, std::move(key), plannedItem, previousPlanned});
    }
    state.itemsPlanned += std::ptrdiff_t(plan.items.size());
    state.ratersPlanned += std::ptrdiff_t(plan.raters.size());
    return plan;
}

} // namespace concord::model
