#pragma once
/// @file project.h
/// A Concord project: one SQLite file (`.concord`) holding documents, items, answers, raters and
/// the append-only label history. Every public function returns a Result; no exception escapes.
/// One Project per thread: it owns a single SQLite connection.

#include "domain.h"
#include "jsonl.h"
#include "repository.h"
#include "result.h"
#include "sqlite.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace concord::storage {

struct ImportSummary
{
    std::int64_t documentsAdded = 0, documentsUnchanged = 0;
    std::int64_t itemsAdded = 0, itemsUnchanged = 0;
    std::int64_t labelsAdded = 0, labelsUnchanged = 0;
    std::int64_t ratersAdded = 0;
    /// The files were read, planned and written part by part (a large import); false: as one batch.
    bool streamed = false;

    /// "added 1 document, 36 items, 120 label revisions; unchanged 0 documents, 0 items, 0 label
    /// revisions", then "; 3 new raters" when the import added raters (from rater lines or labels).
    std::string toString() const;
};

class Project final : public model::ProjectRepository
{
public:
    ~Project() override;
    Project(const Project &) = delete;
    Project &operator=(const Project &) = delete;

    /// Creates a new, empty project. Fails when `path` exists or does not end in ".concord".
    static model::Result<std::unique_ptr<Project>> create(const std::string &path);
    /// Opens an existing project and migrates it to the current schema. Refuses files that are not
    /// Concord projects, projects written by a newer Concord, and damaged files, with a message.
    static model::Result<std::unique_ptr<Project>> open(const std::string &path);
    /// Opens an existing project to read it only: as open(), and when the project cannot be
    /// written where it is (a read-only file, folder or disk: Error::Code::ReadOnly), read-only
    /// instead, without changing the file or anything beside it. A project of an older format is
    /// then refused (it would need updating). Every write to a read-only project fails with
    /// Error::Code::ReadOnly.
    static model::Result<std::unique_ptr<Project>> openForReading(const std::string &path);

    /// Writes a complete copy of this project (label history and all) as the new project `to`:
    /// into a temporary file beside it, renamed to `to` only once complete and on disk. Refuses a
    /// `to` that exists or does not end in ".concord".
    model::Status saveCopy(const std::string &to);

    const std::string &path() const { return m_path; }

    model::Result<model::ProjectInfo> info();

    /// What becomes of the files' contents and the parsed records after an import.
    enum class ImportMemory {
        Release,     ///< freed before importFiles returns
        LeaveToExit, ///< not freed: for a process that exits next (the CLI), which saves freeing
                     ///< millions of pieces one by one (0.13 s after a 140 MB import)
    };

    /// Reads, checks and imports JSONL v1 files, atomically: when any problem is found, nothing is
    /// written and `diagnostics` lists the problems (error code InvalidInput), in file and line
    /// order (at most model::kMaxDiagnostics of them).
    /// `progress`, when given, is called on this thread with the share done so far (0 to 1, never
    /// decreasing): part by part for a large file, in a few steps for a small one. 1 comes once
    /// the import is committed, and only then: from there on it is in the project whatever
    /// happens to the process (the rest is a cache of the agreement report's input).
    model::Result<ImportSummary> importFiles(const std::vector<std::string> &paths,
                                             std::vector<model::Diagnostic> &diagnostics,
                                             ImportMemory memory = ImportMemory::Release,
                                             const std::function<void(double)> &progress = {});
    /// Imports JSONL v1 content already in memory; `name` stands for the file in diagnostics.
    model::Result<ImportSummary> importContent(const std::string &name, std::string_view content,
                                               std::vector<model::Diagnostic> &diagnostics);

    /// Writes the whole project as JSONL v1: raters, documents, items, then every label revision in
    /// the order it was made.
    model::Status exportJsonl(std::ostream &out);

    model::Result<std::vector<model::ItemSummary>> itemSummaries() override;
    model::Result<model::Item> item(const std::string &id) override;
    model::Result<model::Document> document(const std::string &id) override;

    /// Lets tests and tools reach the connection; not for UI code.
    Database &database() { return *m_db; }

private:
    Project(std::string path, std::unique_ptr<Database> db);
    model::Result<ImportSummary> importBatch(const model::ImportBatch &batch,
                                             std::vector<model::Diagnostic> &diagnostics,
                                             const std::function<void(double)> &progress = {});
    /// Imports files already read while they are still being parsed: parts are parsed, planned
    /// and written as they come. Returns nothing, having written nothing, when the files must be
    /// imported as one batch instead (a problem to report, or a line that refers forward).
    std::optional<model::Result<ImportSummary>> importStreaming(const std::vector<std::string> &names,
                                                                const std::vector<std::string_view> &contents,
                                                                ImportMemory memory,
                                                                const std::function<void(double)> &progress);

    /// open() with `mode` ReadWrite; openForReading() also with ReadOnly or Immutable, which
    /// neither configure nor migrate the file.
    static model::Result<std::unique_ptr<Project>> openWith(const std::string &path, Database::Mode mode);

    std::string m_path;
    std::unique_ptr<Database> m_db;
};

/// Converts a SQLite failure into the user-facing error for the project at `path`.
model::Error sqliteFailure(const std::string &path, int code, const std::string &message);

} // namespace concord::storage
