#pragma once
/// @file sqliteconnection.h
/// model::ProjectConnection and model::ProjectOpener over the project file: what app/ hands to
/// the workspace. Each connection owns one storage::Project (one SQLite connection) and must be
/// used by one thread at a time; cancel() is the exception and may come from any thread.

#include "labelstore.h"
#include "project.h"

#include <atomic>
#include <memory>

namespace concord::storage {

class SqliteConnection final : public model::ProjectConnection
{
public:
    explicit SqliteConnection(std::unique_ptr<Project> project);
    ~SqliteConnection() override;
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    Project &project() { return *m_project; }

    // model::ProjectRepository
    model::Result<std::vector<model::ItemSummary>> itemSummaries() override;
    model::Result<model::Item> item(const std::string &id) override;
    model::Result<model::Document> document(const std::string &id) override;

    // model::LabelStore
    model::Result<std::vector<model::Rater>> raters() override;
    model::Result<model::Rater> ensureRater(const model::Rater &rater) override;
    model::Status saveRevision(const model::LabelRevision &revision) override;
    model::Result<model::ItemLabel> currentLabel(const std::string &raterId,
                                                 const std::string &itemId) override;
    model::Result<std::vector<model::ItemProgress>> progress(const std::string &raterId) override;
    model::Result<std::int64_t> revisionCount(const std::string &raterId) override;
    model::Result<std::optional<std::string>> decisionNote(const std::string &raterId,
                                                           const std::string &itemId, model::Facet facet,
                                                           std::optional<model::Slot> slot) override;
    model::Result<std::vector<model::ItemConsensus>> consensus() override;
    model::Result<model::JudgeRationale> judgeRationale(const std::string &raterId,
                                                        const std::string &itemId) override;
    model::Result<std::optional<std::string>> setting(const std::string &key) override;
    model::Status setSetting(const std::string &key, const std::string &value) override;

    // model::ProjectConnection
    const std::string &path() const override { return m_project->path(); }
    model::Result<std::string> importFiles(const std::vector<std::string> &paths,
                                           std::vector<model::Diagnostic> &diagnostics,
                                           const std::function<void(double)> &progress) override;
    model::Status exportJsonl(std::ostream &out) override;
    void cancel() override;

private:
    model::Error failure(int code, const std::string &message) const;

    std::unique_ptr<Project> m_project;
    std::atomic<bool> m_cancelled{false};
};

class SqliteOpener final : public model::ProjectOpener
{
public:
    model::Result<std::unique_ptr<model::ProjectConnection>> open(const std::string &path) override;
    model::Result<std::unique_ptr<model::ProjectConnection>> create(const std::string &path) override;
    model::Status copy(const std::string &from, const std::string &to) override;
};

} // namespace concord::storage
