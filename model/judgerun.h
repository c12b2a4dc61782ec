#pragma once
/// @file judgerun.h
/// A judge run as data: its options, its progress as it goes, its summary at the end, and the
/// estimate made before it starts. The run itself is storage/judgerunner.h; the GUI and the
/// command line hold these.

#include "judge.h"
#include "vocabulary.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace concord::model {

struct JudgeRunOptions
{
    JudgeConfig config;
    std::string raterName; ///< display name of the judge rater when it is created
    std::vector<JudgeTask> tasks{kJudgeTasks.begin(), kJudgeTasks.end()};
    std::string apiKey;                ///< sent in a header; never written anywhere
    int concurrency = 8;               ///< requests in flight at once
    std::optional<std::int64_t> limit; ///< only the first N items (of `items`, or of the project)
    std::vector<std::string> items;    ///< only these items (ids); empty: all
    std::chrono::milliseconds timeout{300000};
    /// After a cancel, how long to wait (at most `timeout`) for replies already on the wire: they
    /// are billed either way, and kept they are not asked for again when the run resumes.
    std::chrono::milliseconds drainOnCancel{20000};
    std::optional<std::int64_t> maxContext; ///< the model's context in tokens: longer prompts are refused
    int maxTransientRetries = 6;            ///< for 408, 409, 429, 5xx, 529, timeouts and dropped connections
    int maxContentRetries = 2;              ///< for a cut-off, refused, empty, invalid or off-schema reply
    std::uint64_t seed = 0;                 ///< jitter of the backoff; 0 picks one at random
};

struct JudgeFailure
{
    std::string itemId;
    JudgeTask task = JudgeTask::Preference;
    std::string reason;
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
    /// Seconds left of a pause of every request, after the server said it limits the rate (429);
    /// 0 when not paused.
    double rateLimitPauseS = 0;
    /// Tasks recorded failed since the previous report, so a log can fill as the run goes (the
    /// summary lists them all again at the end). Empty in JudgeRunSummary::counts.
    std::vector<JudgeFailure> newFailures;
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
    std::optional<PositionConsistency> consistency; ///< over every item the judge has judged
    double seconds = 0;
};

/// What a run would take, worked out before it starts (storage::estimateJudgeRun).
struct JudgeEstimate
{
    std::string raterId;
    std::int64_t items = 0;         ///< items selected
    std::int64_t tasks = 0;         ///< item × task pairs to judge
    std::int64_t alreadyJudged = 0; ///< item × task pairs an earlier run judged
    std::int64_t calls = 0;         ///< calls the tasks take (a faithfulness check's second call counted)
    std::int64_t cachedCalls = 0;   ///< of those, answered from the project's reply cache
    std::int64_t promptTokens = 0;  ///< estimated, over the calls to send
    std::int64_t outputTokens = 0;  ///< calls to send × max_tokens: an upper bound
    std::int64_t tooLong = 0;       ///< calls whose prompt does not fit maxContext (they will be refused)
    bool measured = false;          ///< tokens per character from the server's own counts
    /// The cost for prices in a currency per million tokens, prompt and output.
    double cost(double promptPrice, double outputPrice) const
    {
        return (static_cast<double>(promptTokens) * promptPrice +
                static_cast<double>(outputTokens) * outputPrice) /
               1e6;
    }
};

/// What a judge said about one item, for the lead reviewing it: the explanation of each answer
/// order, the claims with their verdicts and located quotes, and the no-info reasoning. Each part
/// is there when the judge ran that task on the item.
struct JudgeRationale
{
    struct Preference
    {
        std::string explanationAB; ///< answer A shown first
        std::string explanationBA; ///< answer B shown first
        Choice overallAB = Choice::Tie;
        Choice overallBA = Choice::Tie; ///< mapped back to the item's answers
        bool consistent = false;
        Choice preference = Choice::Tie; ///< the label
    };
    struct Claim
    {
        Slot slot = Slot::A;
        int number = 0;
        std::string claim;
        std::string verdict; ///< supported, unsupported or contradicted
        std::string reasoning;
        std::string quote;
        std::optional<std::int64_t> start, end; ///< code points in the document, when located
        bool supported = false;                 ///< under the quote policy
    };
    struct NoInfo
    {
        std::string reasoning;
        bool documentContainsAnswer = false;
        std::array<bool, 2> declines{}; ///< by Slot
    };
    std::optional<Preference> preference;
    std::vector<Claim> claims; ///< by answer, then number
    std::optional<NoInfo> noInfo;

    bool empty() const { return !preference && claims.empty() && !noInfo; }
};

/// A judge run as the project keeps it (judge_runs), for the run history.
struct JudgeRunRecord
{
    std::int64_t id = 0;
    std::string rater;                 ///< the judge rater's id
    std::string model;                 ///< the model its configuration names, when it does
    std::string startedAt, finishedAt; ///< UTC, ISO 8601; finishedAt empty while running
    std::string status;                ///< running, finished, stopped, cancelled
    std::string stopReason;
    std::int64_t judged = 0, failed = 0, requests = 0, cachedCalls = 0;
    /// Left "running" by a program on this machine that has ended (killed, crashed): shown as
    /// stopped, and closed so by the next run.
    bool interrupted = false;
};

} // namespace concord::model
