#include "wiring.h"

#include "curltransport.h"
#include "judgerunner.h"
#include "judgestore.h"
#include "labelquery.h"
#include "project.h"
#include "reportcommand.h"
#include "sqlite.h"

namespace concord::app {

namespace {

model::Result<std::vector<model::PromptTemplate>> storedTemplates(const std::string &path)
{
    auto project = storage::Project::openForReading(path);
    if (!project)
        return project.error();
    std::vector<model::PromptTemplate> out;
    try {
        storage::Statement s(
            (*project)->database(),
            "SELECT step, version, text FROM judge_templates ORDER BY step, version, added_at");
        while (s.step()) {
            const auto step = model::parseJudgeStep(s.textView(0));
            if (!step)
                continue;
            auto t = model::parsePromptTemplate(*step, static_cast<int>(s.int64(1)), s.text(2));
            if (t)
                out.push_back(std::move(*t));
        }
    } catch (const storage::SqliteError &e) {
        return storage::sqliteFailure(path, e.code(), e.what());
    }
    return out;
}

} // namespace

ui::WorkspaceServices workspaceServices(storage::SqliteOpener &opener)
{
    ui::WorkspaceServices services;
    services.opener = &opener;
    services.readLabels = storage::readCurrentLabelsAt;
    services.gatherReport = [](const std::string &path) {
        return gatherProjectReport(path, model::AgreementOptions{}); // as `concord report` by default
    };
    services.judge.estimate =
        [](const std::string &path,
           const model::JudgeRunOptions &options) -> model::Result<model::JudgeEstimate> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        return storage::estimateJudgeRun(**project, options);
    };
    services.judge.run = [](const std::string &path, const model::JudgeRunOptions &options,
                            const std::function<void(const model::JudgeProgress &)> &progress,
                            const std::atomic<bool> *cancel) -> model::Result<model::JudgeRunSummary> {
        auto project = storage::Project::open(path);
        if (!project)
            return project.error();
        storage::CurlTransport::Options transportOptions;
        transportOptions.maxConnections = options.concurrency;
        transportOptions.userAgent = "concord/" CONCORD_VERSION;
        auto transport = storage::CurlTransport::create(transportOptions);
        if (!transport)
            return transport.error();
        return storage::runJudge(**project, **transport, options, progress, cancel);
    };
    services.judge.templates = storedTemplates;
    services.judge.runs = [](const std::string &path) -> model::Result<std::vector<model::JudgeRunRecord>> {
        auto project = storage::Project::openForReading(path);
        if (!project)
            return project.error();
        return storage::JudgeStore(**project).runs();
    };
    services.judge.readLabels = services.readLabels;
    return services;
}

} // namespace concord::app
