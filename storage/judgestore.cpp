#include "judgestore.h"

#include "importplan.h"
#include "labelrows.h"
#include "project.h"
#include "sqlite.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cerrno>
#include <csignal>
#include <unistd.h>

#include <chrono>
#include <ctime>

namespace concord::storage {

using model::Error;

namespace {

std::string utcNow()
{
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string_view toString(CallOutcome o)
{
    switch (o) {
    case CallOutcome::Ok:
        return "ok";
    case CallOutcome::Failed:
        return "failed";
    case CallOutcome::Refused:
        return "refused";
    }
    return {};
}

std::string_view toString(RunEnd e)
{
    switch (e) {
    case RunEnd::Finished:
        return "finished";
    case RunEnd::Stopped:
        return "stopped";
    case RunEnd::Cancelled:
        return "cancelled";
    }
    return {};
}

template <typename T> Statement &bindOptional(Statement &s, int index, const std::optional<T> &v)
{
    return v ? s.bind(index, static_cast<std::int64_t>(*v)) : s.bindNull(index);
}

/// The label's identity, as the workspace gives its own labels (labelRevisionKey with the first
/// free occurrence), so that an export imported again recognises every judge label.
std::string freeLabelKey(Database &db, const model::LabelRevision &label)
{
    Statement taken(db, "SELECT 1 FROM labels WHERE key = ?");
    for (int occurrence = 0;; ++occurrence) {
        std::string key = model::labelRevisionKey(label, occurrence);
        taken.reset();
        taken.bindBlob(1, key);
        if (!taken.step())
            return key;
    }
}

} // namespace

model::Result<std::optional<model::PositionConsistency>> positionConsistency(Project &project,
                                                                             const std::string &raterId)
{
    try {
        Statement s(project.database(),
                    "SELECT count(*), coalesce(sum(p.consistent), 0) FROM judge_preferences p "
                    "JOIN raters r ON r.id = p.rater_id WHERE r.ext_id = ?");
        s.bind(1, raterId);
        s.step();
        if (s.int64(0) == 0)
            return std::optional<model::PositionConsistency>();
        return std::optional<model::PositionConsistency>(model::PositionConsistency{s.int64(0), s.int64(1)});
    } catch (const SqliteError &e) {
        return sqliteFailure(project.path(), e.code(), e.what());
    }
}

JudgeStore::JudgeStore(Project &project) : m_project(project) {}
JudgeStore::~JudgeStore() = default;

Error JudgeStore::failure(int code, const std::string &message) const
{
    return sqliteFailure(m_project.path(), code, message);
}

model::Result<std::int64_t> JudgeStore::ensureJudge(const model::JudgeConfig &config,
                                                    const std::string &raterId, const std::string &name)
{
    try {
        Database &db = m_project.database();
        Transaction tx(db);
        const std::string configJson = model::configJson(config);
        std::int64_t row = 0;
        Statement find(db, "SELECT id, kind, config FROM raters WHERE ext_id = ?");
        find.bind(1, raterId);
        if (find.step()) {
            if (find.textView(1) != "judge" || find.optionalText(2) != configJson)
                return Error{Error::Code::InvalidInput, "the project already has a rater \"" + raterId +
                                                            "\" that is not this judge configuration"};
            row = find.int64(0);
        } else {
            Statement insert(db, "INSERT INTO raters(ext_id, kind, name, config) VALUES (?, 'judge', ?, ?)");
            insert.bind(1, raterId).bind(2, name).bind(3, configJson).run();
            row = db.lastInsertRowId();
        }
        Statement storeTemplate(db, "INSERT INTO judge_templates(sha256, step, version, text, added_at) "
                                    "VALUES (?,?,?,?,?) ON CONFLICT(sha256) DO NOTHING");
        const std::string now = utcNow();
        for (const model::PromptTemplate &t : config.templates)
            storeTemplate.bind(1, t.sha256())
                .bind(2, model::toString(t.step))
                .bind(3, t.version)
                .bind(4, t.text)
                .bind(5, now)
                .run();
        tx.commit();
        return row;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::vector<JudgeItemRef>> JudgeStore::items()
{
    try {
        std::vector<JudgeItemRef> out;
        Statement s(m_project.database(), "SELECT i.id, i.ext_id, d.ext_id FROM items i JOIN documents d ON "
                                          "d.id = i.document_id ORDER BY i.id");
        while (s.step())
            out.push_back({s.int64(0), s.text(1), s.text(2)});
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<model::Item> JudgeStore::item(const std::string &id) { return m_project.item(id); }

model::Result<std::pair<model::Document, std::string>> JudgeStore::document(const std::string &id)
{
    auto document = m_project.document(id);
    if (!document)
        return document.error();
    try {
        Statement s(
            m_project.database(),
            "SELECT t.hash FROM documents d JOIN document_texts t ON t.id = d.text_id WHERE d.ext_id = ?");
        s.bind(1, id);
        if (!s.step())
            return Error{Error::Code::NotFound, "no document \"" + id + "\" in " + m_project.path()};
        return std::pair{std::move(*document), s.text(0)};
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::set<std::pair<std::int64_t, model::JudgeTask>>>
JudgeStore::judgedTasks(std::int64_t raterRow)
{
    try {
        std::set<std::pair<std::int64_t, model::JudgeTask>> out;
        Statement s(m_project.database(),
                    "SELECT item_id, task FROM judge_outcomes WHERE rater_id = ? AND status = 'judged'");
        s.bind(1, raterRow);
        while (s.step())
            if (auto task = model::parseJudgeTask(s.textView(1)))
                out.emplace(s.int64(0), *task);
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::optional<CachedResponse>> JudgeStore::cached(const std::string &requestHash)
{
    try {
        if (!m_cached)
            m_cached = std::make_unique<Statement>(m_project.database(),
                                                   "SELECT id, body FROM judge_responses WHERE request_hash "
                                                   "= ? AND usable = 1 ORDER BY id DESC LIMIT 1");
        m_cached->reset();
        m_cached->bind(1, requestHash);
        if (!m_cached->step())
            return std::optional<CachedResponse>();
        CachedResponse r{m_cached->int64(0), m_cached->text(1)};
        m_cached->reset();
        return std::optional<CachedResponse>(std::move(r));
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::optional<double>> JudgeStore::tokensPerCodePoint(std::int64_t raterRow)
{
    try {
        Statement s(m_project.database(),
                    "SELECT max(1.0 * prompt_tokens / prompt_chars) FROM judge_calls "
                    "WHERE rater_id = ? AND prompt_tokens IS NOT NULL AND prompt_chars >= 2000");
        s.bind(1, raterRow);
        s.step();
        return s.optionalReal(0);
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::optional<std::int64_t>> JudgeStore::findJudge(const std::string &raterId)
{
    try {
        Statement find(m_project.database(), "SELECT id FROM raters WHERE ext_id = ? AND kind = 'judge'");
        find.bind(1, raterId);
        if (!find.step())
            return std::optional<std::int64_t>();
        return std::optional<std::int64_t>(find.int64(0));
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

namespace {

std::string hostName()
{
    char name[256] = {};
    return gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string();
}

/// The run's options with the process running it ("process": {"pid", "host"}), so that a later
/// run can tell a run whose process was killed from one still going.
std::string withProcess(const std::string &optionsJson)
{
    nlohmann::json options = nlohmann::json::parse(optionsJson, nullptr, false);
    if (!options.is_object())
        return optionsJson;
    options["process"] = {{"pid", static_cast<long long>(getpid())}, {"host", hostName()}};
    return options.dump();
}

/// Why a run left "running" by a program that has ended is stopped (startRun, runs).
constexpr const char *kInterruptedReason = "interrupted: the program running it ended before the run did";

/// Whether the run recorded with `optionsJson` was started by a process of this machine that is
/// gone. A run of another machine (a project on a shared drive), or without a process, may live.
bool processGone(const std::string &optionsJson, const std::string &host)
{
    const nlohmann::json options = nlohmann::json::parse(optionsJson, nullptr, false);
    if (!options.is_object() || !options.contains("process"))
        return false;
    const nlohmann::json &process = options["process"];
    if (!process.is_object() || !process.contains("pid") || !process["pid"].is_number_integer() ||
        process.value("host", std::string()) != host || host.empty())
        return false;
    const auto pid = process["pid"].get<long long>();
    if (pid <= 0 || pid == static_cast<long long>(getpid()))
        return false;
    return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

} // namespace

model::Result<std::int64_t> JudgeStore::startRun(std::int64_t raterRow, const std::string &optionsJson)
{
    try {
        Database &db = m_project.database();
        Transaction tx(db);
        // Runs left "running" by a process that was killed (or crashed) end here, as stopped.
        const std::string host = hostName(), now = utcNow();
        std::vector<std::int64_t> dead;
        {
            Statement running(db, "SELECT id, options FROM judge_runs WHERE status = 'running'");
            while (running.step())
                if (processGone(running.text(1), host))
                    dead.push_back(running.int64(0));
        }
        for (std::int64_t id : dead) {
            Statement close(db, "UPDATE judge_runs SET status = 'stopped', finished_at = ?, stop_reason = ? "
                                "WHERE id = ?");
            close.bind(1, now).bind(2, kInterruptedReason).bind(3, id).run();
        }
        Statement s(
            db, "INSERT INTO judge_runs(rater_id, started_at, status, options) VALUES (?, ?, 'running', ?)");
        s.bind(1, raterRow).bind(2, now).bind(3, withProcess(optionsJson)).run();
        const std::int64_t id = db.lastInsertRowId();
        tx.commit();
        return id;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Result<std::vector<model::JudgeRunRecord>> JudgeStore::runs()
{
    try {
        Database &db = m_project.database();
        const std::string host = hostName();
        Statement s(db,
                    "SELECT j.id, r.ext_id, r.config, j.started_at, j.finished_at, j.status, j.stop_reason, "
                    "j.judged, j.failed, j.requests, j.cached_calls, j.options "
                    "FROM judge_runs j JOIN raters r ON r.id = j.rater_id ORDER BY j.id DESC");
        std::vector<model::JudgeRunRecord> out;
        while (s.step()) {
            model::JudgeRunRecord r;
            r.id = s.int64(0);
            r.rater = s.text(1);
            if (!s.isNull(2)) {
                const nlohmann::json config = nlohmann::json::parse(s.textView(2), nullptr, false);
                if (config.is_object() && config.contains("model") && config["model"].is_string())
                    r.model = config["model"].get<std::string>();
            }
            r.startedAt = s.text(3);
            r.finishedAt = s.isNull(4) ? std::string() : s.text(4);
            r.status = s.text(5);
            r.stopReason = s.isNull(6) ? std::string() : s.text(6);
            r.judged = s.int64(7);
            r.failed = s.int64(8);
            r.requests = s.int64(9);
            r.cachedCalls = s.int64(10);
            if (r.status == "running" && processGone(s.text(11), host)) {
                r.interrupted = true;
                r.status = "stopped";
                r.stopReason = kInterruptedReason;
            }
            out.push_back(std::move(r));
        }
        return out;
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Status JudgeStore::write(std::int64_t raterRow, std::int64_t runRow, JudgeWriteBatch &batch,
                                const RunCounters &counters)
{
    try {
        Database &db = m_project.database();
        Transaction tx(db);
        const std::string now = utcNow();

        Statement insertResponse(
            db, "INSERT INTO judge_responses(request_hash, http_status, body, usable, problem, "
                "latency_ms, received_at) VALUES (?,?,?,?,?,?,?)");
        std::vector<std::int64_t> responseIds;
        responseIds.reserve(batch.responses.size());
        for (const JudgeResponseRow &r : batch.responses) {
            insertResponse.bind(1, r.requestHash);
            bindOptional(insertResponse, 2, r.httpStatus);
            insertResponse.bind(3, r.body).bind(4, r.usable ? 1 : 0);
            if (r.problem.empty())
                insertResponse.bindNull(5);
            else
                insertResponse.bind(5, r.problem);
            bindOptional(insertResponse, 6, r.latencyMs);
            insertResponse.bind(7, now).run();
            responseIds.push_back(db.lastInsertRowId());
        }

        Statement insertCall(
            db, "INSERT INTO judge_calls(run_id, rater_id, item_id, task, step, part, request_hash, "
                "prompt_hash, document_hash, template_sha256, prompt_chars, http_status, latency_ms, "
                "prompt_tokens, completion_tokens, attempts, cached, outcome, problem, response_id, "
                "finished_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        for (const JudgeCallRow &c : batch.calls) {
            insertCall.bind(1, runRow)
                .bind(2, raterRow)
                .bind(3, c.itemRow)
                .bind(4, model::toString(c.task))
                .bind(5, model::toString(c.step))
                .bind(6, model::toString(c.part))
                .bind(7, c.requestHash)
                .bind(8, c.promptHash)
                .bind(9, c.documentHash)
                .bind(10, c.templateSha256)
                .bind(11, c.promptChars);
            bindOptional(insertCall, 12, c.httpStatus);
            bindOptional(insertCall, 13, c.latencyMs);
            bindOptional(insertCall, 14, c.usage.promptTokens);
            bindOptional(insertCall, 15, c.usage.completionTokens);
            insertCall.bind(16, c.attempts).bind(17, c.cached ? 1 : 0).bind(18, toString(c.outcome));
            if (c.problem.empty())
                insertCall.bindNull(19);
            else
                insertCall.bind(19, c.problem);
            std::optional<std::int64_t> responseId = c.responseId;
            if (c.responseIndex && *c.responseIndex < responseIds.size())
                responseId = responseIds[*c.responseIndex];
            insertCall.bind(20, responseId).bind(21, now).run();
        }

        Statement insertLabel(db, insertLabelSql());
        Statement evidence(db, kInsertEvidenceSql);
        Statement judged(
            db, "INSERT INTO judge_outcomes(rater_id, item_id, task, status, reason, label_id, run_id, "
                "updated_at) VALUES (?,?,?,'judged',NULL,?,?,?) ON CONFLICT(rater_id, item_id, task) DO "
                "UPDATE SET status = 'judged', reason = NULL, label_id = excluded.label_id, "
                "run_id = excluded.run_id, updated_at = excluded.updated_at");
        Statement preference(
            db, "INSERT OR REPLACE INTO judge_preferences(rater_id, item_id, verdict_ab, verdict_ba, "
                "overall_ab, overall_ba, consistent, preference) VALUES (?,?,?,?,?,?,?,?)");
        Statement clearClaims(db, "DELETE FROM judge_claims WHERE rater_id = ? AND item_id = ?");
        Statement claim(
            db, "INSERT INTO judge_claims(rater_id, item_id, slot, seq, claim, verdict, reasoning, quote, "
                "quote_match, start, end, supported) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
        Statement noInfo(
            db, "INSERT OR REPLACE INTO judge_no_info(rater_id, item_id, verdict, document_contains_answer, "
                "declines_a, declines_b) VALUES (?,?,?,?,?,?)");
        for (JudgedTask &t : batch.judged) {
            t.label.createdAt = now;
            insertLabel.reset();
            bindLabel(insertLabel, raterRow, t.itemRow, t.label, std::nullopt, freeLabelKey(db, t.label));
            insertLabel.run();
            const std::int64_t labelId = db.lastInsertRowId();
            if (t.label.evidence)
                insertEvidence(evidence, labelId, *t.label.evidence);
            judged.bind(1, raterRow).bind(2, t.itemRow).bind(3, model::toString(t.task)).bind(4, labelId);
            judged.bind(5, runRow).bind(6, now).run();
            if (t.preference) {
                const model::PreferenceOutcome &p = *t.preference;
                preference.bind(1, raterRow)
                    .bind(2, t.itemRow)
                    .bind(3, p.payloads[0])
                    .bind(4, p.payloads[1])
                    .bind(5, model::toString(p.mapped[0][0]))
                    .bind(6, model::toString(p.mapped[1][0]))
                    .bind(7, p.consistent ? 1 : 0)
                    .bind(8, model::toString(p.final[0]))
                    .run();
            }
            if (t.faithful) {
                clearClaims.bind(1, raterRow).bind(2, t.itemRow).run();
                for (model::Slot slot : model::kSlots)
                    for (const model::CheckedClaim &c : t.faithful->claims[static_cast<std::size_t>(slot)]) {
                        const bool located = c.located.match != model::QuoteMatch::None;
                        claim.bind(1, raterRow)
                            .bind(2, t.itemRow)
                            .bind(3, model::toString(slot))
                            .bind(4, c.check.number)
                            .bind(5, c.claim)
                            .bind(6, model::toString(c.check.verdict))
                            .bind(7, c.check.reasoning)
                            .bind(8, c.check.quote)
                            .bind(9, model::toString(c.located.match))
                            .bind(10, located ? std::optional(c.located.start) : std::nullopt)
                            .bind(11, located ? std::optional(c.located.end) : std::nullopt)
                            .bind(12, c.supported ? 1 : 0)
                            .run();
                    }
            }
            if (t.noInfo) {
                const model::NoInfoOutcome &n = *t.noInfo;
                noInfo.bind(1, raterRow)
                    .bind(2, t.itemRow)
                    .bind(3, n.payload)
                    .bind(4, n.reply.documentContainsAnswer ? 1 : 0)
                    .bind(5, n.reply.declines[0] ? 1 : 0)
                    .bind(6, n.reply.declines[1] ? 1 : 0)
                    .run();
            }
        }

        // A failure never replaces a verdict: an item judged before stays judged.
        Statement failed(
            db, "INSERT INTO judge_outcomes(rater_id, item_id, task, status, reason, label_id, run_id, "
                "updated_at) VALUES (?,?,?,'failed',?,NULL,?,?) ON CONFLICT(rater_id, item_id, task) DO "
                "UPDATE SET status = 'failed', reason = excluded.reason, run_id = excluded.run_id, "
                "updated_at = excluded.updated_at WHERE judge_outcomes.status <> 'judged'");
        for (const FailedTask &f : batch.failed)
            failed.bind(1, raterRow)
                .bind(2, f.itemRow)
                .bind(3, model::toString(f.task))
                .bind(4, f.reason)
                .bind(5, runRow)
                .bind(6, now)
                .run();

        Statement run(
            db, "UPDATE judge_runs SET judged = ?, failed = ?, requests = ?, cached_calls = ? WHERE id = ?");
        run.bind(1, counters.judged)
            .bind(2, counters.failed)
            .bind(3, counters.requests)
            .bind(4, counters.cachedCalls)
            .bind(5, runRow)
            .run();
        tx.commit();
        batch = {};
        return model::Ok{};
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

model::Status JudgeStore::finishRun(std::int64_t runRow, RunEnd end, const std::string &reason,
                                    const RunCounters &counters)
{
    try {
        Statement s(
            m_project.database(),
            "UPDATE judge_runs SET finished_at = ?, status = ?, stop_reason = ?, judged = ?, failed = ?, "
            "requests = ?, cached_calls = ? WHERE id = ?");
        s.bind(1, utcNow()).bind(2, toString(end));
        if (reason.empty())
            s.bindNull(3);
        else
            s.bind(3, reason);
        s.bind(4, counters.judged)
            .bind(5, counters.failed)
            .bind(6, counters.requests)
            .bind(7, counters.cachedCalls)
            .bind(8, runRow)
            .run();
        return model::Ok{};
    } catch (const SqliteError &e) {
        return failure(e.code(), e.what());
    }
}

} // namespace concord::storage
