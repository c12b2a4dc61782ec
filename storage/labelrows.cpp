#include "labelrows.h"

#include "schema.h"

#include <sqlite3.h>

namespace concord::storage {

int labelColumnIndex(model::Facet facet, std::optional<model::Slot> slot)
{
    for (std::size_t c = 0; c < kLabelColumns.size(); ++c)
        if (kLabelColumns[c].facet == facet && kLabelColumns[c].slot == slot)
            return int(c);
    throw SqliteError(SQLITE_INTERNAL, "no column for facet " + std::string(model::toString(facet)));
}

std::optional<Decision> DecisionReader::operator()(const std::string &raterId, const std::string &itemId,
                                                   model::Facet facet, std::optional<model::Slot> slot)
{
    // The newest row that sets the column (labels_by_rater_item narrows it to the rater's rows
    // of the item); a later withdrawal is the caller's to know from the current label. The
    // column is one of kLabelColumns' fixed names, never text from a user.
    const auto column = std::size_t(labelColumnIndex(facet, slot));
    if (!m_byColumn[column])
        m_byColumn[column] = std::make_unique<Statement>(
            m_db,
            "SELECT l.id, l.note FROM labels l WHERE l.rater_id = (SELECT id FROM raters WHERE ext_id = ?) "
            "AND l.item_id = (SELECT id FROM items WHERE ext_id = ?) AND l." +
                std::string(kLabelColumns[column].column) + " IS NOT NULL ORDER BY l.id DESC LIMIT 1");
    Statement &s = *m_byColumn[column];
    s.reset();
    s.bind(1, raterId).bind(2, itemId);
    if (!s.step())
        return std::nullopt;
    Decision d;
    d.labelId = s.int64(0);
    if (!s.isNull(1) && !s.textView(1).empty())
        d.note = s.text(1);
    return d;
}

std::string insertLabelSql()
{
    std::string sql = "INSERT INTO labels(rater_id, item_id, created_at, time_spent_s, note, has_evidence, "
                      "shown_order, import_id, key, cleared";
    for (const LabelColumn &c : kLabelColumns)
        sql += std::string(", ") + c.column;
    sql += ") VALUES (?,?,?,?,?,?,?,?,?,?";
    for (std::size_t c = 0; c < kLabelColumns.size(); ++c)
        sql += ",?";
    return sql + ")";
}

void bindLabel(Statement &insert, std::int64_t raterId, std::int64_t itemId,
               const model::LabelRevision &label, std::optional<std::int64_t> importId, std::string_view key)
{
    insert.clearBindings(); // the facet columns this revision does not set are NULL
    insert.bind(1, raterId)
        .bind(2, itemId)
        .bindKept(3, label.createdAt)
        .bind(4, label.timeSpentS)
        .bindKept(5, label.note)
        .bind(6, label.evidence ? 1 : 0)
        .bindKept(7, label.shownOrder)
        .bind(8, importId)
        .bindBlob(9, key);
    std::int64_t cleared = 0;
    for (const model::FacetValue &v : label.values) {
        const int c = labelColumnIndex(v.facet, v.slot);
        if (v.value.empty())
            cleared |= std::int64_t(1) << c;
        else
            insert.bindKept(11 + c, v.value);
    }
    insert.bind(10, cleared);
}

void insertEvidence(Statement &insert, std::int64_t labelId, const std::vector<model::EvidenceSpan> &spans)
{
    std::int64_t seq = 0;
    for (const model::EvidenceSpan &span : spans)
        insert.bind(1, labelId)
            .bind(2, seq++)
            .bindKept(3, model::toString(span.answer))
            .bind(4, span.start)
            .bind(5, span.end)
            .bindKept(6, span.note)
            .run();
}

void readLabelColumns(const Statement &row, int first, std::int64_t cleared, model::LabelRevision &label)
{
    for (std::size_t c = 0; c < kLabelColumns.size(); ++c) {
        const int column = first + int(c);
        if (!row.isNull(column))
            label.values.push_back({kLabelColumns[c].facet, kLabelColumns[c].slot, row.text(column)});
        else if (cleared & (std::int64_t(1) << c))
            label.values.push_back({kLabelColumns[c].facet, kLabelColumns[c].slot, std::string()});
    }
}

} // namespace concord::storage
