#pragma once
/// @file judgerunner.h
/// Runs an LLM judge over a project's items (docs/judge.md): builds each call's request
/// (model/judgeprotocol.h), answers it from the project's reply cache when the same request was
/// answered before, otherwise sends it through a model::HttpTransport, with up to `concurrency`
/// requests in flight, retries and backoff, and writes verdicts as label rows of the judge in
/// batches, each in one transaction.
///
/// Resumable by construction: a task's label and its "judged" mark are written in the same
/// transaction, tasks already judged are skipped, and replies received before a crash are served
/// from the cache. Stopping early (cancel, or a run stopped by an auth or quota error) leaves
/// unfinished tasks unrecorded, to be done by the next run.

#include "httptransport.h"
#include "judge.h"
#include "result.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace concord::storage {

class Project;

struct JudgeRunOptions
{
    model::JudgeConfig config;
    std::string raterName; ///< display name of the judge rater when it is created
    std::vector<model::JudgeTask> tasks{model::kJudgeTasks.begin(), model::kJudgeTasks.end()};
    std::string apiKey;                ///< sent in a header; never written anywhere
    int concurrency = 8;               ///< requests in flight at once
    std::optional<std::int64_t> limit; ///< only the first N items (of `items`, or of the project)
    std::vector<std::string> items;    ///< only these items (ids); empty: all
    std::chrono::milliseconds timeout{300000};
    std::optional<std::int64_t> maxContext; ///< the model's context in tokens: longer prompts are refused
    int maxTransientRetries = 6;            ///< for 408, 409, 429, 5xx, 529, timeouts and dropped connections
    int maxContentRetries = 2;              ///< for a cut-off, refused, empty, invalid or off-schema reply
    std::uint64_t seed = 0;                 ///< jitter of the backoff; 0 picks one at random
};

struct JudgeProgress
{
    std::int64_t tasks = 0; ///< item × task pairs to do in this run
    std::int64_t judged = 0;
    std::int64_t failed = 0;
    std::int64_t requests = 0;    ///< HTTP requests sent
    std::int64_t cachedCalls = 0; ///< calls answered from the cache
    std::int64_t inFlight = 0;
    std::int64_t waitingRetry = 0;
};

struct JudgeFailure
{
    std::string itemId;
    model::JudgeTask task = model::JudgeTask::Preference;
    std::string reason;
};

struct JudgeRunSummary
{
    enum class End { Finished, Stopped, Cancelled };
    std::string raterId;
    std::int64_t items = 0;           ///< items selected
    std::int64_t alreadyJudged = 0;   ///< item × task pairs skipped: judged by an earlier run
    std::int64_t judgedFromCache = 0; ///< of those judged now, how many needed no request at all
    JudgeProgress counts;             ///< as at the end
    std::int64_t retries = 0;         ///< requests sent again after a failure
    std::vector<JudgeFailure> failures;
    End end = End::Finished;
    std::string stopReason;
    std::optional<model::PositionConsistency> consistency; ///< over every item the judge has judged
    double seconds = 0;
};

/// Runs the judge. Errors are about the project (it cannot be read or written) or the options;
/// what goes wrong with calls ends up in the summary. `progress` is called from this thread after
/// every change worth showing (at most ~20 times a second); `cancel`, set from any thread (a
/// signal handler too), stops the run as soon as what has arrived is written.
model::Result<JudgeRunSummary> runJudge(Project &project, model::HttpTransport &transport,
                                        const JudgeRunOptions &options,
                                        const std::function<void(const JudgeProgress &)> &progress = {},
                                        const std::atomic<bool> *cancel = nullptr);

} // namespace concord::storage
