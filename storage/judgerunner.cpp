#include "judgerunner.h"

#include "judgejob.h"
#include "judgeprotocol.h"
#include "judgestore.h"
#include "project.h"
#include "sha256.h"
#include "utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <deque>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <unordered_map>

namespace concord::storage {

using model::Error;

namespace {

using Clock = std::chrono::steady_clock;

struct LoadedDocument
{
    model::Document document;
    std::string hash;
};

struct WorkItem
{
    const JudgeItemRef *item = nullptr;
    model::JudgeTask task = model::JudgeTask::Preference;
};

struct ActiveJob
{
    std::int64_t itemRow = 0;
    std::string itemId;
    model::JudgeJob job;
    std::shared_ptr<const LoadedDocument> document;
    int outstanding = 0; ///< calls not ended yet
    bool failed = false;
    bool sentRequests = false;
};

struct PendingCall
{
    std::size_t job = 0;
    model::JudgeCall call;
    std::string body, requestHash, promptHash;
    std::int64_t promptChars = 0;
    bool cacheChecked = false;
    int attempts = 0, transientRetries = 0, contentRetries = 0;
    std::optional<long> lastStatus;
    std::optional<std::int64_t> latencyMs;
    model::TokenUsage usage;
};

std::string attemptsText(int attempts)
{
    return attempts == 1 ? " (1 attempt)" : " (" + std::to_string(attempts) + " attempts)";
}

std::string callName(const model::JudgeCall &c)
{
    std::string name(model::toString(c.step));
    if (c.part == model::CallPart::AB || c.part == model::CallPart::BA)
        name.append(" ").append(model::toString(c.part));
    else if (c.part != model::CallPart::Both)
        name.append(" of answer ").append(model::toString(c.part));
    return name;
}

std::string optionsJson(const JudgeRunOptions &o)
{
    nlohmann::json j;
    nlohmann::json tasks = nlohmann::json::array();
    for (model::JudgeTask t : o.tasks)
        tasks.push_back(model::toString(t));
    j["tasks"] = tasks;
    if (!o.items.empty())
        j["items"] = o.items;
    if (o.limit)
        j["limit"] = *o.limit;
    j["concurrency"] = o.concurrency;
    j["timeout_s"] = static_cast<double>(o.timeout.count()) / 1000.0;
    if (o.maxContext)
        j["max_context"] = *o.maxContext;
    j["max_transient_retries"] = o.maxTransientRetries;
    j["max_content_retries"] = o.maxContentRetries;
    return j.dump();
}

/// The run itself: the state of every job and call, driven by run().
/// The items a run covers: the listed ones (each once, in the order given) or all, then the first
/// `limit` of them.
model::Result<std::vector<const JudgeItemRef *>> selectItems(const std::vector<JudgeItemRef> &items,
                                                             const JudgeRunOptions &options,
                                                             const std::string &projectPath)
{
    std::vector<const JudgeItemRef *> selected;
    if (options.items.empty()) {
        for (const JudgeItemRef &i : items)
            selected.push_back(&i);
    } else {
        std::unordered_map<std::string_view, const JudgeItemRef *> byId;
        for (const JudgeItemRef &i : items)
            byId.emplace(i.id, &i);
        for (const std::string &id : options.items) {
            auto it = byId.find(id);
            if (it == byId.end())
                return Error{Error::Code::InvalidInput, "no item \"" + id + "\" in " + projectPath};
            if (std::find(selected.begin(), selected.end(), it->second) == selected.end())
                selected.push_back(it->second);
        }
    }
    if (options.limit && static_cast<std::int64_t>(selected.size()) > *options.limit)
        selected.resize(static_cast<std::size_t>(std::max<std::int64_t>(0, *options.limit)));
    return selected;
}

class Runner
{
public:
    Runner(Project &project, model::HttpTransport &transport, const JudgeRunOptions &options,
           const std::function<void(const JudgeProgress &)> &progress, const std::atomic<bool> *cancel)
        : m_project(project), m_store(project), m_transport(transport), m_options(options),
          m_progress(progress), m_cancel(cancel), m_url(model::endpointUrl(options.config)),
          m_headers(model::requestHeaders(options.config, options.apiKey))
    {
        std::random_device device;
        m_random.seed(options.seed ? options.seed : (std::uint64_t(device()) << 32) ^ device());
        for (model::JudgeStep step : model::kJudgeSteps)
            m_templateSha[static_cast<std::size_t>(step)] = options.config.templateFor(step).sha256();
    }

