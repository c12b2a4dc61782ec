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
#include "judgerun.h"
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

// The run's options, progress, summary and estimate are plain data in model/judgerun.h, so
// that the GUI can hold them; these names keep storage's spelling.
using JudgeRunOptions = model::JudgeRunOptions;
using JudgeProgress = model::JudgeProgress;
using JudgeFailure = model::JudgeFailure;
using JudgeRunSummary = model::JudgeRunSummary;
using JudgeEstimate = model::JudgeEstimate;

/// What a run with these options would do, worked out before it starts, for a cost estimate:
/// nothing is sent and nothing is written.
model::Result<JudgeEstimate> estimateJudgeRun(Project &project, const JudgeRunOptions &options);

/// Runs the judge. Errors are about the project (it cannot be read or written) or the options;
/// what goes wrong with calls ends up in the summary. `progress` is called from this thread after
/// every change worth showing (at most ~20 times a second); `cancel`, set from any thread (a
/// signal handler too), stops the run as soon as what has arrived is written.
model::Result<JudgeRunSummary> runJudge(Project &project, model::HttpTransport &transport,
                                        const JudgeRunOptions &options,
                                        const std::function<void(const JudgeProgress &)> &progress = {},
                                        const std::atomic<bool> *cancel = nullptr);

} // namespace concord::storage
