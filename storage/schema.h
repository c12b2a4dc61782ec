#pragma once
/// @file schema.h
/// The project file's schema and its forward migrations, one step at a time. Version N of the
/// schema is reached from version N-1 by migration step N; `PRAGMA user_version` records it.

#include "vocabulary.h"

#include <array>
#include <optional>

namespace concord::storage {

class Database;

/// The facet columns of the labels table, in table order. Bit c of `labels.cleared` stands for
/// kLabelColumns[c].
struct LabelColumn
{
    model::Facet facet;
    std::optional<model::Slot> slot;
    const char *column;
};
inline constexpr std::array<LabelColumn, 8> kLabelColumns = {{
    {model::Facet::Preference, std::nullopt, "preference"},
    {model::Facet::Relevance, std::nullopt, "relevance"},
    {model::Facet::Comprehensiveness, std::nullopt, "comprehensiveness"},
    {model::Facet::Conciseness, std::nullopt, "conciseness"},
    {model::Facet::Faithful, model::Slot::A, "faithful_a"},
    {model::Facet::Faithful, model::Slot::B, "faithful_b"},
    {model::Facet::NoInfo, model::Slot::A, "no_info_a"},
    {model::Facet::NoInfo, model::Slot::B, "no_info_b"},
}};

/// `PRAGMA application_id` of every Concord project ("Cncd"): tells a Concord project from any
/// other SQLite file, including for the desktop's MIME-type sniffing.
inline constexpr int kApplicationId = 0x436E6364;

/// The schema version this build writes and the newest it can read.
inline constexpr int kSchemaVersion = 5;

/// Applies migration steps from the file's version up to `target` (default: kSchemaVersion),
/// each in its own transaction, so a crash leaves the file at a complete version.
void migrate(Database &db, int target = kSchemaVersion);

int schemaVersion(Database &db);

} // namespace concord::storage