    model::Result<JudgeRunSummary> run();

private:
    bool activate(const WorkItem &w);
    void addCall(std::size_t job, model::JudgeCall call, bool first);
    void dispatch(std::uint64_t tag);
    void completed(std::uint64_t tag, model::HttpResponse response);
    /// A reply body to a call (sent now, or from the cache): accept it or retry or fail.
    void reply(std::uint64_t tag, std::string_view body, std::optional<std::int64_t> cachedId,
               JudgeResponseRow *row);
    void endCall(std::uint64_t tag, CallOutcome outcome, const std::string &problem,
                 std::optional<std::size_t> responseIndex, std::optional<std::int64_t> responseId,
                 bool cached);
    void stop(const std::string &reason)
    {
        m_stopping = true;
        m_stopReason = redacted(reason);
    }
    /// `text` without the API key: a server or proxy that echoes request headers in its replies
    /// must not get the key written into the project. Applied to what the server sends as it
    /// arrives (completed()), before it is parsed or cut to an excerpt, and again to every message
    /// kept or shown.
    std::string redacted(std::string text) const
    {
        const std::string &key = m_options.apiKey;
        if (key.size() < 4)
            return text;
        for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
            text.replace(at, key.size(), "[key]");
        return text;
    }
    void projectError(const Error &e)
    {
        if (!m_projectError)
            m_projectError = e;
        stop(e.message);
    }
    bool flush(bool force);
    void report(bool force);
    double jitter() { return std::uniform_real_distribution<double>(0.0, 1.0)(m_random); }
    /// Nothing is sent while the server asked for a pause (a 429, or a Retry-After).
    bool paused() const { return m_transport.now() < m_pausedUntil; }

    Project &m_project;
    JudgeStore m_store;
    model::HttpTransport &m_transport;
    const JudgeRunOptions &m_options;
    const std::function<void(const JudgeProgress &)> &m_progress;
    const std::atomic<bool> *m_cancel;
    const std::string m_url;
    const std::vector<model::HttpHeader> m_headers;
    std::array<std::string, 4> m_templateSha;
    std::mt19937_64 m_random;

    std::int64_t m_raterRow = 0, m_runRow = 0;
    std::optional<double> m_tokensPerCodePoint;

    std::vector<std::unique_ptr<ActiveJob>> m_jobs;
    std::size_t m_activeJobs = 0;
    std::unordered_map<std::uint64_t, PendingCall> m_calls;
    std::uint64_t m_nextTag = 1;
    std::deque<std::uint64_t> m_ready;
    using Due = std::pair<Clock::time_point, std::uint64_t>;
    std::priority_queue<Due, std::vector<Due>, std::greater<Due>> m_retries;
    std::int64_t m_inFlight = 0;
    Clock::time_point m_pausedUntil{}; ///< on the transport's clock
    std::int64_t m_okCalls = 0, m_rejectedCalls = 0;
    static constexpr std::int64_t kRejectionsBeforeStop = 5;

    std::unordered_map<std::string, std::weak_ptr<const LoadedDocument>> m_documents;
    std::shared_ptr<const LoadedDocument> m_lastDocument; ///< items of one document are usually adjacent

