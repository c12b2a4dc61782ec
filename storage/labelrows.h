#pragma once
/// @file labelrows.h
/// Rows of the labels table shared by import, export and the workspace's label store: one place
/// maps LabelRevision facets to columns, and withdrawn facets (empty values) to `labels.cleared`.
/// Internal to storage/; throws SqliteError like sqlite.h.

#include "domain.h"
#include "schema.h"
#include "sqlite.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace concord::storage {

/// The column index of a facet in kLabelColumns (schema.h).
int labelColumnIndex(model::Facet facet, std::optional<model::Slot> slot);

/// The revision that gave the rater's current value of one facet of an item: its row id and its
/// note (none when that revision carried none). std::nullopt when the rater never set the facet.
/// A gold rater's reasons are per decision: this is the reason of the decision in force.
struct Decision
{
    std::int64_t labelId = 0;
    std::optional<std::string> note;
};
/// Reads decisions, one prepared statement per label column, kept for every later read.
class DecisionReader
{
public:
    explicit DecisionReader(Database &db) : m_db(db) {}
    std::optional<Decision> operator()(const std::string &raterId, const std::string &itemId,
                                       model::Facet facet, std::optional<model::Slot> slot);

private:
    Database &m_db;
    std::array<std::unique_ptr<Statement>, kLabelColumns.size()> m_byColumn;
};

/// INSERT INTO labels with 18 parameters, in the order bindLabel() binds them.
std::string insertLabelSql();

/// Binds one revision to a statement made from insertLabelSql(). The caller runs it.
void bindLabel(Statement &insert, std::int64_t raterId, std::int64_t itemId,
               const model::LabelRevision &label, std::optional<std::int64_t> importId, std::string_view key);

/// INSERT INTO evidence, for insertEvidence().
inline constexpr const char *kInsertEvidenceSql =
    "INSERT INTO evidence(label_id, seq, slot, start, end, note) VALUES (?,?,?,?,?,?)";

/// Inserts the evidence rows of the label row `labelId` with a statement made from
/// kInsertEvidenceSql: one per span, numbered from 0. The spans' notes are bound without a copy.
void insertEvidence(Statement &insert, std::int64_t labelId, const std::vector<model::EvidenceSpan> &spans);

/// Adds to `label.values` the facet columns of `row` from column `first` on (kLabelColumns
/// order): set columns with their value, withdrawn ones (bits of `cleared`) with an empty value.
void readLabelColumns(const Statement &row, int first, std::int64_t cleared, model::LabelRevision &label);

} // namespace concord::storage
