#pragma once
/// @file schema.h
/// The project file's schema and its forward migrations, one step at a time. Version N of the
/// schema is reached from version N-1 by migration step N; `PRAGMA user_version` records it.

namespace concord::storage {

class Database;

/// `PRAGMA application_id` of every Concord project ("Cncd"): tells a Concord project from any
/// other SQLite file, including for the desktop's MIME-type sniffing.
inline constexpr int kApplicationId = 0x436E6364;

/// The schema version this build writes and the newest it can read.
inline constexpr int kSchemaVersion = 2;

/// Applies migration steps from the file's version up to `target` (default: kSchemaVersion),
/// each in its own transaction, so a crash leaves the file at a complete version.
void migrate(Database &db, int target = kSchemaVersion);

int schemaVersion(Database &db);

} // namespace concord::storage