    JudgeWriteBatch m_batch;
    Clock::time_point m_lastFlush = Clock::now();
    Clock::time_point m_lastReport{};
    JudgeProgress m_counts;
    JudgeRunSummary m_summary;
    std::vector<JudgeFailure> m_unreported; ///< failures not yet passed to m_progress
    bool m_stopping = false;
    std::string m_stopReason;
    std::optional<Error> m_projectError;
};

bool Runner::activate(const WorkItem &w)
{
    auto item = m_store.item(w.item->id);
    if (!item) {
        projectError(item.error());
        return false;
    }
    std::shared_ptr<const LoadedDocument> document;
    if (m_lastDocument && m_lastDocument->document.id == w.item->documentId)
        document = m_lastDocument;
    else if (auto it = m_documents.find(w.item->documentId); it != m_documents.end())
        document = it->second.lock();
    if (!document) {
        auto loaded = m_store.document(w.item->documentId);
        if (!loaded) {
            projectError(loaded.error());
            return false;
        }
        document = std::make_shared<const LoadedDocument>(
            LoadedDocument{std::move(loaded->first), std::move(loaded->second)});
        m_documents[w.item->documentId] = document;
    }
    m_lastDocument = document;
    auto job = std::make_unique<ActiveJob>(
        ActiveJob{w.item->row, w.item->id, model::JudgeJob(w.task, std::move(*item), m_options.config),
                  document, 0, false, false});
    const std::vector<model::JudgeCall> calls = job->job.start(document->document);
    m_jobs.push_back(std::move(job));
    ++m_activeJobs;
    for (const model::JudgeCall &c : calls)
        addCall(m_jobs.size() - 1, c, false);
    return true;
}

void Runner::addCall(std::size_t job, model::JudgeCall call, bool first)
{
    PendingCall c;
    c.job = job;
    c.body = model::requestBody(m_options.config, call.step, call.prompt);
    c.requestHash = model::requestHash(m_url, c.body);
    model::Sha256 prompt;
    prompt.update(call.prompt.system);
    prompt.update("\n");
    prompt.update(call.prompt.user);
    c.promptHash = prompt.hexDigest();
    c.promptChars =
        model::utf8::codePointCount(call.prompt.system) + model::utf8::codePointCount(call.prompt.user);
    c.call = std::move(call);
    const std::uint64_t tag = m_nextTag++;
    m_calls.emplace(tag, std::move(c));
    ++m_jobs[job]->outstanding;
    // Follow-up calls go first, so that started items finish before new ones begin.
    if (first)
        m_ready.push_front(tag);
    else
        m_ready.push_back(tag);
}

void Runner::dispatch(std::uint64_t tag)
{
    PendingCall &c = m_calls.at(tag);
    ActiveJob &job = *m_jobs[c.job];
    if (job.failed) { // another call of this task failed: this one is not worth sending
        endCall(tag, CallOutcome::Failed, "not sent: another call of this task failed", std::nullopt,
                std::nullopt, false);
        return;
    }
    if (!c.cacheChecked) {
        c.cacheChecked = true;
        auto cached = m_store.cached(c.requestHash);
        if (!cached) {
            projectError(cached.error());
            return;
        }
        if (*cached) {
            ++m_counts.cachedCalls;
            reply(tag, redacted((*cached)->body), (*cached)->id, nullptr);
            return;
        }
        if (m_options.maxContext) {
            const std::int64_t prompt = model::estimatePromptTokens(c.promptChars, m_tokensPerCodePoint);
            if (prompt + m_options.config.maxTokens > *m_options.maxContext) {
                endCall(
                    tag, CallOutcome::Refused,
                    "refused: the prompt (about " + std::to_string(prompt) + " tokens, estimated" +
                        (m_tokensPerCodePoint ? " from the server's own counts" : "") + ") and " +
                        std::to_string(m_options.config.maxTokens) + " tokens for the reply do not fit the " +
                        std::to_string(*m_options.maxContext) +
                        "-token context (--max-context); not sent, since Concord never shortens a document",
                    std::nullopt, std::nullopt, false);
                return;
            }
        }
    }
    model::HttpRequest request{m_url, m_headers, c.body, m_options.timeout};
    m_transport.start(tag, std::move(request));
    ++c.attempts;
    ++m_inFlight;
    ++m_counts.requests;
    if (c.attempts > 1)
        ++m_summary.retries;
    job.sentRequests = true;
}

void Runner::completed(std::uint64_t tag, model::HttpResponse response)
{
    --m_inFlight;
    auto it = m_calls.find(tag);
    if (it == m_calls.end())
        return;
    // The key out of everything the server sent before any of it is read: messages are cut to
    // excerpts further on, and a key cut in two would no longer be found whole.
    response.body = redacted(std::move(response.body));
    response.failureMessage = redacted(std::move(response.failureMessage));
    for (model::HttpHeader &h : response.headers)
        h.value = redacted(std::move(h.value));
    PendingCall &c = it->second;
    c.lastStatus = response.failure == model::HttpResponse::Failure::None
                       ? std::optional<long>(response.status)
                       : std::nullopt;
    c.latencyMs = response.elapsed.count() / 1000;
    const model::HttpVerdict verdict = model::classifyHttp(response);

    std::optional<std::size_t> rowIndex;
    if (response.failure == model::HttpResponse::Failure::None) {
        m_batch.responses.push_back(
            {c.requestHash, response.status, response.body, false, verdict.reason, c.latencyMs});
        rowIndex = m_batch.responses.size() - 1;
    }
    switch (verdict.disposition) {
    case model::HttpDisposition::Read:
        reply(tag, response.body, std::nullopt, &m_batch.responses[*rowIndex]);
        return;
    case model::HttpDisposition::Retry:
        if (c.transientRetries < m_options.maxTransientRetries) {
            const double delay = verdict.retryAfterS.value_or(
                verdict.rateLimited ? model::rateLimitBackoffSeconds(c.transientRetries, jitter())
                                    : model::backoffSeconds(c.transientRetries, jitter()));
            ++c.transientRetries;
            const Clock::time_point due =
                m_transport.now() + std::chrono::microseconds(static_cast<std::int64_t>(delay * 1e6));
            m_retries.emplace(due, tag);
            // A rate limit is the server's, not this call's: every other request sent before the
            // wait is over would only be refused too, and count against its own retries.
            if (verdict.rateLimited || verdict.retryAfterS)
                m_pausedUntil = std::max(m_pausedUntil, due);
            return;
        }
        if (verdict.rateLimited) {
            // Recording every task failed would hide that the run needs a slower pace, not new items.
            stop("rate limited by the server: " + verdict.reason + ", " + std::to_string(c.attempts) +
                 " times for one call; wait for the limit to reset, or lower --concurrency");
            endCall(tag, CallOutcome::Failed, verdict.reason + attemptsText(c.attempts), rowIndex,
                    std::nullopt, false);
            return;
        }
        if (response.failure == model::HttpResponse::Failure::Connect) {
            stop(verdict.reason + " at " + m_url + attemptsText(c.attempts));
            endCall(tag, CallOutcome::Failed, verdict.reason + attemptsText(c.attempts), rowIndex,
                    std::nullopt, false);
            return;
        }
        endCall(tag, CallOutcome::Failed, verdict.reason + attemptsText(c.attempts), rowIndex, std::nullopt,
                false);
        return;
    case model::HttpDisposition::Fail:
        // The same rejection of every request (an unsupported parameter, a wrong model name) is a
        // configuration problem, not a property of the items: stop rather than fail them all.
        // A reply too large to keep is not a rejection of the request.
        if (response.failure == model::HttpResponse::Failure::None &&
            ++m_rejectedCalls >= kRejectionsBeforeStop && m_okCalls == 0)
            stop("the server rejected every request so far; the last said: " + verdict.reason +
                 (verdict.requestForm
                      ? ". The server may not accept how the JSON Schema is sent: change the "
                        "profile's schema forms (--schema-forms, e.g. json_object,top_level for "
                        "llama-server builds, or none; in the Judge dialog, the server's own "
                        "profile)"
                      : ""));
        endCall(tag, CallOutcome::Failed, verdict.reason, rowIndex, std::nullopt, false);
        return;
    case model::HttpDisposition::Refuse:
        endCall(tag, CallOutcome::Refused, verdict.reason, rowIndex, std::nullopt, false);
        return;
    case model::HttpDisposition::Stop:
        stop(verdict.reason);
        endCall(tag, CallOutcome::Failed, verdict.reason, rowIndex, std::nullopt, false);
        return;
    }
}

void Runner::reply(std::uint64_t tag, std::string_view body, std::optional<std::int64_t> cachedId,
                   JudgeResponseRow *row)
{
    PendingCall &c = m_calls.at(tag);
    ActiveJob &job = *m_jobs[c.job];
    const bool cached = cachedId.has_value();
    const std::optional<std::size_t> rowIndex =
        row ? std::optional<std::size_t>(static_cast<std::size_t>(row - m_batch.responses.data()))
            : std::nullopt;
    const model::CompletionReading reading = model::readCompletion(m_options.config.api, body);
    if (!cached) {
        // Every attempt is billed: the manifest counts the tokens of all of them.
        auto add = [](std::optional<std::int64_t> &total, std::optional<std::int64_t> more) {
            if (more)
                total = total.value_or(0) + *more;
        };
        add(c.usage.promptTokens, reading.usage.promptTokens);
        add(c.usage.completionTokens, reading.usage.completionTokens);
    }
    if (reading.usage.promptTokens && c.promptChars >= 2000) {
        const double ratio =
            static_cast<double>(*reading.usage.promptTokens) / static_cast<double>(c.promptChars);
        m_tokensPerCodePoint = std::max(m_tokensPerCodePoint.value_or(0.0), ratio);
    }
    std::string problem = reading.failure;
    if (reading.payload) {
        auto next = job.job.accept(c.call.step, c.call.part, *reading.payload, job.document->document);
        if (next) {
            if (row) {
                row->usable = true;
                row->problem.clear();
            }
            if (!job.failed)
                for (model::JudgeCall &follow : *next)
                    addCall(c.job, std::move(follow), true);
            ++m_okCalls;
            endCall(tag, CallOutcome::Ok, {}, rowIndex, cachedId, cached);
            return;
        }
        problem = next.error().message;
    }
    if (cached) {
        // A cached reply this build cannot use (it was stored by another version): ask again.
        --m_counts.cachedCalls;
        dispatch(tag);
        return;
    }
    if (row)
        row->problem = redacted(problem);
    if (reading.cutOff) {
        // At temperature 0 the identical request runs out of the same budget again: a retry would
        // be billed for nothing.
        endCall(tag, CallOutcome::Failed,
                problem +
                    "; not retried, since the same request would be cut off again: raise the reply "
                    "budget (--max-tokens, now " +
                    std::to_string(m_options.config.maxTokens) + ")" + attemptsText(c.attempts),
                rowIndex, std::nullopt, false);
        return;
    }
    if (c.contentRetries < m_options.maxContentRetries) {
        ++c.contentRetries;
        m_ready.push_front(tag);
        return;
    }
    endCall(tag, CallOutcome::Failed, problem + attemptsText(c.attempts), rowIndex, std::nullopt, false);
}

void Runner::endCall(std::uint64_t tag, CallOutcome outcome, const std::string &problem,
                     std::optional<std::size_t> responseIndex, std::optional<std::int64_t> responseId,
                     bool cached)
{
    auto it = m_calls.find(tag);
    PendingCall &c = it->second;
    const std::size_t jobIndex = c.job;
    ActiveJob &job = *m_jobs[jobIndex];
    const bool attempted = c.attempts > 0 || cached || outcome == CallOutcome::Refused;
    if (attempted) {
        JudgeCallRow row;
        row.itemRow = job.itemRow;
        row.task = job.job.task();
        row.step = c.call.step;
        row.part = c.call.part;
        row.requestHash = c.requestHash;
        row.promptHash = c.promptHash;
        row.documentHash = job.document->hash;
        row.templateSha256 = m_templateSha[static_cast<std::size_t>(c.call.step)];
        row.promptChars = c.promptChars;
        row.httpStatus = c.lastStatus;
        row.latencyMs = c.latencyMs;
        row.usage = c.usage;
        row.attempts = c.attempts;
        row.cached = cached;
        row.outcome = outcome;
        row.problem = redacted(problem);
        row.responseIndex = responseIndex;
        row.responseId = responseId;
        m_batch.calls.push_back(std::move(row));
    }
    const std::string name = callName(c.call);
    m_calls.erase(it);
    --job.outstanding;

    if (outcome != CallOutcome::Ok && !job.failed && !m_stopping) {
        job.failed = true;
        const std::string reason = redacted(name + ": " + problem);
        m_batch.failed.push_back({job.itemRow, job.job.task(), reason});
        m_summary.failures.push_back({job.itemId, job.job.task(), reason});
        if (m_progress)
            m_unreported.push_back(m_summary.failures.back());
        ++m_counts.failed;
    } else if (outcome != CallOutcome::Ok) {
        job.failed = true; // stopped: left unrecorded, for the next run
    } else if (!job.failed && job.job.finished()) {
        JudgedTask t;
        t.itemRow = job.itemRow;
        t.task = job.job.task();
        t.label = job.job.label(m_summary.raterId);
        if (job.job.preference())
            t.preference = *job.job.preference();
        if (job.job.faithful())
            t.faithful = *job.job.faithful();
        if (job.job.noInfo())
            t.noInfo = *job.job.noInfo();
        m_batch.judged.push_back(std::move(t));
        ++m_counts.judged;
        if (!job.sentRequests)
            ++m_summary.judgedFromCache;
    }
    if (job.outstanding == 0) {
        m_jobs[jobIndex].reset();
        --m_activeJobs;
    }
}

bool Runner::flush(bool force)
{
    if (m_batch.empty())
        return true;
    if (!force && m_batch.size() < 256 && Clock::now() - m_lastFlush < std::chrono::milliseconds(250))
        return true;
    const RunCounters counters{m_counts.judged, m_counts.failed, m_counts.requests, m_counts.cachedCalls};
    auto written = m_store.write(m_raterRow, m_runRow, m_batch, counters);
    m_lastFlush = Clock::now();
    if (!written) {
        projectError(written.error());
        return false;
    }
    return true;
}

void Runner::report(bool force)
{
    if (!m_progress)
        return;
    const auto now = Clock::now();
    if (!force && now - m_lastReport < std::chrono::milliseconds(50))
        return;
    m_lastReport = now;
    m_counts.inFlight = m_inFlight;
    m_counts.waitingRetry = static_cast<std::int64_t>(m_retries.size());
    m_counts.rateLimitPauseS =
        std::max(0.0, std::chrono::duration<double>(m_pausedUntil - m_transport.now()).count());
    if (m_unreported.empty()) {
        m_progress(m_counts);
        return;
    }
    JudgeProgress progress = m_counts;
    progress.newFailures.swap(m_unreported);
    m_progress(progress);
}

model::Result<JudgeRunSummary> Runner::run()
{
    const auto started = Clock::now();
    const model::JudgeConfig &config = m_options.config;
    for (model::JudgeStep step : model::kJudgeSteps)
        if (std::count_if(config.templates.begin(), config.templates.end(),
                          [&](const model::PromptTemplate &t) { return t.step == step; }) != 1)
            return Error{Error::Code::InvalidInput, "the judge configuration needs exactly one " +
                                                        std::string(model::toString(step)) + " template"};
    if (m_options.concurrency < 1)
        return Error{Error::Code::InvalidInput, "the concurrency must be at least 1"};
    m_summary.raterId = model::judgeRaterId(config);

    // What to judge: the selected items × tasks not judged yet.
    auto items = m_store.items();
    if (!items)
        return items.error();
    auto chosen = selectItems(*items, m_options, m_project.path());
    if (!chosen)
        return chosen.error();
    const std::vector<const JudgeItemRef *> &selected = *chosen;
    m_summary.items = static_cast<std::int64_t>(selected.size());

    auto rater = m_store.ensureJudge(config, m_summary.raterId,
                                     m_options.raterName.empty() ? config.model : m_options.raterName);
    if (!rater)
        return rater.error();
    m_raterRow = *rater;
    auto judged = m_store.judgedTasks(m_raterRow);
    if (!judged)
        return judged.error();
    std::vector<WorkItem> work;
    for (const JudgeItemRef *item : selected)
        for (model::JudgeTask task : model::kJudgeTasks) {
            if (std::find(m_options.tasks.begin(), m_options.tasks.end(), task) == m_options.tasks.end())
                continue;
            if (judged->count({item->row, task}))
                ++m_summary.alreadyJudged;
            else
                work.push_back({item, task});
        }
    m_counts.tasks = static_cast<std::int64_t>(work.size());
    auto ratio = m_store.tokensPerCodePoint(m_raterRow);
    if (!ratio)
        return ratio.error();
    m_tokensPerCodePoint = *ratio;
    auto run = m_store.startRun(m_raterRow, optionsJson(m_options));
    if (!run)
        return run.error();
    m_runRow = *run;

    const std::size_t concurrency = static_cast<std::size_t>(m_options.concurrency);
    const std::size_t maxActiveJobs = concurrency * 2 + 8;
    std::size_t nextWork = 0;
    bool cancelled = false;
    // Fills the slots a reply has just freed, at once: replies of requests sent together arrive
    // together, and a slot that waited for the whole batch to be read (and for a write to the
    // project) would lose that time on every round trip.
    auto cancelRequested = [&] { return m_cancel && m_cancel->load(); };
    auto topUp = [&] {
        while (!m_stopping && !cancelRequested() && !paused() &&
               static_cast<std::size_t>(m_inFlight) < concurrency) {
            if (m_ready.empty()) {
                if (nextWork >= work.size() || m_activeJobs >= maxActiveJobs)
                    break;
                activate(work[nextWork++]);
                continue;
            }
            const std::uint64_t tag = m_ready.front();
            m_ready.pop_front();
            dispatch(tag);
        }
    };
    report(true);
    // A cancelled run sends nothing more, but waits (JudgeRunOptions::drainOnCancel) for the replies
    // already on the wire: the provider bills them either way, and kept in the cache they are not
    // asked for, and billed, again when the run resumes.
    Clock::time_point drainUntil{};
    for (;;) {
        if (!cancelled && cancelRequested()) {
            cancelled = true;
            drainUntil = Clock::now() + std::min(m_options.timeout, m_options.drainOnCancel);
        }
        if (cancelled) {
            if (m_inFlight == 0 || m_stopping || Clock::now() >= drainUntil)
                break;
            flush(false);
            report(false);
            for (model::HttpTransport::Completed &done : m_transport.collect(std::chrono::milliseconds(100)))
                completed(done.tag, std::move(done.response));
            continue;
        }
        while (!m_stopping && nextWork < work.size() && m_activeJobs < maxActiveJobs &&
               m_ready.size() < concurrency)
            activate(work[nextWork++]);
        const auto now = m_transport.now();
        while (!m_retries.empty() && m_retries.top().first <= now) {
            m_ready.push_front(m_retries.top().second);
            m_retries.pop();
        }
        const bool holding = paused();
        while (!m_stopping && !cancelRequested() && !holding &&
               static_cast<std::size_t>(m_inFlight) < concurrency && !m_ready.empty()) {
            const std::uint64_t tag = m_ready.front();
            m_ready.pop_front();
            dispatch(tag);
        }
        if (m_stopping)
            break;
        const bool moreWork = nextWork < work.size() && m_activeJobs < maxActiveJobs;
        if (m_inFlight == 0 && m_ready.empty() && m_retries.empty() && nextWork >= work.size())
            break;
        // Written while the requests are on the wire, not between a reply and the next request.
        flush(false);
        report(false);
        if (m_stopping)
            break;
        if (m_inFlight > 0 || holding || (!m_retries.empty() && m_ready.empty() && !moreWork)) {
            auto wait = std::chrono::milliseconds(100);
            if (!holding && !m_ready.empty() && static_cast<std::size_t>(m_inFlight) < concurrency)
                wait = std::chrono::milliseconds(0);
            auto until = [&](Clock::time_point t) {
                // Rounded up: woken a little early, the loop would only wait again.
                return std::chrono::ceil<std::chrono::milliseconds>(t - m_transport.now());
            };
            if (holding)
                wait = std::clamp(until(m_pausedUntil), std::chrono::milliseconds(0), wait);
            else if (!m_retries.empty())
                wait = std::clamp(until(m_retries.top().first), std::chrono::milliseconds(0), wait);
            for (model::HttpTransport::Completed &done : m_transport.collect(wait)) {
                completed(done.tag, std::move(done.response));
                topUp();
            }
        }
    }
    if (m_inFlight > 0 || m_stopping || cancelled)
        m_transport.abandonAll();
    m_inFlight = 0;
    flush(true);

    m_summary.end = cancelled    ? JudgeRunSummary::End::Cancelled
                    : m_stopping ? JudgeRunSummary::End::Stopped
                                 : JudgeRunSummary::End::Finished;
    m_summary.stopReason = cancelled ? "cancelled" : m_stopReason;
    const RunCounters counters{m_counts.judged, m_counts.failed, m_counts.requests, m_counts.cachedCalls};
    const RunEnd end = cancelled ? RunEnd::Cancelled : m_stopping ? RunEnd::Stopped : RunEnd::Finished;
    auto finished = m_store.finishRun(m_runRow, end, m_summary.stopReason, counters);
    if (m_projectError)
        return *m_projectError;
    if (!finished)
        return finished.error();
    report(true);
    m_summary.counts = m_counts;
    m_summary.counts.inFlight = 0;
    auto consistency = positionConsistency(m_project, m_summary.raterId);
    if (consistency)
        m_summary.consistency = *consistency;
    m_summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return m_summary;
}

} // namespace

model::Result<JudgeEstimate> estimateJudgeRun(Project &project, const JudgeRunOptions &options)
{
    try {
        JudgeStore store(project);
        const model::JudgeConfig &config = options.config;
        JudgeEstimate e;
        e.raterId = model::judgeRaterId(config);
        auto items = store.items();
        if (!items)
            return items.error();
        auto selected = selectItems(*items, options, project.path());
        if (!selected)
            return selected.error();
        e.items = static_cast<std::int64_t>(selected->size());
        auto rater = store.findJudge(e.raterId);
        if (!rater)
            return rater.error();
        std::set<std::pair<std::int64_t, model::JudgeTask>> judged;
        std::optional<double> ratio;
        if (*rater) {
            auto done = store.judgedTasks(**rater);
            if (!done)
                return done.error();
            judged = std::move(*done);
            auto measured = store.tokensPerCodePoint(**rater);
            if (!measured)
                return measured.error();
            ratio = *measured;
        }
        e.measured = ratio.has_value();
        const std::string url = model::endpointUrl(config);
        std::optional<std::pair<model::Document, std::string>> document;
        auto count = [&](const model::JudgeCall &call, bool followUp, std::int64_t extraChars) {
            ++e.calls;
            if (!followUp) {
                auto cached =
                    store.cached(model::requestHash(url, model::requestBody(config, call.step, call.prompt)));
                if (cached && *cached) {
                    ++e.cachedCalls;
                    return;
                }
            }
            const std::int64_t chars = model::utf8::codePointCount(call.prompt.system) +
                                       model::utf8::codePointCount(call.prompt.user) + extraChars;
            const std::int64_t tokens = model::estimatePromptTokens(chars, ratio);
            e.promptTokens += tokens;
            e.outputTokens += config.maxTokens;
            if (options.maxContext && tokens + config.maxTokens > *options.maxContext)
                ++e.tooLong;
        };
        for (const JudgeItemRef *ref : *selected)
            for (model::JudgeTask task : options.tasks) {
                if (judged.count({ref->row, task})) {
                    ++e.alreadyJudged;
                    continue;
                }
                ++e.tasks;
                if (!document || document->first.id != ref->documentId) {
                    auto loaded = store.document(ref->documentId);
                    if (!loaded)
                        return loaded.error();
                    document = std::move(*loaded);
                }
                auto item = store.item(ref->id);
                if (!item)
                    return item.error();
                const model::JudgeJob job(task, std::move(*item), config);
                for (const model::JudgeCall &call : job.start(document->first)) {
                    count(call, false, 0);
                    // A claims call is followed by the verification of those claims against the
                    // document: counted as the claims prompt plus the document's text.
                    if (call.step == model::JudgeStep::Claims)
                        count(call, true, model::utf8::codePointCount(document->first.text));
                }
            }
        return e;
    } catch (const std::exception &ex) {
        return Error{Error::Code::Internal, std::string("cannot estimate the judge run: ") + ex.what()};
    }
}

model::Result<JudgeRunSummary> runJudge(Project &project, model::HttpTransport &transport,
                                        const JudgeRunOptions &options,
                                        const std::function<void(const JudgeProgress &)> &progress,
                                        const std::atomic<bool> *cancel)
{
    try {
        Runner runner(project, transport, options, progress, cancel);
        return runner.run();
    } catch (const std::exception &e) {
        // SQLite errors are converted inside JudgeStore; this is for allocation failures and bugs.
        return Error{Error::Code::Internal, std::string("the judge run failed: ") + e.what()};
    }
}

} // namespace concord::storage
