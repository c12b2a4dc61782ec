#pragma once
/// @file judgestore.h
/// What the judge keeps in a project (schema step 4, docs/judge.md): the judge as a rater with its
/// configuration, the templates it used, runs, every reply (the cache), the per-call manifest,
/// where each rater × item × task stands, and the details behind each judge label. Verdicts
/// themselves are ordinary label rows (with evidence rows for located quotes).
///
/// Every function returns a Result; no exception escapes. One JudgeStore per Project and thread.

#include "domain.h"
#include "judge.h"
#include "judgejob.h"
#include "judgeprotocol.h"
#include "judgerun.h"
#include "result.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace concord::storage {

class Project;
class Statement;

/// The judge's position consistency for the rater `raterId` (its ext id): over the items it
/// judged for preference, how many had the same overall verdict in both orders. nullopt when the
/// rater has judged no preference (humans, imported judges, unknown ids).
model::Result<std::optional<model::PositionConsistency>> positionConsistency(Project &project,
                                                                             const std::string &raterId);

/// An item to judge: its row, its id and its document's id.
struct JudgeItemRef
{
    std::int64_t row = 0;
    std::string id;
    std::string documentId;
};

/// A reply as received, for the cache and for inspection.
struct JudgeResponseRow
{
    std::string requestHash;
    std::optional<long> httpStatus; ///< nullopt: no HTTP response (the body holds the transport's message)
    std::string body;
    bool usable = false;
    std::string problem;
    std::optional<std::int64_t> latencyMs;
};

enum class CallOutcome { Ok, Failed, Refused };

/// One manifest row: a call as it ended in this run.
struct JudgeCallRow
{
    std::int64_t itemRow = 0;
    model::JudgeTask task = model::JudgeTask::Preference;
    model::JudgeStep step = model::JudgeStep::Preference;
    model::CallPart part = model::CallPart::Both;
    std::string requestHash, promptHash, documentHash, templateSha256;
    std::int64_t promptChars = 0;
    std::optional<long> httpStatus;
    std::optional<std::int64_t> latencyMs;
    model::TokenUsage usage;
    int attempts = 0;
    bool cached = false;
    CallOutcome outcome = CallOutcome::Ok;
    std::string problem;
    std::optional<std::size_t> responseIndex; ///< a reply in the same batch
    std::optional<std::int64_t> responseId;   ///< a reply already stored (a cache hit)
};

/// A task finished: its label and the details behind it.
struct JudgedTask
{
    std::int64_t itemRow = 0;
    model::JudgeTask task = model::JudgeTask::Preference;
    model::LabelRevision label;
    std::optional<model::PreferenceOutcome> preference;
    std::optional<model::FaithfulOutcome> faithful;
    std::optional<model::NoInfoOutcome> noInfo;
};

struct FailedTask
{
    std::int64_t itemRow = 0;
    model::JudgeTask task = model::JudgeTask::Preference;
    std::string reason;
};

/// What a run has to write since its last write, written in one transaction.
struct JudgeWriteBatch
{
    std::vector<JudgeResponseRow> responses;
    std::vector<JudgeCallRow> calls;
    std::vector<JudgedTask> judged;
    std::vector<FailedTask> failed;

    bool empty() const { return responses.empty() && calls.empty() && judged.empty() && failed.empty(); }
    std::size_t size() const { return responses.size() + calls.size() + judged.size() + failed.size(); }
};

struct CachedResponse
{
    std::int64_t id = 0;
    std::string body;
};

enum class RunEnd { Finished, Stopped, Cancelled };

struct RunCounters
{
    std::int64_t judged = 0, failed = 0, requests = 0, cachedCalls = 0;
};

class JudgeStore
{
public:
    explicit JudgeStore(Project &project);
    ~JudgeStore();
    JudgeStore(const JudgeStore &) = delete;
    JudgeStore &operator=(const JudgeStore &) = delete;

    /// The judge's rater row, created with its configuration on first use; stores the templates.
    /// Refuses an id taken by a rater of another kind or configuration.
    model::Result<std::int64_t> ensureJudge(const model::JudgeConfig &config, const std::string &raterId,
                                            const std::string &name);

    /// The judge's rater row, if the project has this judge already; creates nothing.
    model::Result<std::optional<std::int64_t>> findJudge(const std::string &raterId);

    /// Every item, in the order they were added.
    model::Result<std::vector<JudgeItemRef>> items();
    model::Result<model::Item> item(const std::string &id);
    /// A document and the SHA-256 of its text.
    model::Result<std::pair<model::Document, std::string>> document(const std::string &id);

    /// The rater's tasks already judged, as (item row, task).
    model::Result<std::set<std::pair<std::int64_t, model::JudgeTask>>> judgedTasks(std::int64_t raterRow);

    /// The newest usable reply to the request with this hash.
    model::Result<std::optional<CachedResponse>> cached(const std::string &requestHash);

    /// The largest prompt tokens per code point the server reported for this rater's calls over
    /// prompts long enough to measure (2,000 code points or more).
    model::Result<std::optional<double>> tokensPerCodePoint(std::int64_t raterRow);

    model::Result<std::int64_t> startRun(std::int64_t raterRow, const std::string &optionsJson);
    /// Every run, newest first; a run whose program on this machine has ended while it was
    /// running is given as stopped (interrupted), as the next run will record it.
    model::Result<std::vector<model::JudgeRunRecord>> runs();
    /// Writes the batch in one transaction (labels with their evidence, details, outcomes,
    /// replies and the manifest) and adds to the run's counters; clears the batch on success.
    model::Status write(std::int64_t raterRow, std::int64_t runRow, JudgeWriteBatch &batch,
                        const RunCounters &counters);
    model::Status finishRun(std::int64_t runRow, RunEnd end, const std::string &reason,
                            const RunCounters &counters);

private:
    model::Error failure(int code, const std::string &message) const;

    Project &m_project;
    std::unique_ptr<Statement> m_cached;
};

} // namespace concord::storage
